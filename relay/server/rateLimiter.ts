/**
 * Per-key token buckets (the relay keys them by client address). Memory is bounded: at most
 * `maxKeys` buckets, the least recently inserted forgotten first, and `sweep()` drops buckets
 * that have refilled completely (they carry no information).
 */
import type { Clock, RateLimit } from './limits.js';

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/** A token bucket per key. */
export class RateLimiter {
  readonly #buckets = new Map<string, Bucket>();
  readonly #limit: RateLimit;
  readonly #maxKeys: number;
  readonly #clock: Clock;

  constructor(limit: RateLimit, maxKeys: number, clock: Clock) {
    this.#limit = limit;
    this.#maxKeys = maxKeys;
    this.#clock = clock;
  }

  /** Takes one token for `key`; false when its bucket is empty (the caller refuses the action). */
  take(key: string): boolean {
    const now = this.#clock.now();
    let b = this.#buckets.get(key);
    if (!b) {
      if (this.#buckets.size >= this.#maxKeys) {
        const oldest = this.#buckets.keys().next();
        if (!oldest.done) this.#buckets.delete(oldest.value);
      }
      b = { tokens: this.#limit.burst, updatedAt: now };
      this.#buckets.set(key, b);
    } else {
      this.#refill(b, now);
    }
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }

  /** Forgets buckets that are full again. */
  sweep(): void {
    const now = this.#clock.now();
    for (const [key, b] of this.#buckets) {
      this.#refill(b, now);
      if (b.tokens >= this.#limit.burst) this.#buckets.delete(key);
    }
  }

  /** Number of remembered keys. */
  get size(): number {
    return this.#buckets.size;
  }

  #refill(b: Bucket, now: number): void {
    const elapsed = Math.max(0, now - b.updatedAt);
    b.tokens = Math.min(this.#limit.burst, b.tokens + (elapsed / 1000) * this.#limit.perSecond);
    b.updatedAt = now;
  }
}
