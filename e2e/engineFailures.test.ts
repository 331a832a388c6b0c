/**
 * Engine supervision when things go wrong, with the REAL `codex app-server`: a first launch
 * that fails, repeated crashes (give up), stop() during a running turn (SIGKILL after the
 * drain bound), stop() while starting, and a host that exits without stop().
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createLineLogger } from '../shared/util/logger.js';
import { EngineSupervisor, type EngineExitEvent, type EngineState } from '../host/engine/engineSupervisor.js';
import { findCodexBinary } from '../host/engine/findCodexBinary.js';
import { describeProcess, isProcessAlive, pidsWithCodexHome } from './fixtures/engineProcesses.js';
import { useStack } from './fixtures/stack.js';
import { openWsDriver } from './fixtures/wsDriver.js';

// 100 deltas × 200 ms: a turn that is still streaming when stop() is called.
const stack = useStack({ label: 'engine-failures', host: false, fake: { slowDeltaCount: 100, slowDeltaMs: 200 } });
const bin = findCodexBinary({ env: process.env }).path;
const supervisors: EngineSupervisor[] = [];

type SupervisorOptions = ConstructorParameters<typeof EngineSupervisor>[0];

function makeSupervisor(extra: Partial<Omit<SupervisorOptions, 'launch'>> & { launch?: Partial<SupervisorOptions['launch']> } = {}, lines: string[] = []): EngineSupervisor {
  const s = new EngineSupervisor({ logger: createLineLogger((l) => lines.push(l), 'debug'), ...extra, launch: { bin, env: stack.env, cwd: stack.home.workdir, ...extra.launch } });
  supervisors.push(s);
  return s;
}

// Each test's engines are stopped here (before the stack's own teardown), and nothing may be left:
// what an engine started for a thread (its login-shell snapshot runs in a session of its own)
// ends by itself shortly after, so that is awaited, bounded.
afterEach(async () => {
  await Promise.all(supervisors.splice(0).map((s) => s.stop()));
  await expect.poll(() => pidsWithCodexHome(stack.home.codexHome).map(describeProcess), { timeout: 30_000 }).toEqual([]);
});

describe('engine supervisor failure handling (real codex app-server)', () => {
  it('fails the first start with the engine’s own error when its config is refused', async () => {
    const s = makeSupervisor({ launch: { extraArgs: ['-c', 'approval_policy="untrusted"'] } });
    await expect(s.start()).rejects.toThrow(/launchEngineProcess: codex app-server exited \(code 1\) before listening; last engine output:[\s\S]*untrusted/);
    expect(s.state).toBe('failed');
    expect(s.lastError).toMatch(/untrusted/);
    await expect(s.waitUntilRunning(1000)).rejects.toThrow(/the engine is failed/);
  });

  it('fails clearly when the binary cannot be started', async () => {
    const s = makeSupervisor({ launch: { bin: '/definitely/not/here/codex' } });
    await expect(s.start()).rejects.toThrow('launchEngineProcess: cannot start /definitely/not/here/codex: spawn /definitely/not/here/codex ENOENT');
    expect(s.state).toBe('failed');
  });

  it('restarts after a crash, then gives up after repeated fast crashes', async () => {
    const states: EngineState[] = [];
    const exits: EngineExitEvent[] = [];
    const s = makeSupervisor({ restart: { initialDelayMs: 100, maxFastCrashes: 2 } });
    s.onStateChange((st) => states.push(st));
    s.onExit((e) => exits.push(e));
    await s.start();
    const restarted = new Promise<void>((resolve) => s.onRestarted(() => resolve()));
    process.kill(s.pid as number, 'SIGKILL');
    await restarted;
    expect(states).toEqual(['starting', 'running', 'restarting', 'running']);
    process.kill(s.pid as number, 'SIGKILL');
    await expect.poll(() => s.state, { timeout: 30_000 }).toBe('failed');
    expect(exits.map((e) => [e.signal, e.willRestart])).toEqual([
      ['SIGKILL', true],
      ['SIGKILL', false],
    ]);
    expect(exits[0]?.restartDelayMs).toBe(100);
    expect(s.lastError).toMatch(/exited unexpectedly \(signal SIGKILL\).*gave up after 2 fast crashes/);
    expect(() => s.endpoint()).toThrow('EngineSupervisor.endpoint: the engine is failed');
    // A new start() after `failed` starts afresh.
    await s.start();
    expect(s.state).toBe('running');
  });

  it('stop() during a streaming turn: SIGTERM, then SIGKILL after the drain bound', async () => {
    const lines: string[] = [];
    const s = makeSupervisor({ stopTimeoutMs: 1500 }, lines);
    const { url, token } = await s.start();
    const d = await openWsDriver(url, { headers: { Authorization: `Bearer ${token}` } });
    await d.initialize();
    const { thread } = (await d.request('thread/start', { cwd: stack.home.workdir })) as { thread: { id: string } };
    await d.request('turn/start', { threadId: thread.id, input: [{ type: 'text', text: 'SLOW stream for a while', text_elements: [] }] });
    await d.waitFor((m) => m.method === 'item/agentMessage/delta', 30_000);
    const pid = s.pid as number;
    const t0 = Date.now();
    await s.stop();
    const took = Date.now() - t0;
    expect(took).toBeGreaterThanOrEqual(1400);
    expect(took).toBeLessThan(10_000);
    expect(() => process.kill(pid, 0)).toThrow(/ESRCH/);
    expect(lines.some((l) => l.includes('engine did not exit after SIGTERM; killing it'))).toBe(true);
    expect((await d.closed).code).not.toBe(1000);
  });

  it('stop() while starting leaves nothing running', async () => {
    const s = makeSupervisor();
    const starting = s.start();
    expect(s.state).toBe('starting');
    await s.stop();
    await expect(starting).rejects.toThrow('EngineSupervisor.start: stopped while starting');
    expect(s.state).toBe('stopped');
    expect(pidsWithCodexHome(stack.home.codexHome)).toEqual([]);
  });

  it('kills the engine when the host process exits without stop()', async () => {
    const script = fileURLToPath(new URL('./fixtures/engineHostExitScript.ts', import.meta.url));
    const out = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, ['--import', 'tsx', script, bin, stack.home.codexHome], { env: stack.env, timeout: 60_000 }, (err, stdout) =>
        err ? reject(err) : resolve(stdout),
      );
    });
    const pid = Number(/ENGINE_PID (\d+)/.exec(out)?.[1]);
    expect(pid).toBeGreaterThan(0);
    await expect.poll(() => isProcessAlive(pid), { timeout: 5000 }).toBe(false);
    expect(pidsWithCodexHome(stack.home.codexHome)).toEqual([]);
  });
});
