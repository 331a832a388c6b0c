/**
 * The one token bucket (the hub's per-client request rate, the relay's per-address connection
 * and handshake rates): at most `burst` tokens, refilled continuously at `perSecond`, one token
 * per action. `KeyedTokenBuckets` keeps one bucket per key with bounded memory.
 */

/** A bucket's shape: `burst` tokens at most, refilled at `perSecond`. */
export interface RateLimit {
  readonly burst: number;
  readonly perSecond: number;
}

/** A monotonic (or at least non-decreasing) millisecond clock. */
export type NowMs = () => number;

/** One token bucket. Starts full. */
export class TokenBucket {
  readonly #limit: RateLimit;
  readonly #now: NowMs;
  #tokens: number;
  #updatedAt: number;

  constructor(limit: RateLimit, now: NowMs) {
    this.#limit = limit;
    this.#now = now;
    this.#tokens = limit.burst;
    this.#updatedAt = now();
  }

  /** Takes one token; false when the bucket is empty (the caller refuses the action). */
  take(): boolean {
    this.#refill();
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }

  /** True when the bucket has refilled completely (it then carries no information). */
  isFull(): boolean {
    this.#refill();
    return this.#tokens >= this.#limit.burst;
  }

  #refill(): void {
    const now = this.#now();
    // A clock that steps back must not mint tokens.
    const elapsed = Math.max(0, now - this.#updatedAt);
    this.#tokens = Math.min(this.#limit.burst, this.#tokens + (elapsed / 1000) * this.#limit.perSecond);
    this.#updatedAt = now;
  }
}

/**
 * A token bucket per key (the relay keys them by client address). Memory is bounded: at most
 * `maxKeys` buckets, the least recently inserted forgotten first, and `sweep()` drops buckets
 * that have refilled completely.
 */
export class KeyedTokenBuckets {
  readonly #buckets = new Map<string, TokenBucket>();
  readonly #limit: RateLimit;
  readonly #maxKeys: number;
  readonly #now: NowMs;

  constructor(limit: RateLimit, maxKeys: number, now: NowMs) {
    this.#limit = limit;
    this.#maxKeys = maxKeys;
    this.#now = now;
  }

  /** Takes one token for `key`; false when its bucket is empty. */
  take(key: string): boolean {
    let bucket = this.#buckets.get(key);
    if (!bucket) {
      if (this.#buckets.size >= this.#maxKeys) {
        const oldest = this.#buckets.keys().next();
        if (!oldest.done) this.#buckets.delete(oldest.value);
      }
      bucket = new TokenBucket(this.#limit, this.#now);
      this.#buckets.set(key, bucket);
    }
    return bucket.take();
  }

  /** Forgets buckets that are full again. */
  sweep(): void {
    for (const [key, bucket] of this.#buckets) if (bucket.isFull()) this.#buckets.delete(key);
  }

  /** Number of remembered keys. */
  get size(): number {
    return this.#buckets.size;
  }
}
