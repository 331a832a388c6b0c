import { describe, expect, it } from 'vitest';
import { KeyedTokenBuckets, TokenBucket } from './tokenBucket.js';

describe('TokenBucket', () => {
  it('allows a burst, refuses the next, and refills continuously', () => {
    let now = 0;
    const bucket = new TokenBucket({ burst: 3, perSecond: 2 }, () => now);
    expect([1, 2, 3, 4].map(() => bucket.take())).toEqual([true, true, true, false]);
    now += 499;
    expect(bucket.take()).toBe(false);
    now += 1;
    expect(bucket.take()).toBe(true);
    expect(bucket.isFull()).toBe(false);
    now += 1500;
    expect(bucket.isFull()).toBe(true);
  });

  it('mints no tokens when the clock steps back', () => {
    let now = 10_000;
    const bucket = new TokenBucket({ burst: 1, perSecond: 1 }, () => now);
    expect(bucket.take()).toBe(true);
    now = 0;
    expect(bucket.take()).toBe(false);
    now = 999;
    expect(bucket.take()).toBe(false);
    now = 1000;
    expect(bucket.take()).toBe(true);
  });
});

describe('KeyedTokenBuckets', () => {
  it('keeps one bucket per key', () => {
    let now = 0;
    const limiter = new KeyedTokenBuckets({ burst: 3, perSecond: 2 }, 100, () => now);
    expect([1, 2, 3, 4].map(() => limiter.take('a'))).toEqual([true, true, true, false]);
    expect(limiter.take('b')).toBe(true);
    now += 499;
    expect(limiter.take('a')).toBe(false);
    now += 1;
    expect(limiter.take('a')).toBe(true);
  });

  it('forgets full buckets on sweep and the oldest key beyond maxKeys', () => {
    let now = 0;
    const limiter = new KeyedTokenBuckets({ burst: 1, perSecond: 1 }, 2, () => now);
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
