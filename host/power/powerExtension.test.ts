/**
 * Keep-awake wired into the hub (powerExtension.ts): the `power` feature table and who may use
 * it, the turn reason from per-environment busy state, the remote-access reason from the relay
 * state, the setting saved in power.json (and refused when it cannot be saved), an unreadable
 * setting file, an adapter that is not available, and dispose. Fake blocker and power source;
 * the real hub with in-memory engines (hubTestKit).
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HostInfoExtras } from '../hub/hub.js';
import { Emitter, type Disposable } from '../../shared/util/lifecycle.js';
import { silentLogger } from '../../shared/util/logger.js';
import type { StartedExtension } from '../app/hostApp.js';
import { createTestHub, MemoryEngine, type EngineSide } from '../hub/testing/hubTestKit.js';
import { UnavailablePowerBlocker, type PowerBlock, type PowerBlocker, type PowerSource } from './powerBlocker.js';
import { createPowerExtension } from './powerExtension.js';
import { POWER_SETTINGS_FILE } from './powerSettings.js';

class FakeBlocker implements PowerBlocker {
  readonly name = 'fake blocker';
  readonly unavailableReason = undefined;
  live = 0;
  starts: string[] = [];
  start(why: string): Promise<PowerBlock> {
    this.starts.push(why);
    this.live++;
    let done = false;
    return Promise.resolve({
      dispose: () => {
        if (!done) this.live--;
        done = true;
      },
    });
  }
}

class FakeSource implements PowerSource {
  onBattery: boolean | undefined = false;
  disposed = false;
  readonly #changed = new Emitter<boolean | undefined>();
  onDidChange(l: (v: boolean | undefined) => void): Disposable {
    return this.#changed.on(l);
  }
  set(v: boolean | undefined): void {
    this.onBattery = v;
    this.#changed.fire(v);
  }
  dispose(): void {
    this.disposed = true;
  }
}

let dataDir: string;
const running: StartedExtension[] = [];
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'power-ext-'));
});
afterEach(async () => {
  for (const e of running.splice(0)) await e.dispose();
  await rm(dataDir, { recursive: true, force: true });
});

/** A hub plus the started extension, registered the way createHost does it. */
async function setup(o: { blocker?: PowerBlocker; describe?: () => HostInfoExtras } = {}) {
  let extras: HostInfoExtras = {};
  const t = createTestHub({ hub: { describe: () => ({ ...(o.describe?.() ?? {}), ...extras }) } });
  const blocker = o.blocker ?? new FakeBlocker();
  const source = new FakeSource();
  const started = await createPowerExtension({ adapters: { blocker, source } }).start({ hub: t.hub, dataDir, logger: silentLogger, hostName: 'test-host' });
  running.push(started);
  t.hub.registerFeatures(started.features!);
  extras = started.describe?.() ?? {};
  const cli = t.attach('cli', 'admin');
  const get = () => cli.conn.request('host/power/get') as Promise<Record<string, unknown>>;
  return { ...t, blocker: blocker as FakeBlocker, source, started, cli, get, refreshExtras: () => (extras = started.describe?.() ?? {}) };
}

/** The hub's busy monitor of `engine`, once it connected. */
async function monitorOf(engine: MemoryEngine): Promise<EngineSide> {
  await expect.poll(() => engine.connections.some((c) => c.monitor)).toBe(true);
  return engine.connections.find((c) => c.monitor)!;
}

const status = (threadId: string, type: 'active' | 'idle') => JSON.stringify({ method: 'thread/status/changed', params: { threadId, status: { type } } });

describe('the power host feature', () => {
  it('is on, answers the real state to admins and refuses other kinds', async () => {
    const { cli, get, attach } = await setup();
    const info = (await cli.conn.request('host/info')) as { features: string[] };
    expect(info.features).toContain('power');
    await expect(get()).resolves.toEqual({ keepAwake: true, held: false, reasons: [], runningTurns: 0, remoteAccess: false, available: true, onBattery: false, mechanism: 'fake blocker' });
    const phone = attach('phone', 'p', 'a'.repeat(32));
    await expect(phone.conn.request('host/power/get')).rejects.toMatchObject({ code: -32600, message: expect.stringContaining('not allowed for phone clients') });
    const tui = attach('tui');
    await expect(tui.conn.request('host/power/set', { keepAwake: false })).rejects.toMatchObject({ code: -32600 });
    await expect(cli.conn.request('host/power/set', { keepAwake: 'no' })).rejects.toMatchObject({ code: -32602 });
  });

  it('holds the computer awake while a turn runs in an environment and releases it when the turn ends', async () => {
    const { engine, blocker, get, cli } = await setup();
    await cli.conn.request('host/notifications/subscribe', { methods: ['host/power/changed'] });
    const monitor = await monitorOf(engine);
    monitor.raw.send(status('thread-1', 'active'));
    await expect.poll(get).toMatchObject({ held: true, reasons: ['turn'], runningTurns: 1 });
    expect(blocker.live).toBe(1);
    // One probe at start (so the UI can say "not available" before anything needs it), then the turn.
    expect(blocker.starts).toEqual(['checking that sleep can be prevented', 'Codex Host: a Codex turn is running']);
    await expect(cli.next((m) => m.method === 'host/power/changed' && (m.params as { held?: boolean }).held === true)).resolves.toBeTruthy();
    monitor.raw.send(status('thread-1', 'idle'));
    await expect.poll(get).toMatchObject({ held: false, reasons: [], runningTurns: 0 });
    expect(blocker.live).toBe(0);
  });

  it('counts one turn key per environment, and releases an environment that is removed while busy', async () => {
    const t = await setup();
    const second = new MemoryEngine();
    const removal = t.hub.environments.add({ id: 'ssh:box', kind: 'ssh', name: 'box', engine: second });
    (await monitorOf(t.engine)).raw.send(status('a', 'active'));
    (await monitorOf(second)).raw.send(status('b', 'active'));
    await expect.poll(t.get).toMatchObject({ held: true, runningTurns: 2 });
    removal.dispose();
    await expect.poll(t.get).toMatchObject({ held: true, runningTurns: 1 });
    (await monitorOf(t.engine)).raw.send(status('a', 'idle'));
    await expect.poll(t.get).toMatchObject({ held: false, runningTurns: 0 });
    expect(t.blocker.live).toBe(0);
  });

  it('follows remote access: on at start when the relay client runs, off when it stops, and not on battery', async () => {
    const relay = 'ws://127.0.0.1:4600';
    const t = await setup({ describe: () => ({ remoteAccess: { state: 'registered', relay } }) });
    await expect.poll(t.get).toMatchObject({ held: true, reasons: ['remote-access'], remoteAccess: true });
    t.source.set(true);
    await expect.poll(t.get).toMatchObject({ held: false, reasons: [], remoteAccess: true, onBattery: true });
    t.source.set(false);
    await expect.poll(t.get).toMatchObject({ held: true, reasons: ['remote-access'] });
    t.hub.notify('host/remoteAccess/changed', { state: 'stopped', relay });
    await expect.poll(t.get).toMatchObject({ held: false, reasons: [], remoteAccess: false });
    expect(t.blocker.live).toBe(0);
  });

  it('saves the setting in power.json; a new start reads it back; off drops only the remote-access reason', async () => {
    const relay = 'ws://127.0.0.1:4600';
    const t = await setup({ describe: () => ({ remoteAccess: { state: 'connecting', relay } }) });
    await expect.poll(t.get).toMatchObject({ held: true, reasons: ['remote-access'] });
    await expect(t.cli.conn.request('host/power/set', { keepAwake: false })).resolves.toMatchObject({ keepAwake: false, reasons: [] });
    expect(JSON.parse(await readFile(join(dataDir, POWER_SETTINGS_FILE), 'utf8'))).toEqual({ keepAwake: false });
    await expect.poll(t.get).toMatchObject({ held: false });
    // A turn still holds it, whatever the setting.
    (await monitorOf(t.engine)).raw.send(status('x', 'active'));
    await expect.poll(t.get).toMatchObject({ held: true, reasons: ['turn'], keepAwake: false });
    await t.started.dispose();
    running.splice(0);
    const again = await setup();
    await expect(again.get()).resolves.toMatchObject({ keepAwake: false });
  });

  it('refuses a setting it cannot save and changes nothing', async () => {
    // A directory where power.json belongs: unreadable at start (default on), and no write can replace it.
    await mkdir(join(dataDir, POWER_SETTINGS_FILE));
    const t = await setup();
    await expect(t.cli.conn.request('host/power/set', { keepAwake: false })).rejects.toMatchObject({
      code: -32603,
      message: expect.stringMatching(/^host\/power\/set: the setting could not be saved \(.+\); nothing was changed$/),
    });
    await expect(t.get()).resolves.toMatchObject({ keepAwake: true });
  });

  it('keeps an unreadable power.json as it is, warns in host/info, uses the default until the setting is changed', async () => {
    await writeFile(join(dataDir, POWER_SETTINGS_FILE), '{"keepAwake": "maybe"}');
    const t = await setup();
    await expect(t.get()).resolves.toMatchObject({ keepAwake: true });
    const info = (await t.cli.conn.request('host/info')) as { warnings?: string[] };
    expect(info.warnings).toEqual([expect.stringMatching(/power\.json is unreadable \(.*keepAwake.*\); keep-awake uses its default \(on\) until the setting is changed$/)]);
    expect(await readFile(join(dataDir, POWER_SETTINGS_FILE), 'utf8')).toBe('{"keepAwake": "maybe"}');
    await t.cli.conn.request('host/power/set', { keepAwake: true });
    t.refreshExtras();
    expect(((await t.cli.conn.request('host/info')) as { warnings?: string[] }).warnings).toBeUndefined();
    expect(JSON.parse(await readFile(join(dataDir, POWER_SETTINGS_FILE), 'utf8'))).toEqual({ keepAwake: true });
  });

  it('says why keep-awake is not available here', async () => {
    const t = await setup({ blocker: new UnavailablePowerBlocker('the headless host cannot keep Windows awake; the Codex Host desktop app can') });
    (await monitorOf(t.engine)).raw.send(status('x', 'active'));
    await expect.poll(t.get).toMatchObject({
      held: false,
      reasons: ['turn'],
      available: false,
      unavailableReason: 'the headless host cannot keep Windows awake; the Codex Host desktop app can',
      mechanism: 'none',
    });
  });

  it('releases the block and disposes the power source on dispose', async () => {
    const t = await setup();
    (await monitorOf(t.engine)).raw.send(status('x', 'active'));
    await expect.poll(t.get).toMatchObject({ held: true });
    await t.started.dispose();
    running.splice(0);
    expect(t.blocker.live).toBe(0);
    expect(t.source.disposed).toBe(true);
  });
});
