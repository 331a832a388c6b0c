/**
 * Exponential backoff with jitter, shared by the host relay client, the controller and (with
 * `jitter: 0`) anything that wants a deterministic schedule such as an engine restart policy:
 * delay n = base·(1 − jitter + jitter·random) with base = min(maxMs, initialMs·2^n). The default
 * jitter (½) spreads the reconnects of many clients after a relay restart; the half that is fixed
 * keeps one client from retrying in a tight loop.
 */

export interface BackoffOptions {
  /** First base delay in ms (default 250). */
  readonly initialMs?: number;
  /** Cap of the base delay in ms (default 30 000). */
  readonly maxMs?: number;
  /** Uniform [0, 1) source (default `Math.random`). */
  readonly random?: () => number;
  /** Share of each delay that is random, 0..1 (default ½; 0 = exactly the base delay). */
  readonly jitter?: number;
}

export const DEFAULT_BACKOFF_INITIAL_MS = 250;
export const DEFAULT_BACKOFF_MAX_MS = 30_000;
export const DEFAULT_BACKOFF_JITTER = 0.5;

export class Backoff {
  readonly #initialMs: number;
  readonly #maxMs: number;
  readonly #random: () => number;
  readonly #jitter: number;
  #attempts = 0;

  /** Throws a plain `Error` on non-positive or inverted bounds, or a jitter outside 0..1. */
  constructor(options: BackoffOptions = {}) {
    this.#initialMs = options.initialMs ?? DEFAULT_BACKOFF_INITIAL_MS;
    this.#maxMs = options.maxMs ?? DEFAULT_BACKOFF_MAX_MS;
    this.#random = options.random ?? Math.random;
    this.#jitter = options.jitter ?? DEFAULT_BACKOFF_JITTER;
    if (!(this.#initialMs > 0) || !(this.#maxMs >= this.#initialMs)) throw new Error('Backoff: need 0 < initialMs <= maxMs');
    if (!(this.#jitter >= 0 && this.#jitter <= 1)) throw new Error('Backoff: need 0 <= jitter <= 1');
  }

  /** Failed attempts since the last `reset`. */
  get attempts(): number {
    return this.#attempts;
  }

  /** The delay before the next attempt, in ms; counts one attempt. */
  next(): number {
    const base = Math.min(this.#maxMs, this.#initialMs * 2 ** Math.min(this.#attempts, 30));
    this.#attempts++;
    return Math.round(base * (1 - this.#jitter + this.#jitter * this.#random()));
  }

  /** After a connection that proved stable: start again from `initialMs`. */
  reset(): void {
    this.#attempts = 0;
  }
}
