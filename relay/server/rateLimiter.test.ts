import { describe, expect, it } from 'vitest';
import { RateLimiter } from './rateLimiter.js';

describe('RateLimiter', () => {
  it('allows a burst, refuses the next, and refills over time per key', () => {
    let now = 0;
    const limiter = new RateLimiter({ burst: 3, perSecond: 2 }, 100, { now: () => now });
    expect([1, 2, 3, 4].map(() => limiter.take('a'))).toEqual([true, true, true, false]);
    expect(limiter.take('b')).toBe(true);
    now += 499;
    expect(limiter.take('a')).toBe(false);
    now += 1;
    expect(limiter.take('a')).toBe(true);
  });

  it('forgets full buckets on sweep and the oldest key beyond maxKeys', () => {
    let now = 0;
    const limiter = new RateLimiter({ burst: 1, perSecond: 1 }, 2, { now: () => now });
    limiter.take('a');
    limiter.take('b');
    limiter.take('c'); // evicts 'a'
    expect(limiter.size).toBe(2);
    expect(limiter.take('a')).toBe(true); // fresh bucket: evicts 'b'
    now += 1000;
    limiter.sweep();
    expect(limiter.size).toBe(0);
  });
});
