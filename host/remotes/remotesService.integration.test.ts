/**
 * One host controlling another, in one process over real parts: a real relay on 127.0.0.1:0,
 * host B's hub (over an in-memory engine) with the real remote-access extension, and host A's
 * hub with the real `remotes` service and feature (controller library over `ws`, real crypto).
 * What a Settings screen sees: every subtitle of the state machine, the details, the
 * environment, approvals audited on B under A's name, B's engine restart, revocation, offline.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startRelay, type Relay } from '../../relay/server/relayServer.js';
import type { RemoteInfo } from '../../shared/protocol/features/remotesApi.js';
import { silentLogger } from '../../shared/util/logger.js';
import type { HostInfoExtras } from '../hub/hub.js';
import { createTestHub, MemoryEngine, approvalRequest, type TestClient } from '../hub/testing/hubTestKit.js';
import { FileSecretStore, type SecretStores } from '../identity/secretStore.js';
import { createRemoteAccess } from '../remote-access/remoteAccess.js';
import { nodeAead } from '../remote-access/nodeAead.js';
import { loadControllerDevice, loadOrCreateControllerDevice } from './controllerDevice.js';
import { nodeWebSocket } from './nodeWebSocket.js';
import { remotesFeature } from './remotesFeature.js';
import { RemotesService } from './remotesService.js';
import { RemotesStore } from './remotesStore.js';

/** Pairing renders QR codes and runs handshakes: on a loaded machine that takes longer than the kit's 2 s. */
const LONG = { timeoutMs: 20_000 };

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const fileOnly: SecretStores = {
  file: (dataDir) => new FileSecretStore(path.join(dataDir, 'secrets')),
  os: () => Promise.reject(new Error('no secret service')),
  legacy: async () => [],
};

async function poll<T>(what: string, read: () => T | Promise<T>, ok: (v: T) => boolean, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  let last = await read();
  while (!ok(last)) {
    if (Date.now() > deadline) throw new Error(`${what}: not reached; last ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 10));
    last = await read();
  }
  return last;
}

/** Host B: a hub over an in-memory engine, reachable through the relay (real remote access). */
async function startB(relay: Relay, engine = new MemoryEngine(), existingDataDir?: string) {
  let describe: (() => HostInfoExtras) | undefined;
  const t = createTestHub({ hub: { engine, hostName: 'Host B', describe: () => describe?.() ?? {} } });
  const dataDir = existingDataDir ?? (await mkdtemp(path.join(tmpdir(), 'remotes-b-')));
  const remote = await createRemoteAccess({ relayUrl: relay.url, secretStore: 'file', secretStores: fileOnly }).start({ hub: t.hub, dataDir, logger: silentLogger, hostName: 'Host B' });
  const features = t.hub.registerFeatures(remote.features!);
  describe = remote.describe;
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    features.dispose();
    await remote.dispose();
    t.hub.dispose();
  };
  cleanups.push(stop);
  const cli = t.attach('cli', 'b-cli');
  await poll('B registered', () => t.hub.info().remoteAccess?.state, (s) => s === 'registered');
  const link = ((await cli.conn.request('host/pairing/start', undefined, LONG)) as { link: string }).link;
  return { ...t, engine, cli, link, stop, dataDir, hostId: t.hub.info().hostId! };
}

/** Host A: a hub with the real remotes service and feature; its CLI client watches host/remotes/changed. */
async function startA() {
  const t = createTestHub({ hub: { hostName: 'Host A' } });
  const dataDir = await mkdtemp(path.join(tmpdir(), 'remotes-a-'));
  const records = await RemotesStore.open(dataDir, silentLogger);
  const keys = { dataDir, records, choice: 'auto' as const, logger: silentLogger, stores: fileOnly };
  const service = new RemotesService({
    hub: t.hub,
    records,
    device: (create) => (create ? loadOrCreateControllerDevice(keys) : loadControllerDevice(keys)),
    deviceName: 'Host A',
    platform: 'linux',
    aead: nodeAead,
    webSocket: nodeWebSocket,
    minCodexVersion: '0.169.0',
    logger: silentLogger,
    backoff: { initialMs: 20, maxMs: 100 },
  });
  const features = t.hub.registerFeatures({ remotes: remotesFeature(service) });
  cleanups.push(async () => {
    features.dispose();
    await service.dispose();
    t.hub.dispose();
  });
  const cli = t.attach('cli', 'a-cli');
  const labels: string[] = [];
  cli.conn.onNotification('host/remotes/changed', (p) => {
    const label = (p as { remote: RemoteInfo }).remote.label;
    if (labels.at(-1) !== label) labels.push(label);
  });
  await cli.conn.request('host/notifications/subscribe', { methods: ['host/remotes/changed'] }, LONG);
  const list = async () => ((await cli.conn.request('host/remotes/list', undefined, LONG)) as { remotes: RemoteInfo[]; deviceId?: string });
  const remoteState = async (id: string) => (await list()).remotes.find((r) => r.id === id);
  return { ...t, cli, service, records, dataDir, labels, list, remoteState };
}

async function relay(): Promise<Relay> {
  const r = await startRelay({ host: '127.0.0.1', port: 0 });
  cleanups.push(() => r.dispose());
  return r;
}

/** A client of A working in B's environment. */
async function clientOfA(a: Awaited<ReturnType<typeof startA>>, bId: string): Promise<TestClient> {
  const c = a.attach('tui', 'a-tui');
  await c.conn.request('host/environment/select', { environmentId: `remote:${bId}` }, LONG);
  return c;
}

describe('RemotesService: one host controls another through a real relay', () => {
  it('adds B from its link and walks the subtitles to Connected, with the details, the environment and B listing A', async () => {
    const r = await relay();
    const b = await startB(r);
    const a = await startA();
    const added = (await a.cli.conn.request('host/remotes/add', { link: b.link }, LONG)) as { remote: RemoteInfo };
    expect(added.remote).toMatchObject({ id: b.hostId, name: 'Host B', environmentId: `remote:${b.hostId}`, autoConnect: true });
    const row = await poll('connected', () => a.remoteState(b.hostId), (x) => x?.state === 'connected');
    expect(a.labels).toEqual(expect.arrayContaining(['Initializing secure connection', 'Confirming connection', 'Connected']));
    expect(a.labels.indexOf('Initializing secure connection')).toBeLessThan(a.labels.indexOf('Confirming connection'));
    expect(a.labels.at(-1)).toBe('Connected');
    expect(row!.details).toMatchObject({ hostName: 'Host B', platform: process.platform, arch: process.arch, codexVersion: '0.169.0', relay: r.url });
    const { deviceId } = await a.list();
    const devices = ((await b.cli.conn.request('host/devices/list', undefined, LONG)) as { devices: { deviceId: string; name: string; kind: string }[] }).devices;
    expect(devices).toContainEqual(expect.objectContaining({ deviceId, name: 'Host A', kind: 'host' }));
    const envs = (await a.cli.conn.request('host/environments/list', undefined, LONG)) as { environments: { id: string; kind: string; name: string; state: string }[] };
    expect(envs.environments).toContainEqual(expect.objectContaining({ id: `remote:${b.hostId}`, kind: 'remote', name: 'Host B', state: 'running', version: '0.169.0' }));

    // Rename shows at once, in the list and in the environment's name (and clients are told).
    const envChanges: unknown[] = [];
    a.cli.conn.onNotification('host/environments/changed', (p) => envChanges.push(p));
    await a.cli.conn.request('host/notifications/subscribe', { methods: ['host/remotes/changed', 'host/environments/changed'] }, LONG);
    await a.cli.conn.request('host/remotes/rename', { remoteId: b.hostId, name: 'Build box' }, LONG);
    await poll('environments/changed after the rename', async () => envChanges, (c) =>
      c.some((p) => (p as { environments: { id: string; name: string }[] }).environments.some((e) => e.id === `remote:${b.hostId}` && e.name === 'Build box')),
    );
    expect((await a.remoteState(b.hostId))?.name).toBe('Build box');
    const renamed = (await a.cli.conn.request('host/environments/list', undefined, LONG)) as { environments: { id: string; name: string }[] };
    expect(renamed.environments.find((e) => e.id === `remote:${b.hostId}`)?.name).toBe('Build box');
  });

  it('carries a client of A to B\u2019s engine; its approval answer is audited on B under A\u2019s name and reaches B\u2019s engine', async () => {
    const r = await relay();
    const b = await startB(r);
    const a = await startA();
    await a.cli.conn.request('host/remotes/add', { link: b.link }, LONG);
    await poll('connected', () => a.remoteState(b.hostId), (x) => x?.state === 'connected');
    const c = await clientOfA(a, b.hostId);
    const asked = new Promise<unknown>((resolve) => c.conn.onRequest('item/commandExecution/requestApproval', (p) => (resolve(p), { decision: 'accept' })));
    await c.conn.request('initialize', { clientInfo: { name: 'a-tui' } }, LONG);
    const onB = await b.engine.client(0);
    onB.raw.send(approvalRequest(0, 'touch x'));
    expect(await asked).toMatchObject({ command: 'touch x' });
    await poll('the answer reached B\u2019s engine', () => onB.received.some((t) => t.includes('"decision":"accept"')), (x) => x);
    const { deviceId } = await a.list();
    expect(b.audit.entries).toContainEqual(expect.objectContaining({ client: { kind: 'host', id: deviceId, name: 'Host A' }, environmentId: 'local', decision: 'accept', outcome: 'applied' }));
    expect(a.audit.entries).toContainEqual(expect.objectContaining({ client: expect.objectContaining({ kind: 'tui' }), environmentId: `remote:${b.hostId}`, decision: 'accept' }));

    // Every client of A is its own session on B, with its own engine connection there.
    const second = await clientOfA(a, b.hostId);
    await second.conn.request('initialize', { clientInfo: { name: 'a-tui-2' } }, LONG);
    await b.engine.client(1);
    // The status session, A's busy monitor of B, and the two clients.
    await poll('four sessions of A on B', () => b.hub.clients().filter((x) => x.kind === 'host' && x.id === deviceId).length, (n) => n === 4);
  });

  it('says "Update required" with both versions when B\u2019s Codex is too old, and offers no usable environment', async () => {
    const r = await relay();
    const old = new MemoryEngine();
    old.version = '0.100.0';
    const b = await startB(r, old);
    const a = await startA();
    await a.cli.conn.request('host/remotes/add', { link: b.link }, LONG);
    const row = await poll('update required', () => a.remoteState(b.hostId), (x) => x?.state === 'updateRequired');
    expect(row).toMatchObject({ label: 'Update required', versions: { remote: '0.100.0', required: '0.169.0' } });
    expect(row!.message).toBe('Codex 0.100.0 on Host B; this host needs 0.169.0 or newer');
    const envs = (await a.cli.conn.request('host/environments/list', undefined, LONG)) as { environments: { id: string; state: string }[] };
    expect(envs.environments.find((e) => e.id === `remote:${b.hostId}`)?.state).toBe('failed');
  });

  it('says "Waiting for device" while B\u2019s engine is not running, and "Connected" as soon as it runs', async () => {
    const r = await relay();
    const engine = new MemoryEngine();
    engine.state = 'starting';
    const b = await startB(r, engine);
    const a = await startA();
    await a.cli.conn.request('host/remotes/add', { link: b.link }, LONG);
    await poll('waiting', () => a.remoteState(b.hostId), (x) => x?.label === 'Waiting for device');
    engine.setState('running');
    await poll('connected', () => a.remoteState(b.hostId), (x) => x?.state === 'connected');
  });

  it('passes B\u2019s engine restart on to A\u2019s clients of B (1012), and connects again by itself', async () => {
    const r = await relay();
    const b = await startB(r);
    const a = await startA();
    await a.cli.conn.request('host/remotes/add', { link: b.link }, LONG);
    await poll('connected', () => a.remoteState(b.hostId), (x) => x?.state === 'connected');
    const c = await clientOfA(a, b.hostId);
    await c.conn.request('initialize', { clientInfo: { name: 'a-tui' } }, LONG);
    await b.engine.client(0);
    b.engine.restart();
    expect(await c.closed).toEqual({ code: 1012, reason: 'engine restarted; reconnect to continue' });
    await poll('connected again', () => a.remoteState(b.hostId), (x) => x?.state === 'connected');
  });

  it('shows "Removed by Host B" when B revokes A (kept on disk), ends A\u2019s clients of B and drops the environment', async () => {
    const r = await relay();
    const b = await startB(r);
    const a = await startA();
    await a.cli.conn.request('host/remotes/add', { link: b.link }, LONG);
    await poll('connected', () => a.remoteState(b.hostId), (x) => x?.state === 'connected');
    const c = await clientOfA(a, b.hostId);
    await c.conn.request('initialize', { clientInfo: { name: 'a-tui' } }, LONG);
    const { deviceId } = await a.list();
    await b.cli.conn.request('host/devices/revoke', { deviceId }, LONG);
    const row = await poll('removed', () => a.remoteState(b.hostId), (x) => x?.state === 'removed');
    expect(row!.label).toBe('Removed by Host B');
    expect((await c.closed).code).toBeGreaterThanOrEqual(1000);
    const envs = (await a.cli.conn.request('host/environments/list', undefined, LONG)) as { environments: { id: string }[] };
    expect(envs.environments.map((e) => e.id)).toEqual(['local']);
    await poll('saved', () => RemotesStore.open(a.dataDir, silentLogger).then((s) => s.get(b.hostId)?.removedAt ?? null), (x) => x !== null);
    // Turning the connection on again tries once more, and B says revoked again.
    await a.cli.conn.request('host/remotes/connect', { remoteId: b.hostId }, LONG);
    await poll('removed again', () => a.remoteState(b.hostId), (x) => x?.state === 'removed');
    // Remove works without contacting anyone.
    await expect(a.cli.conn.request('host/remotes/remove', { remoteId: b.hostId }, LONG)).resolves.toEqual({ removed: true });
    expect((await a.list()).remotes).toEqual([]);
  });

  it('says "Offline" while B is away from its relay, "Disconnected" when the toggle is off, and refuses a used link', async () => {
    const r = await relay();
    const b = await startB(r);
    const a = await startA();
    await a.cli.conn.request('host/remotes/add', { link: b.link }, LONG);
    await poll('connected', () => a.remoteState(b.hostId), (x) => x?.state === 'connected');
    await b.stop();
    const offline = await poll('offline', () => a.remoteState(b.hostId), (x) => x?.state === 'offline');
    expect(offline).toMatchObject({ label: 'Offline', message: 'Host B is offline (not connected to its relay)' });
    await a.cli.conn.request('host/remotes/disconnect', { remoteId: b.hostId }, LONG);
    expect((await a.remoteState(b.hostId))?.label).toBe('Disconnected');
    const envs = (await a.cli.conn.request('host/environments/list', undefined, LONG)) as { environments: { id: string }[] };
    expect(envs.environments.map((e) => e.id)).toEqual(['local']);
    await a.cli.conn.request('host/remotes/connect', { remoteId: b.hostId }, LONG);
    await poll('offline while B is away', () => a.remoteState(b.hostId), (x) => x?.state === 'offline');
    // B comes back (same identity, same trusted devices): A connects by itself.
    await startB(r, new MemoryEngine(), b.dataDir);
    await poll('connected again', () => a.remoteState(b.hostId), (x) => x?.state === 'connected');
    // The same link again: it was used.
    await expect(a.cli.conn.request('host/remotes/add', { link: b.link }, LONG)).rejects.toMatchObject({
      code: -32600,
      message: 'host/remotes/add: the pairing link has expired or was already used; show a new one on the other host (codex-host pair)',
    });
    await expect(a.cli.conn.request('host/remotes/rename', { remoteId: 'f'.repeat(32), name: 'x' }, LONG)).rejects.toMatchObject({ code: -32602, message: `host/remotes/rename: no controlled host with id ${'f'.repeat(32)}` });
  });

  it('refuses the TUI endpoint for a remote that is not connected, and ends an endpoint with the connection that asked for it', async () => {
    const r = await relay();
    const b = await startB(r);
    const a = await startA();
    await a.cli.conn.request('host/remotes/add', { link: b.link }, LONG);
    await poll('connected', () => a.remoteState(b.hostId), (x) => x?.state === 'connected');
    const ep = (await a.cli.conn.request('host/remotes/listen', { remoteId: b.hostId, listen: 'ws://127.0.0.1:0' }, LONG)) as { url: string; environmentId: string; banner: string[] };
    expect(ep.environmentId).toBe(`remote:${b.hostId}`);
    expect(ep.banner.join('\n')).toContain(`listening on: ${ep.url}`);
    const http = ep.url.replace('ws://', 'http://');
    expect((await fetch(`${http}/readyz`)).status).toBe(200);
    await expect(a.cli.conn.request('host/remotes/listen', { remoteId: b.hostId, listen: 'ws://127.0.0.1:0', wsAuth: 'capability-token' }, LONG)).rejects.toMatchObject({
      code: -32602,
      message: 'host/remotes/listen: `--ws-token-file` or `--ws-token-sha256` is required when `--ws-auth capability-token` is set',
    });
    a.cli.conn.close();
    await poll('the endpoint closed', () => fetch(`${http}/readyz`).then(() => 'open', () => 'closed'), (x) => x === 'closed');

    const other = a.attach('cli', 'second');
    await other.conn.request('host/remotes/disconnect', { remoteId: b.hostId }, LONG);
    await expect(other.conn.request('host/remotes/listen', { remoteId: b.hostId, listen: 'ws://127.0.0.1:0' }, LONG)).rejects.toMatchObject({
      message: `host/remotes/listen: Host B is not connected; turn its connection on first (codex-host remotes connect ${b.hostId})`,
    });
  });
});
