/**
 * One lifecycle vocabulary for the whole code base (style.md G8): everything that holds a
 * listener, socket, timer, child process or blocker is a `Disposable` (or `AsyncDisposable`);
 * owners register what they create in a `DisposableStore`, which ends them in reverse order.
 * `Emitter` is the one event primitive; a listener that throws is reported to the logger and
 * cannot break delivery to the others.
 */
import type { Logger } from './logger.js';
import { errorMessage } from './errors.js';

export interface Disposable {
  dispose(): void;
}

export interface AsyncDisposable {
  dispose(): Promise<void>;
}

/** A no-op handle (for optional subscriptions). */
export const NOOP_DISPOSABLE: Disposable = Object.freeze({ dispose() {} });

/** Wraps a function as a `Disposable` that runs it at most once. */
export function toDisposable(fn: () => void | Promise<void>): Disposable & AsyncDisposable {
  let done = false;
  return {
    dispose() {
      if (done) return Promise.resolve();
      done = true;
      return Promise.resolve(fn());
    },
  } as Disposable & AsyncDisposable;
}

/**
 * Holds what an owner created and ends it in reverse order of registration. `dispose()` waits
 * for asynchronous ones, logs (never throws) a failure of one step, and runs each step once;
 * anything added after disposal is disposed at once.
 */
export class DisposableStore implements AsyncDisposable {
  readonly #items: (Disposable | AsyncDisposable)[] = [];
  #disposed = false;
  readonly #logger: Pick<Logger, 'warn'> | undefined;

  constructor(logger?: Pick<Logger, 'warn'>) {
    this.#logger = logger;
  }

  get isDisposed(): boolean {
    return this.#disposed;
  }

  /** Number of items still held (tests use it to assert nothing leaks). */
  get size(): number {
    return this.#items.length;
  }

  /** Registers `item` and returns it (so `const x = store.add(create())` reads naturally). */
  add<T extends Disposable | AsyncDisposable>(item: T): T {
    if (this.#disposed) {
      void Promise.resolve()
        .then(() => item.dispose())
        .catch((err: unknown) => this.#logger?.warn('dispose failed', { error: errorMessage(err) }));
    } else this.#items.push(item);
    return item;
  }

  /** Registers a cleanup function. */
  defer(fn: () => void | Promise<void>): void {
    this.add(toDisposable(fn));
  }

  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    while (this.#items.length) {
      const item = this.#items.pop()!;
      try {
        await item.dispose();
      } catch (err) {
        this.#logger?.warn('dispose failed', { error: errorMessage(err) });
      }
    }
  }
}

/**
 * A small listener list with dispose handles. Listener exceptions are isolated so one bad
 * listener cannot break delivery; they go to the logger given at construction (or nowhere).
 */
export class Emitter<T> {
  #listeners = new Set<(value: T) => void>();
  readonly #logger: Pick<Logger, 'error'> | undefined;

  constructor(logger?: Pick<Logger, 'error'>) {
    this.#logger = logger;
  }

  /** Adds a listener; dispose the handle to remove it. */
  on(listener: (value: T) => void): Disposable {
    const wrapped = (v: T) => listener(v);
    this.#listeners.add(wrapped);
    return { dispose: () => void this.#listeners.delete(wrapped) };
  }

  fire(value: T): void {
    for (const l of [...this.#listeners]) {
      try {
        l(value);
      } catch (err) {
        this.#logger?.error('listener threw', { error: errorMessage(err) });
      }
    }
  }

  clear(): void {
    this.#listeners.clear();
  }

  /** Number of listeners (tests use it to assert nothing leaks). */
  get size(): number {
    return this.#listeners.size;
  }
}
