/**
 * The supervisor's restart policy through a scripted launcher and a fake clock: no processes,
 * no waiting. Each launch returns a `ScriptedProcess` the test crashes or lets run; the clock
 * decides what counts as a fast crash and when a backoff timer fires.
 */
import { describe, expect, it } from 'vitest';
import { createLineLogger } from '../../shared/util/logger.js';
import type { EngineExit, EngineProcess, LaunchEngineOptions } from './launchEngineProcess.js';
import { EngineSupervisor, type EngineExitEvent, type EngineState, type SupervisorClock } from './engineSupervisor.js';

class FakeClock implements SupervisorClock {
  #now = 1_000_000;
  #timers: { at: number; fn: () => void; id: number }[] = [];
  #nextId = 1;
  now(): number {
    return this.#now;
  }
  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.#nextId++;
    this.#timers.push({ at: this.#now + ms, fn, id });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.#timers = this.#timers.filter((t) => t.id !== handle);
  }
  /** Pending timer delays from now, soonest first. */
  get pending(): number[] {
    return this.#timers.map((t) => t.at - this.#now).sort((a, b) => a - b);
  }
  /** Moves time forward, firing due timers in order. */
  advance(ms: number): void {
    const end = this.#now + ms;
    for (;;) {
      const due = this.#timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.#timers = this.#timers.filter((t) => t !== due);
      this.#now = due.at;
      due.fn();
    }
    this.#now = end;
  }
}

class ScriptedProcess implements EngineProcess {
  readonly endpoint;
  readonly readyAt = 0;
  readonly exited: Promise<EngineExit>;
  stopCalls = 0;
  killed = false;
  #exit: EngineExit | undefined;
  #resolve!: (e: EngineExit) => void;
  constructor(readonly pid: number) {
    this.endpoint = { url: `ws://127.0.0.1:${40000 + pid}`, token: `token-${pid}` };
    this.exited = new Promise((r) => (this.#resolve = r));
  }
  get hasExited(): boolean {
    return this.#exit !== undefined;
  }
  /** The engine dies on its own. */
  crash(signal: NodeJS.Signals | null = 'SIGKILL', code: number | null = null): void {
    this.#finish({ code, signal });
  }
  stop(): Promise<EngineExit> {
    this.stopCalls++;
    this.#finish({ code: 0, signal: null });
    return this.exited;
  }
  killNow(): void {
    this.killed = true;
  }
  stderrTail(): string[] {
    return [`stderr of ${this.pid}`];
  }
  #finish(e: EngineExit): void {
    if (this.#exit) return;
    this.#exit = e;
    this.#resolve(e);
  }
}

/** A launcher whose every call waits until the test resolves or rejects it. */
class ScriptedLauncher {
  readonly calls: { options: LaunchEngineOptions; resolve: () => ScriptedProcess; reject: (err: Error) => void }[] = [];
  #nextPid = 1;
  readonly launch = (options: LaunchEngineOptions): Promise<EngineProcess> =>
    new Promise((resolve, reject) => {
      this.calls.push({
        options,
        resolve: () => {
          const p = new ScriptedProcess(this.#nextPid++);
          resolve(p);
          return p;
        },
        reject,
      });
    });
  get last() {
    const c = this.calls.at(-1);
    if (!c) throw new Error('no launch yet');
    return c;
  }
}

/** Lets queued promise callbacks run (launch resolution, exit handlers). */
const settle = async () => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
};

function setup(restart: ConstructorParameters<typeof EngineSupervisor>[0]['restart'] = {}) {
  const clock = new FakeClock();
  const launcher = new ScriptedLauncher();
  const logLines: string[] = [];
  const exitHooks = new Set<() => void>();
  const sup = new EngineSupervisor({
    launch: { bin: '/opt/codex', extraArgs: ['-c', 'x=1'], env: { CODEX_HOME: '/h' }, cwd: '/w' },
    logger: createLineLogger((l) => logLines.push(l), 'debug'),
    restart: { initialDelayMs: 100, maxDelayMs: 1000, fastCrashMs: 10_000, maxFastCrashes: 4, ...restart },
    launcher: launcher.launch,
    clock,
    onHostExit: (fn) => {
      exitHooks.add(fn);
      return () => exitHooks.delete(fn);
    },
  });
  const states: EngineState[] = [];
  const exits: EngineExitEvent[] = [];
  const restarted: string[] = [];
  sup.onStateChange((s) => states.push(s));
  sup.onExit((e) => exits.push(e));
  sup.onRestarted((ep) => restarted.push(ep.url));
  /** Starts and lets the first launch succeed. */
  const startRunning = async () => {
    const started = sup.start();
    await settle();
    const proc = launcher.last.resolve();
    await started;
    return proc;
  };
  /** After a crash: fires the backoff timer and lets the relaunch succeed. */
  const relaunch = async (delay: number) => {
    clock.advance(delay);
    await settle();
    const proc = launcher.last.resolve();
    await settle();
    return proc;
  };
  return { sup, clock, launcher, logLines, exitHooks, states, exits, restarted, startRunning, relaunch };
}

describe('EngineSupervisor restart policy (scripted launcher, fake clock)', () => {
  it('passes the nested launch options through and runs the engine', async () => {
    const t = setup();
    const proc = await t.startRunning();
    expect(t.launcher.last.options).toMatchObject({ bin: '/opt/codex', extraArgs: ['-c', 'x=1'], env: { CODEX_HOME: '/h' }, cwd: '/w' });
    expect(t.sup.state).toBe('running');
    expect(t.sup.pid).toBe(proc.pid);
    expect(t.sup.endpoint()).toEqual(proc.endpoint);
    expect(t.states).toEqual(['starting', 'running']);
    // A second start() while running returns the same endpoint without launching again.
    await expect(t.sup.start()).resolves.toEqual(proc.endpoint);
    expect(t.launcher.calls).toHaveLength(1);
  });

  it('restarts after a crash on a new endpoint, with the exit reported first', async () => {
    const t = setup();
    const first = await t.startRunning();
    t.clock.advance(2000);
    first.crash('SIGSEGV');
    await settle();
    expect(t.sup.state).toBe('restarting');
    expect(t.exits).toEqual([{ code: null, signal: 'SIGSEGV', ranMs: 2000, willRestart: true, restartDelayMs: 100 }]);
    expect(() => t.sup.endpoint()).toThrow('EngineSupervisor.endpoint: the engine is restarting');
    expect(t.sup.lastError).toBe('codex app-server exited unexpectedly (signal SIGSEGV) after 2000 ms');
    // Nothing launches before the backoff delay.
    t.clock.advance(99);
    await settle();
    expect(t.launcher.calls).toHaveLength(1);
    const second = await t.relaunch(1);
    expect(t.sup.state).toBe('running');
    expect(t.restarted).toEqual([second.endpoint.url]);
    expect(t.sup.endpoint()).toEqual(second.endpoint);
    expect(t.states).toEqual(['starting', 'running', 'restarting', 'running']);
  });

  it('doubles the delay per consecutive fast crash (capped) and gives up after maxFastCrashes', async () => {
    const t = setup({ initialDelayMs: 300, maxDelayMs: 1000, maxFastCrashes: 4 });
    let proc = await t.startRunning();
    const delays: number[] = [];
    for (let i = 0; i < 3; i++) {
      t.clock.advance(50);
      proc.crash();
      await settle();
      delays.push(t.exits.at(-1)!.restartDelayMs);
      expect(t.clock.pending).toEqual([delays.at(-1)]);
      proc = await t.relaunch(delays.at(-1)!);
    }
    expect(delays).toEqual([300, 600, 1000]);
    proc.crash();
    await settle();
    expect(t.sup.state).toBe('failed');
    expect(t.exits.at(-1)).toMatchObject({ willRestart: false, restartDelayMs: 0 });
    expect(t.sup.lastError).toMatch(/exited unexpectedly \(signal SIGKILL\) after 0 ms; gave up after 4 fast crashes$/);
    expect(t.clock.pending).toEqual([]);
    t.clock.advance(60_000);
    await settle();
    expect(t.launcher.calls).toHaveLength(4);
    // Gave up: the host-exit hook is released (nothing left to kill).
    expect(t.exitHooks.size).toBe(0);
    // A new start() after `failed` starts afresh, with a fresh crash count.
    proc = await t.startRunning();
    proc.crash();
    await settle();
    expect(t.exits.at(-1)).toMatchObject({ willRestart: true, restartDelayMs: 300 });
  });

  it('a crash after a healthy run starts a new series: first delay again, count 1', async () => {
    const t = setup({ initialDelayMs: 100, fastCrashMs: 10_000, maxFastCrashes: 2 });
    let proc = await t.startRunning();
    proc.crash();
    await settle();
    expect(t.exits.at(-1)?.restartDelayMs).toBe(100);
    proc = await t.relaunch(100);
    t.clock.advance(10_000); // ran long enough: not a fast crash
    proc.crash();
    await settle();
    // With maxFastCrashes 2 a second fast crash would have given up; this one restarts at 100 ms.
    expect(t.exits.at(-1)).toMatchObject({ ranMs: 10_000, willRestart: true, restartDelayMs: 100 });
    expect(t.sup.state).toBe('restarting');
  });

  it('a failed relaunch counts like a fast crash and backs off further', async () => {
    const t = setup({ initialDelayMs: 100, maxFastCrashes: 3 });
    const proc = await t.startRunning();
    proc.crash();
    await settle();
    t.clock.advance(100);
    await settle();
    t.launcher.last.reject(new Error('launchEngineProcess: codex app-server exited (code 1) before listening'));
    await settle();
    expect(t.sup.state).toBe('restarting');
    expect(t.sup.lastError).toBe('launchEngineProcess: codex app-server exited (code 1) before listening');
    expect(t.clock.pending).toEqual([200]);
    t.clock.advance(200);
    await settle();
    t.launcher.last.reject(new Error('still broken'));
    await settle();
    expect(t.sup.state).toBe('failed');
    expect(t.sup.lastError).toBe('still broken; gave up after 3 fast crashes');
    expect(t.logLines.some((l) => l.includes('engine relaunch failed'))).toBe(true);
  });

  it('fails the first start with the launcher’s error and keeps nothing hooked', async () => {
    const t = setup();
    const started = t.sup.start();
    await settle();
    expect(t.exitHooks.size).toBe(1);
    t.launcher.last.reject(new Error('launchEngineProcess: cannot start /opt/codex: spawn ENOENT'));
    await expect(started).rejects.toThrow('cannot start /opt/codex');
    expect(t.sup.state).toBe('failed');
    expect(t.sup.lastError).toBe('launchEngineProcess: cannot start /opt/codex: spawn ENOENT');
    await expect(t.sup.waitUntilRunning(1000)).rejects.toThrow('EngineSupervisor.waitUntilRunning: the engine is failed: launchEngineProcess: cannot start');
    expect(t.exitHooks.size).toBe(0);
    expect(t.clock.pending).toEqual([]);
  });

  it('stop() during the first launch: the late process is stopped, never adopted', async () => {
    const t = setup();
    const started = t.sup.start();
    await settle();
    expect(t.sup.state).toBe('starting');
    const stopped = t.sup.stop();
    expect(t.sup.state).toBe('stopped');
    const late = t.launcher.last.resolve();
    await expect(started).rejects.toThrow('EngineSupervisor.start: stopped while starting');
    await stopped;
    expect(late.stopCalls).toBe(1);
    expect(t.sup.state).toBe('stopped');
    expect(t.sup.pid).toBeUndefined();
    expect(t.states).toEqual(['starting', 'stopped']);
    expect(t.exitHooks.size).toBe(0);
  });

  it('stop() during a relaunch: the relaunched process is stopped and no restart is reported', async () => {
    const t = setup();
    const proc = await t.startRunning();
    proc.crash();
    await settle();
    t.clock.advance(100);
    await settle();
    expect(t.launcher.calls).toHaveLength(2);
    const stopped = t.sup.stop();
    const late = t.launcher.last.resolve();
    await stopped;
    await settle();
    expect(late.stopCalls).toBe(1);
    expect(t.restarted).toEqual([]);
    expect(t.sup.state).toBe('stopped');
  });

  it('stop() during the backoff delay cancels the restart', async () => {
    const t = setup();
    const proc = await t.startRunning();
    proc.crash();
    await settle();
    expect(t.clock.pending).toEqual([100]);
    await t.sup.stop();
    expect(t.clock.pending).toEqual([]);
    t.clock.advance(10_000);
    await settle();
    expect(t.launcher.calls).toHaveLength(1);
    expect(t.sup.state).toBe('stopped');
  });

  it('epochs: an exit of a process from before stop()/start() is ignored', async () => {
    const t = setup();
    const old = await t.startRunning();
    // stop() asks the old process to stop; it "exits" asynchronously after the new start.
    let finishOld!: () => void;
    old.stop = () => {
      old.stopCalls++;
      return new Promise<EngineExit>((r) => (finishOld = () => r({ code: 0, signal: null })));
    };
    const stopping = t.sup.stop();
    const next = t.sup.start();
    await settle();
    const fresh = t.launcher.last.resolve();
    await next;
    old.crash(); // the stale process's exit arrives late
    finishOld();
    await stopping;
    await settle();
    expect(t.exits).toEqual([]);
    expect(t.sup.state).toBe('running');
    expect(t.sup.endpoint()).toEqual(fresh.endpoint);
  });

  it('kills live engines from the host-exit hook, and unhooks on stop()', async () => {
    const t = setup();
    const proc = await t.startRunning();
    expect(t.exitHooks.size).toBe(1);
    for (const fn of t.exitHooks) fn();
    expect(proc.killed).toBe(true);
    await t.sup.stop();
    expect(t.exitHooks.size).toBe(0);
  });

  it('a throwing listener is logged and does not break supervision', async () => {
    const t = setup();
    t.sup.onExit(() => {
      throw new Error('listener bug');
    });
    const proc = await t.startRunning();
    proc.crash();
    await settle();
    expect(t.sup.state).toBe('restarting');
    expect(t.logLines.some((l) => l.includes('listener threw') && l.includes('listener bug'))).toBe(true);
    await t.relaunch(100);
    expect(t.sup.state).toBe('running');
  });

  it('dispose() stops the engine, drops the listeners and refuses a new start', async () => {
    const t = setup();
    const proc = await t.startRunning();
    await t.sup.dispose();
    expect(proc.stopCalls).toBe(1);
    expect(t.states.at(-1)).toBe('stopped');
    await expect(t.sup.start()).rejects.toThrow('EngineSupervisor.start: disposed');
    expect(t.exitHooks.size).toBe(0);
  });
});
