/**
 * Keep-awake in the real headless host (docs/keep-awake.md): `codex-host serve` over the real
 * engine (fake model). A turn waiting on an approval is running, so `host/power/get` (through
 * the control endpoint, as the CLI) says the computer is held awake for reason `turn` — or, on a
 * machine where systemd-inhibit cannot take a lock (a container without a system bus), "not
 * available" with systemd-inhibit's own stderr line, which the test learns by running the same
 * tool. `codex-host status` shows the same state. The setting is saved and survives a restart.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withHostClient } from '../host/control/controlClient.js';
import type { PowerState } from '../shared/protocol/features/powerApi.js';
import { createCodexHome, TEST_OUTPUT_DIR, type CodexHomeFixture } from './fixtures/codexHome.js';
import { startFakeResponses, type FakeResponsesServer } from './fixtures/fakeResponses.js';
import { runCliAsync, startHostProcess, type HostProcess } from './fixtures/hostProcess.js';
import { openWsDriver, type WireMessage, type WsDriver } from './fixtures/wsDriver.js';

const TURN_MS = 45_000;
let fake: FakeResponsesServer;
let home: CodexHomeFixture;
let dataDir: string;
let host: HostProcess | undefined;
const drivers: WsDriver[] = [];

const power = () => withHostClient(dataDir, (h) => h.call('host/power/get'));

/** What keep-awake should report here while a turn runs, learned from the real tool. */
function expectedWhileTurnRuns(): Partial<PowerState> {
  if (process.platform !== 'linux') return {};
  const tool = spawnSync('sh', ['-c', 'command -v systemd-inhibit'], { encoding: 'utf8' }).stdout.trim();
  if (!tool) return { held: false, available: false, unavailableReason: 'systemd-inhibit is not installed (not on PATH), so this computer cannot be kept awake' };
  const probe = spawnSync(tool, ['--what=sleep:idle', '--who=probe', '--why=probe', '--mode=block', 'true'], { encoding: 'utf8', timeout: 5000 });
  if (probe.status === 0) return { held: true, available: true, mechanism: 'systemd-inhibit' };
  return { held: false, available: false, unavailableReason: `systemd-inhibit: ${probe.stderr.trim().split('\n').at(-1)}`, mechanism: 'systemd-inhibit' };
}

beforeAll(async () => {
  fake = await startFakeResponses();
  home = await createCodexHome({ modelBaseUrl: fake.baseUrl, label: 'keep-awake' });
  dataDir = await mkdtemp(join(TEST_OUTPUT_DIR, 'keep-awake-data-'));
  host = await startHostProcess({ dataDir, env: home.env, cwd: home.workdir, args: ['--listen', 'ws://127.0.0.1:0', '--no-remote'] });
});

afterAll(async () => {
  for (const d of drivers) d.terminate();
  await host?.stop();
  await fake?.close();
  await home?.cleanup();
  await rm(dataDir, { recursive: true, force: true });
});

describe('keep-awake in codex-host serve', () => {
  it('is held for reason "turn" while a turn runs (or says why it is not available here), and status shows it', async () => {
    expect(host).toBeDefined();
    const idle = await power();
    expect(idle).toMatchObject({ keepAwake: true, held: false, reasons: [], runningTurns: 0, remoteAccess: false });

    const d = await openWsDriver(host!.listenUrl!);
    drivers.push(d);
    await d.initialize('keep-awake-e2e');
    const thread = ((await d.request('thread/start', { cwd: home.workdir })) as { thread: { id: string } }).thread.id;
    await d.request('turn/start', { threadId: thread, input: [{ type: 'text', text: 'please RUN echo waiting-for-approval', text_elements: [] }] });
    const approval = await d.waitFor((m: WireMessage) => m.method === 'item/commandExecution/requestApproval', TURN_MS);

    const want = expectedWhileTurnRuns();
    await expect.poll(power, { timeout: 15_000 }).toMatchObject({ reasons: ['turn'], runningTurns: 1, ...want });
    const status = await runCliAsync(['status', '--data-dir', dataDir]);
    expect(status.code).toBe(0);
    const line = status.stdout.split('\n').find((l) => l.startsWith('  awake:'));
    expect(line).toEqual(
      want.held
        ? '  awake:    held by systemd-inhibit: a turn is running (setting on)'
        : want.available === false
          ? `  awake:    not available here: ${want.unavailableReason} (setting on)`
          : expect.stringContaining('a turn is running'),
    );

    d.respond(approval.id!, { decision: 'accept' });
    await d.waitFor((m: WireMessage) => m.method === 'turn/completed', TURN_MS);
    await expect.poll(power, { timeout: 15_000 }).toMatchObject({ held: false, reasons: [], runningTurns: 0 });
  });

  it('saves the setting in the data dir (codex-host keep-awake off), and a restarted host reads it back', async () => {
    const off = await runCliAsync(['keep-awake', 'off', '--data-dir', dataDir]);
    expect(off.code).toBe(0);
    expect(off.stdout.trim()).toMatch(/^keep-awake: (not held: no turn is running|not available here: .+) \(setting off\)$/);
    expect(JSON.parse(await readFile(join(dataDir, 'power.json'), 'utf8'))).toEqual({ keepAwake: false });
    await host!.stop();
    host = await startHostProcess({ dataDir, env: home.env, cwd: home.workdir, args: ['--no-remote'] });
    await expect(power()).resolves.toMatchObject({ keepAwake: false });
    const status = await runCliAsync(['status', '--data-dir', dataDir]);
    expect(status.stdout).toContain('(setting off)');
    const bad = await runCliAsync(['keep-awake', 'sometimes', '--data-dir', dataDir]);
    expect([bad.code, bad.stderr.trim()]).toEqual([2, 'codex-host: keep-awake: expected "on" or "off", not "sometimes"']);
    await expect(withHostClient(dataDir, (h) => h.call('host/power/set', { keepAwake: true }))).resolves.toMatchObject({ keepAwake: true });
    expect(JSON.parse(await readFile(join(dataDir, 'power.json'), 'utf8'))).toEqual({ keepAwake: true });
  });
});
