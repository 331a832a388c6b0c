/**
 * Exponential reconnect backoff with jitter, shared by the host relay client and the controller:
 * delay n = base·(½ + ½·random) with base = min(maxMs, initialMs·2^n). The jitter spreads the
 * reconnects of many clients after a relay restart; the half that is fixed keeps one client from
 * retrying in a tight loop.
 */

export interface BackoffOptions {
  /** First base delay in ms (default 250). */
  readonly initialMs?: number;
  /** Cap of the base delay in ms (default 30 000). */
  readonly maxMs?: number;
  /** Uniform [0, 1) source (default `Math.random`). */
  readonly random?: () => number;
}

export const DEFAULT_BACKOFF_INITIAL_MS = 250;
export const DEFAULT_BACKOFF_MAX_MS = 30_000;

export class Backoff {
  readonly #initialMs: number;
  readonly #maxMs: number;
  readonly #random: () => number;
  #attempts = 0;

  /** Throws a plain `Error` on non-positive or inverted bounds. */
  constructor(options: BackoffOptions = {}) {
    this.#initialMs = options.initialMs ?? DEFAULT_BACKOFF_INITIAL_MS;
    this.#maxMs = options.maxMs ?? DEFAULT_BACKOFF_MAX_MS;
    this.#random = options.random ?? Math.random;
    if (!(this.#initialMs > 0) || !(this.#maxMs >= this.#initialMs)) throw new Error('Backoff: need 0 < initialMs <= maxMs');
  }

  /** Failed attempts since the last `reset`. */
  get attempts(): number {
    return this.#attempts;
  }

  /** The delay before the next attempt, in ms; counts one attempt. */
  next(): number {
    const base = Math.min(this.#maxMs, this.#initialMs * 2 ** Math.min(this.#attempts, 30));
    this.#attempts++;
    return Math.round(base * (0.5 + 0.5 * this.#random()));
  }

  /** After a connection that proved stable: start again from `initialMs`. */
  reset(): void {
    this.#attempts = 0;
  }
}
