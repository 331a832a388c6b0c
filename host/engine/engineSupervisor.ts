/**
 * Keeps one local engine (`codex app-server` on a private loopback WebSocket) alive for the hub.
 *
 * States (`EngineState`, shared/protocol/hostMethods.ts): `starting` (first launch) → `running`
 * → on an unexpected exit `restarting` (after a backoff) → `running` again, or `failed` after
 * `maxFastCrashes` consecutive fast crashes or failed relaunches. `stop()` → `stopped`. A failed
 * first launch goes straight to `failed` (a bad binary or config will not fix itself; the
 * caller shows the error). Every restart uses a new port and a new token, so the hub must open
 * new engine connections: it learns about it from `onExit` (close clients with a reason) and
 * `onRestarted`.
 *
 * `start()`/`stop()` move the state machine and may be repeated; `dispose()` ends the object
 * (stop, drop every listener). Async work carries the epoch it started in: `start()` and
 * `stop()` bump it, so a launch that finishes after a `stop()` is stopped instead of adopted.
 */
import type { EngineState } from '../../shared/protocol/hostMethods.js';
import { errorMessage } from '../../shared/util/errors.js';
import { Emitter, type AsyncDisposable, type Disposable } from '../../shared/util/lifecycle.js';
import type { Logger } from '../../shared/util/logger.js';
import { Backoff } from '../../shared/util/backoff.js';
import { launchEngineProcess, type EngineEndpoint, type EngineExit, type EngineProcess, type LaunchEngineOptions } from './launchEngineProcess.js';

export type { EngineState } from '../../shared/protocol/hostMethods.js';
export type { EngineEndpoint, EngineExit } from './launchEngineProcess.js';

/** An unexpected engine exit. */
export interface EngineExitEvent extends EngineExit {
  /** How long it had been ready (ms). */
  readonly ranMs: number;
  /** False when the supervisor gave up (state `failed`). */
  readonly willRestart: boolean;
  /** Delay before the next launch (ms), when `willRestart`. */
  readonly restartDelayMs: number;
}

export interface EngineRestartPolicy {
  /** First backoff delay (ms); doubles per consecutive fast crash. Default 500. */
  readonly initialDelayMs?: number;
  /** Backoff cap (ms). Default 30 000. */
  readonly maxDelayMs?: number;
  /** A crash within this long after becoming ready counts as fast (ms). Default 30 000. */
  readonly fastCrashMs?: number;
  /** Give up (`failed`) after this many consecutive fast crashes / failed relaunches. Default 5. */
  readonly maxFastCrashes?: number;
}

/** Starts one engine process and resolves once it is ready (default: `launchEngineProcess`). */
export type EngineLauncher = (options: LaunchEngineOptions) => Promise<EngineProcess>;

/** Time and timers (a fake one in tests drives the backoff without waiting). */
export interface SupervisorClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface EngineSupervisorOptions {
  /** How each engine process is started (binary, args, env, cwd, readiness bound). */
  readonly launch: Omit<LaunchEngineOptions, 'logger'>;
  readonly logger: Logger;
  readonly restart?: EngineRestartPolicy;
  /** SIGTERM → SIGKILL grace in `stop()` (ms). Default 5000. */
  readonly stopTimeoutMs?: number;
  /** Injected in tests: a scripted launcher returning controllable processes. */
  readonly launcher?: EngineLauncher;
  /** Host-exit hook registration (default: `process.on('exit')`); returns an unregister function. */
  readonly onHostExit?: (fn: () => void) => () => void;
  readonly clock?: SupervisorClock;
}

const DEFAULT_POLICY: Required<EngineRestartPolicy> = { initialDelayMs: 500, maxDelayMs: 30_000, fastCrashMs: 30_000, maxFastCrashes: 5 };

const systemClock: SupervisorClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

const processExitHook = (fn: () => void): (() => void) => {
  process.on('exit', fn);
  return () => process.off('exit', fn);
};

export class EngineSupervisor implements AsyncDisposable {
  readonly #launch: Omit<LaunchEngineOptions, 'logger'>;
  readonly #launcher: EngineLauncher;
  readonly #policy: Required<EngineRestartPolicy>;
  readonly #stopTimeoutMs: number;
  readonly #registerHostExit: (fn: () => void) => () => void;
  readonly #clock: SupervisorClock;
  readonly #log: Logger;
  /** Delays between relaunches. No jitter: there is one local engine, not a crowd of clients. */
  readonly #backoff: Backoff;

  readonly #stateChanged: Emitter<{ state: EngineState; previous: EngineState }>;
  readonly #exited: Emitter<EngineExitEvent>;
  readonly #restarted: Emitter<EngineEndpoint>;

  #state: EngineState = 'stopped';
  #proc: { readonly process: EngineProcess; readonly readyAt: number } | undefined;
  #launching: Promise<EngineProcess> | undefined;
  #restartTimer: unknown;
  #fastCrashes = 0;
  /** Bumped by start()/stop(); async work from an older epoch must not touch state. */
  #epoch = 0;
  #lastError: string | undefined;
  #unhookExit: (() => void) | undefined;
  #disposed = false;
  /** Every engine process not yet exited (also those being stopped), for the host-exit hook. */
  readonly #live = new Set<EngineProcess>();

  constructor(options: EngineSupervisorOptions) {
    this.#launch = options.launch;
    this.#launcher = options.launcher ?? launchEngineProcess;
    this.#policy = { ...DEFAULT_POLICY, ...definedOnly(options.restart) };
    this.#stopTimeoutMs = options.stopTimeoutMs ?? 5000;
    this.#registerHostExit = options.onHostExit ?? processExitHook;
    this.#clock = options.clock ?? systemClock;
    this.#log = options.logger.child('engine');
    this.#backoff = new Backoff({ initialMs: this.#policy.initialDelayMs, maxMs: Math.max(this.#policy.maxDelayMs, this.#policy.initialDelayMs), jitter: 0 });
    this.#stateChanged = new Emitter(this.#log);
    this.#exited = new Emitter(this.#log);
    this.#restarted = new Emitter(this.#log);
  }

  get state(): EngineState {
    return this.#state;
  }

  /** Why the engine last failed to start or died (for the UI); undefined when it never did. */
  get lastError(): string | undefined {
    return this.#lastError;
  }

  /** The engine's pid while one is running. */
  get pid(): number | undefined {
    const p = this.#proc?.process;
    return p && !p.hasExited ? p.pid : undefined;
  }

  /** The current endpoint; throws unless `running` (it changes on every restart: do not cache it). */
  endpoint(): EngineEndpoint {
    if (this.#state !== 'running' || !this.#proc) throw new Error(`EngineSupervisor.endpoint: the engine is ${this.#state}`);
    return this.#proc.process.endpoint;
  }

  /**
   * Starts the engine and resolves with its endpoint once it is ready. Calling it while
   * starting or running returns the same endpoint; after `failed`/`stopped` it starts afresh.
   * Rejects (state `failed`) when the first launch fails.
   */
  async start(): Promise<EngineEndpoint> {
    if (this.#disposed) throw new Error('EngineSupervisor.start: disposed');
    if (this.#state === 'running' && this.#proc) return this.#proc.process.endpoint;
    if (this.#state === 'starting' || this.#state === 'restarting') return this.waitUntilRunning();
    const epoch = ++this.#epoch;
    this.#fastCrashes = 0;
    this.#backoff.reset();
    this.#lastError = undefined;
    this.#setState('starting');
    try {
      return (await this.#launchOnce(epoch)).endpoint;
    } catch (err) {
      if (epoch === this.#epoch) {
        this.#lastError = errorMessage(err);
        this.#setState('failed');
        this.#releaseExitHook();
      }
      throw err;
    }
  }

  /** Resolves with the endpoint when `running`; rejects on `failed`/`stopped` or after `timeoutMs`. */
  waitUntilRunning(timeoutMs = 60_000): Promise<EngineEndpoint> {
    if (this.#state === 'running' && this.#proc) return Promise.resolve(this.#proc.process.endpoint);
    if (this.#state === 'failed' || this.#state === 'stopped') return Promise.reject(this.#notRunning(this.#state));
    return new Promise((resolve, reject) => {
      const timer = this.#clock.setTimeout(() => {
        sub.dispose();
        reject(new Error(`EngineSupervisor.waitUntilRunning: not running after ${timeoutMs} ms (state ${this.#state})`));
      }, timeoutMs);
      const sub = this.onStateChange((state) => {
        if (state === 'running' && this.#proc) {
          this.#clock.clearTimeout(timer);
          sub.dispose();
          resolve(this.#proc.process.endpoint);
        } else if (state === 'failed' || state === 'stopped') {
          this.#clock.clearTimeout(timer);
          sub.dispose();
          reject(this.#notRunning(state));
        }
      });
    });
  }

  /**
   * Stops the engine: SIGTERM, up to `stopTimeoutMs` for its graceful drain, then SIGKILL.
   * Cancels a pending restart. Idempotent; resolves once the process is gone.
   */
  async stop(): Promise<void> {
    ++this.#epoch;
    this.#clock.clearTimeout(this.#restartTimer);
    this.#restartTimer = undefined;
    const inFlight = this.#launching;
    const proc = this.#proc?.process;
    this.#proc = undefined;
    this.#setState('stopped');
    if (proc && !proc.hasExited) {
      this.#log.info('engine stopping', { pid: proc.pid });
      const exit = await proc.stop(this.#stopTimeoutMs);
      this.#log.info('engine stopped', { code: exit.code, signal: exit.signal });
    }
    // A launch still in flight is finished by #launchOnce (it sees the new epoch and stops it).
    if (inFlight) await inFlight.then((p) => p.exited, () => undefined);
    this.#releaseExitHook();
  }

  /** Stops the engine and drops every listener; `start()` is refused afterwards. */
  async dispose(): Promise<void> {
    this.#disposed = true;
    await this.stop();
    this.#stateChanged.clear();
    this.#exited.clear();
    this.#restarted.clear();
  }

  onStateChange(fn: (state: EngineState, previous: EngineState) => void): Disposable {
    return this.#stateChanged.on(({ state, previous }) => fn(state, previous));
  }

  /** An unexpected exit of a running engine (its endpoint is dead from now on). */
  onExit(fn: (event: EngineExitEvent) => void): Disposable {
    return this.#exited.on(fn);
  }

  /** The engine is running again after an unexpected exit, on a new endpoint. */
  onRestarted(fn: (endpoint: EngineEndpoint) => void): Disposable {
    return this.#restarted.on(fn);
  }

  async #launchOnce(epoch: number): Promise<EngineProcess> {
    this.#hookHostExit();
    const pending = this.#launcher({ ...this.#launch, logger: this.#log });
    this.#launching = pending;
    let proc: EngineProcess;
    try {
      proc = await pending;
    } finally {
      if (this.#launching === pending) this.#launching = undefined;
    }
    this.#live.add(proc);
    void proc.exited.then(() => this.#live.delete(proc));
    if (epoch !== this.#epoch) {
      // stop() (or a new start()) happened while launching: this process is not wanted.
      await proc.stop(this.#stopTimeoutMs);
      throw new Error('EngineSupervisor.start: stopped while starting');
    }
    this.#proc = { process: proc, readyAt: this.#clock.now() };
    void proc.exited.then((exit) => this.#onProcessExit(proc, epoch, exit));
    this.#setState('running');
    return proc;
  }

  #onProcessExit(proc: EngineProcess, epoch: number, exit: EngineExit): void {
    const current = this.#proc;
    if (epoch !== this.#epoch || current?.process !== proc) return; // expected (stop) or stale
    this.#proc = undefined;
    const ranMs = this.#clock.now() - current.readyAt;
    if (ranMs < this.#policy.fastCrashMs) this.#fastCrashes++;
    else {
      // It ran long enough to count as healthy: this crash starts a new series.
      this.#fastCrashes = 1;
      this.#backoff.reset();
    }
    this.#lastError = `codex app-server exited unexpectedly (${exit.signal ? `signal ${exit.signal}` : `code ${exit.code}`}) after ${ranMs} ms`;
    this.#log.error('engine exited unexpectedly', { code: exit.code, signal: exit.signal, ranMs, fastCrashes: this.#fastCrashes, lastOutput: proc.stderrTail().slice(-5) });
    const delay = this.#scheduleRestart(epoch);
    this.#exited.fire({ ...exit, ranMs, willRestart: delay !== undefined, restartDelayMs: delay ?? 0 });
  }

  /** Schedules the next launch, or gives up; returns the delay, or undefined when it gave up. */
  #scheduleRestart(epoch: number): number | undefined {
    if (this.#fastCrashes >= this.#policy.maxFastCrashes) {
      this.#log.error('engine keeps crashing; giving up', { crashes: this.#fastCrashes });
      this.#lastError = `${this.#lastError ?? 'codex app-server failed'}; gave up after ${this.#fastCrashes} fast crashes`;
      this.#setState('failed');
      this.#releaseExitHook();
      return undefined;
    }
    const delay = this.#backoff.next();
    this.#setState('restarting');
    this.#log.warn('engine restarting', { delayMs: delay, attempt: this.#fastCrashes });
    this.#restartTimer = this.#clock.setTimeout(() => {
      this.#restartTimer = undefined;
      void this.#relaunch(epoch);
    }, delay);
    return delay;
  }

  async #relaunch(epoch: number): Promise<void> {
    if (epoch !== this.#epoch) return;
    try {
      const proc = await this.#launchOnce(epoch);
      this.#log.info('engine restarted', { url: proc.endpoint.url });
      this.#restarted.fire(proc.endpoint);
    } catch (err) {
      if (epoch !== this.#epoch) return;
      this.#fastCrashes++;
      this.#lastError = errorMessage(err);
      this.#log.error('engine relaunch failed', { error: this.#lastError, attempt: this.#fastCrashes });
      this.#scheduleRestart(epoch);
    }
  }

  #setState(next: EngineState): void {
    const previous = this.#state;
    if (previous === next) return;
    this.#state = next;
    this.#stateChanged.fire({ state: next, previous });
  }

  #notRunning(state: EngineState): Error {
    return new Error(`EngineSupervisor.waitUntilRunning: the engine is ${state}${this.#lastError ? `: ${this.#lastError}` : ''}`);
  }

  /** Kills the engine if the host process exits without calling stop(). */
  #hookHostExit(): void {
    this.#unhookExit ??= this.#registerHostExit(() => {
      for (const p of this.#live) p.killNow();
    });
  }

  #releaseExitHook(): void {
    this.#unhookExit?.();
    this.#unhookExit = undefined;
  }
}

/** `{ ...defaults, ...partial }` without letting an explicit `undefined` erase a default. */
function definedOnly<T extends object>(o: T | undefined): Partial<T> {
  return Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;
}
