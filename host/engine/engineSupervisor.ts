/**
 * Keeps one local engine (`codex app-server` on a private loopback WebSocket) alive for the hub.
 *
 * States: `starting` (first launch) → `running` → on an unexpected exit `restarting` (after an
 * exponential backoff) → `running` again, or `failed` after `maxFastCrashes` consecutive fast
 * crashes. `stop()` → `stopped`. A failed first launch goes straight to `failed` (a bad
 * binary or config will not fix itself; the caller shows the error). Every restart uses a
 * new port and a new token, so the hub must open new engine connections: it learns about it
 * from `onExit` (close clients with a reason) and `onRestarted`.
 */
import type { Logger } from '../../shared/util/logger.js';
import { launchEngineProcess, type EngineEndpoint, type EngineExit, type EngineProcess, type LaunchEngineOptions } from './launchEngineProcess.js';
import { errorMessage } from '../../shared/util/errors.js';

export type { EngineEndpoint, EngineExit } from './launchEngineProcess.js';

export type EngineState = 'starting' | 'running' | 'restarting' | 'stopped' | 'failed';

/** A registered listener; `dispose()` removes it. */
export interface EngineSubscription {
  dispose(): void;
}

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
  initialDelayMs?: number;
  /** Backoff cap (ms). Default 30 000. */
  maxDelayMs?: number;
  /** A crash within this long after becoming ready counts as fast (ms). Default 30 000. */
  fastCrashMs?: number;
  /** Give up (`failed`) after this many consecutive fast crashes / failed relaunches. Default 5. */
  maxFastCrashes?: number;
}

export interface EngineSupervisorOptions extends Omit<LaunchEngineOptions, 'logger'> {
  logger: Logger;
  restart?: EngineRestartPolicy;
  /** SIGTERM → SIGKILL grace in `stop()` (ms). Default 5000. */
  stopTimeoutMs?: number;
  /** Launcher (injected in tests). */
  launch?: (options: LaunchEngineOptions) => Promise<EngineProcess>;
  /** Host-exit hook registration (default: `process.on('exit')`); returns an unregister function. */
  onHostExit?: (fn: () => void) => () => void;
}

type Listener<A extends unknown[]> = (...args: A) => void;

export class EngineSupervisor {
  private stateValue: EngineState = 'stopped';
  private proc: EngineProcess | undefined;
  private launching: Promise<EngineProcess> | undefined;
  private restartTimer: NodeJS.Timeout | undefined;
  private fastCrashes = 0;
  /** Bumped by start()/stop(); async work from an older epoch must not touch state. */
  private epoch = 0;
  private lastErrorValue: string | undefined;
  private unhookExit: (() => void) | undefined;
  /** Every engine process not yet exited (also those being stopped), for the host-exit hook. */
  private readonly live = new Set<EngineProcess>();
  private readonly log: Logger;
  private readonly stateListeners = new Set<Listener<[EngineState, EngineState]>>();
  private readonly exitListeners = new Set<Listener<[EngineExitEvent]>>();
  private readonly restartedListeners = new Set<Listener<[EngineEndpoint]>>();
  private readonly policy: Required<EngineRestartPolicy>;

  constructor(private readonly options: EngineSupervisorOptions) {
    this.log = options.logger.child('engine');
    this.policy = {
      initialDelayMs: options.restart?.initialDelayMs ?? 500,
      maxDelayMs: options.restart?.maxDelayMs ?? 30_000,
      fastCrashMs: options.restart?.fastCrashMs ?? 30_000,
      maxFastCrashes: options.restart?.maxFastCrashes ?? 5,
    };
  }

  get state(): EngineState {
    return this.stateValue;
  }

  /** Why the engine last failed to start or died (for the UI); undefined when it never did. */
  get lastError(): string | undefined {
    return this.lastErrorValue;
  }

  /** The engine's pid while one is running. */
  get pid(): number | undefined {
    return this.proc?.hasExited === false ? this.proc.pid : undefined;
  }

  /** The current endpoint; throws unless `running` (it changes on every restart: do not cache it). */
  endpoint(): EngineEndpoint {
    if (this.stateValue !== 'running' || !this.proc) throw new Error(`EngineSupervisor.endpoint: the engine is ${this.stateValue}`);
    return this.proc.endpoint;
  }

  /**
   * Starts the engine and resolves with its endpoint once `/readyz` is 200. Calling it while
   * starting or running returns the same endpoint; after `failed`/`stopped` it starts afresh.
   * Rejects (state `failed`) when the first launch fails.
   */
  async start(): Promise<EngineEndpoint> {
    if (this.stateValue === 'running' && this.proc) return this.proc.endpoint;
    if (this.stateValue === 'starting' || this.stateValue === 'restarting') return this.waitUntilRunning();
    const epoch = ++this.epoch;
    this.fastCrashes = 0;
    this.lastErrorValue = undefined;
    this.setState('starting');
    try {
      const proc = await this.launchOnce(epoch);
      return proc.endpoint;
    } catch (err) {
      if (epoch === this.epoch) {
        this.lastErrorValue = errorMessage(err);
        this.setState('failed');
        this.unhookExit?.();
        this.unhookExit = undefined;
      }
      throw err;
    }
  }

  /** Resolves with the endpoint when `running`; rejects on `failed`/`stopped` or after `timeoutMs`. */
  waitUntilRunning(timeoutMs = 60_000): Promise<EngineEndpoint> {
    if (this.stateValue === 'running' && this.proc) return Promise.resolve(this.proc.endpoint);
    if (this.stateValue === 'failed' || this.stateValue === 'stopped') {
      return Promise.reject(new Error(`EngineSupervisor.waitUntilRunning: the engine is ${this.stateValue}${this.lastErrorValue ? `: ${this.lastErrorValue}` : ''}`));
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        sub.dispose();
        reject(new Error(`EngineSupervisor.waitUntilRunning: not running after ${timeoutMs} ms (state ${this.stateValue})`));
      }, timeoutMs);
      const sub = this.onStateChange((state) => {
        if (state === 'running' && this.proc) {
          clearTimeout(timer);
          sub.dispose();
          resolve(this.proc.endpoint);
        } else if (state === 'failed' || state === 'stopped') {
          clearTimeout(timer);
          sub.dispose();
          reject(new Error(`EngineSupervisor.waitUntilRunning: the engine is ${state}${this.lastErrorValue ? `: ${this.lastErrorValue}` : ''}`));
        }
      });
    });
  }

  /**
   * Stops the engine: SIGTERM, up to `stopTimeoutMs` for its graceful drain, then SIGKILL.
   * Cancels a pending restart. Idempotent; resolves once the process is gone.
   */
  async stop(): Promise<void> {
    ++this.epoch;
    clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
    const inFlight = this.launching;
    const proc = this.proc;
    this.proc = undefined;
    if (this.stateValue !== 'stopped') this.setState('stopped');
    const drainMs = this.options.stopTimeoutMs ?? 5000;
    if (proc && !proc.hasExited) {
      this.log.info('engine stopping', { pid: proc.pid });
      const exit = await proc.stop(drainMs);
      this.log.info('engine stopped', { code: exit.code, signal: exit.signal });
    }
    // A launch still in flight is finished by launchOnce (it sees the new epoch and stops it).
    if (inFlight) await inFlight.then((p) => p.exited, () => undefined);
    this.unhookExit?.();
    this.unhookExit = undefined;
  }

  onStateChange(fn: (state: EngineState, previous: EngineState) => void): EngineSubscription {
    return subscribe(this.stateListeners, fn);
  }

  /** An unexpected exit of a running engine (its endpoint is dead from now on). */
  onExit(fn: (event: EngineExitEvent) => void): EngineSubscription {
    return subscribe(this.exitListeners, fn);
  }

  /** The engine is running again after an unexpected exit, on a new endpoint. */
  onRestarted(fn: (endpoint: EngineEndpoint) => void): EngineSubscription {
    return subscribe(this.restartedListeners, fn);
  }

  private async launchOnce(epoch: number): Promise<EngineProcess> {
    this.hookHostExit();
    const launch = this.options.launch ?? launchEngineProcess;
    const { restart: _r, stopTimeoutMs: _s, launch: _l, onHostExit: _h, ...launchOptions } = this.options;
    const pending = launch({ ...launchOptions, logger: this.log });
    this.launching = pending;
    let proc: EngineProcess;
    try {
      proc = await pending;
    } finally {
      if (this.launching === pending) this.launching = undefined;
    }
    this.live.add(proc);
    void proc.exited.then(() => this.live.delete(proc));
    if (epoch !== this.epoch) {
      // stop() (or a new start()) happened while launching: this process is not wanted.
      await proc.stop(this.options.stopTimeoutMs ?? 5000);
      throw new Error('EngineSupervisor.start: stopped while starting');
    }
    this.proc = proc;
    void proc.exited.then((exit) => this.onProcessExit(proc, epoch, exit));
    this.setState('running');
    return proc;
  }

  private onProcessExit(proc: EngineProcess, epoch: number, exit: EngineExit): void {
    if (epoch !== this.epoch || this.proc !== proc) return; // expected (stop) or stale
    this.proc = undefined;
    const ranMs = Date.now() - proc.readyAt;
    this.fastCrashes = ranMs < this.policy.fastCrashMs ? this.fastCrashes + 1 : 1;
    this.lastErrorValue = `codex app-server exited unexpectedly (${exit.signal ? `signal ${exit.signal}` : `code ${exit.code}`}) after ${ranMs} ms`;
    this.log.error('engine exited unexpectedly', { code: exit.code, signal: exit.signal, ranMs, fastCrashes: this.fastCrashes, lastOutput: proc.stderrTail().slice(-5) });
    const delay = this.scheduleRestart(epoch);
    emit(this.exitListeners, { ...exit, ranMs, willRestart: delay !== undefined, restartDelayMs: delay ?? 0 });
  }

  /** Schedules the next launch, or gives up; returns the delay, or undefined when it gave up. */
  private scheduleRestart(epoch: number): number | undefined {
    if (this.fastCrashes >= this.policy.maxFastCrashes) {
      this.log.error('engine keeps crashing; giving up', { crashes: this.fastCrashes });
      this.lastErrorValue = `${this.lastErrorValue ?? 'codex app-server failed'}; gave up after ${this.fastCrashes} fast crashes`;
      this.setState('failed');
      this.unhookExit?.();
      this.unhookExit = undefined;
      return undefined;
    }
    const delay = Math.min(this.policy.initialDelayMs * 2 ** Math.max(0, this.fastCrashes - 1), this.policy.maxDelayMs);
    this.setState('restarting');
    this.log.warn('engine restarting', { delayMs: delay, attempt: this.fastCrashes });
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      void this.relaunch(epoch);
    }, delay);
    return delay;
  }

  private async relaunch(epoch: number): Promise<void> {
    if (epoch !== this.epoch) return;
    try {
      const proc = await this.launchOnce(epoch);
      this.log.info('engine restarted', { url: proc.endpoint.url });
      emit(this.restartedListeners, proc.endpoint);
    } catch (err) {
      if (epoch !== this.epoch) return;
      this.fastCrashes++;
      this.lastErrorValue = errorMessage(err);
      this.log.error('engine relaunch failed', { error: this.lastErrorValue, attempt: this.fastCrashes });
      this.scheduleRestart(epoch);
    }
  }

  private setState(next: EngineState): void {
    const previous = this.stateValue;
    if (previous === next) return;
    this.stateValue = next;
    emit(this.stateListeners, next, previous);
  }

  /** Kills the engine if the host process exits without calling stop(). */
  private hookHostExit(): void {
    if (this.unhookExit) return;
    const kill = () => {
      for (const p of this.live) p.killNow();
    };
    const register =
      this.options.onHostExit ??
      ((fn: () => void) => {
        process.on('exit', fn);
        return () => process.off('exit', fn);
      });
    this.unhookExit = register(kill);
  }
}

function subscribe<A extends unknown[]>(set: Set<Listener<A>>, fn: Listener<A>): EngineSubscription {
  set.add(fn);
  return { dispose: () => set.delete(fn) };
}

function emit<A extends unknown[]>(set: Set<Listener<A>>, ...args: A): void {
  for (const fn of [...set]) {
    try {
      fn(...args);
    } catch {
      // A listener's bug must not break supervision.
    }
  }
}
