import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../shared/util/logger.js';
import { EngineSupervisor } from './engineSupervisor.js';
import type { EngineExit, EngineProcess } from './launchEngineProcess.js';
import { SupervisedEnginePort } from './supervisedEnginePort.js';

/** A process that exits when `crash()` is called. */
function fakeProcess(pid: number): EngineProcess & { crash(): void } {
  let exit!: (e: EngineExit) => void;
  let exitInfo: EngineExit | undefined;
  const exited = new Promise<EngineExit>((r) => (exit = r));
  const finish = (e: EngineExit) => {
    exitInfo ??= e;
    exit(e);
  };
  return {
    pid,
    endpoint: { url: `ws://127.0.0.1:${4000 + pid}`, token: 't' },
    readyAt: 0,
    exited,
    get hasExited() {
      return exitInfo !== undefined;
    },
    stop: () => (finish({ code: 0, signal: null }), exited),
    killNow: () => {},
    stderrTail: () => [],
    crash: () => finish({ code: null, signal: 'SIGKILL' }),
  };
}

describe('SupervisedEnginePort', () => {
  it('counts restarts and tells the hub, until disposed (its supervisor subscription is released)', async () => {
    const procs: ReturnType<typeof fakeProcess>[] = [];
    const sup = new EngineSupervisor({
      launch: { bin: 'codex' },
      logger: silentLogger,
      restart: { initialDelayMs: 1 },
      launcher: () => Promise.resolve(procs[procs.push(fakeProcess(procs.length + 1)) - 1]!),
      onHostExit: () => () => {},
    });
    await sup.start();
    const port = new SupervisedEnginePort(sup, '0.169.0');
    let told = 0;
    port.onRestart(() => told++);
    procs[0]!.crash();
    await expect.poll(() => port.restarts).toBe(1);
    expect(told).toBe(1);
    await expect.poll(() => procs.length).toBe(2);
    await expect.poll(() => sup.state).toBe('running');

    port.dispose();
    procs[1]!.crash();
    await expect.poll(() => procs.length).toBe(3);
    await expect.poll(() => sup.state).toBe('running');
    expect(port.restarts).toBe(1);
    expect(told).toBe(1);
    await sup.dispose();
  });
});
