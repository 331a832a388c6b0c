/**
 * The standalone relay process's limits and restart behaviour with real processes (docs/relay.md
 * "Limits"): an oversize frame → 1009, one session over the per-host limit → 4429, a silent
 * handshake closed after 10 s, and a relay restart after which the host re-registers and a
 * live controller reconnects by itself.
 */
import { mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completeTestHandshake, TestPeer, openTestSession, registerTestHost } from '../relay/testing/relayTestClient.js';
import { pair, type ControllerSession } from '../shared/controller/index.js';
import type { RpcConnection } from '../shared/rpc/connection.js';
import { createCodexHome, type CodexHomeFixture } from './fixtures/codexHome.js';
import { testPhone } from './fixtures/controller.js';
import { startFakeResponses, type FakeResponsesServer } from './fixtures/fakeResponses.js';
import { runCliAsync, startHostProcess, type HostProcess } from './fixtures/hostProcess.js';
import { startRelayProcess, type RelayProcess } from './fixtures/relayProcess.js';

let fake: FakeResponsesServer;
let home: CodexHomeFixture;
let relay: RelayProcess;
let host: HostProcess;
let dataDir: string;
const sessions: ControllerSession[] = [];

beforeAll(async () => {
  fake = await startFakeResponses();
  home = await createCodexHome({ modelBaseUrl: fake.baseUrl, label: 'relay-proc' });
  relay = await startRelayProcess({ args: ['--max-sessions-per-host', '2'] });
  dataDir = await mkdtemp(join(home.root, 'data-'));
  host = await startHostProcess({ dataDir, env: home.env, cwd: home.workdir, args: ['--relay', relay.url] });
});

afterAll(async () => {
  for (const s of sessions) s.close();
  await host?.stop();
  await relay?.stop();
  await fake?.close();
  await home?.cleanup();
});

describe('relay process limits', () => {
  it('closes a connection that sends an oversize frame with 1009', async () => {
    const raw = await registerTestHost(relay.url);
    const { controller } = await openTestSession(relay.url, raw);
    controller.ws.send(Buffer.alloc(1024 * 1024 + 1), { binary: true });
    expect((await controller.waitClosed(5000)).code).toBe(1009);
    raw.peer.ws.close();
  });

  it('refuses one session over the per-host limit with 4429', async () => {
    const raw = await registerTestHost(relay.url);
    // Established sessions: a pending one would be dropped to make room for the third.
    await completeTestHandshake(raw, await openTestSession(relay.url, raw));
    await completeTestHandshake(raw, await openTestSession(relay.url, raw));
    const third = await TestPeer.connect(`${relay.url}/v1/connect?host=${raw.hostId}&device=${'ab'.repeat(16)}`);
    expect(await third.waitClosed(5000)).toEqual({ code: 4429, reason: 'too many sessions' });
    raw.peer.ws.close();
  });

  it('closes a controller that never starts its handshake after 10 s', async () => {
    const silent = await TestPeer.connect(`${relay.url}/v1/connect?host=${host.hostId}&device=${'cd'.repeat(16)}`);
    const started = Date.now();
    const closed = await silent.waitClosed(15_000);
    expect(closed.code).toBe(4408);
    expect(Date.now() - started).toBeGreaterThanOrEqual(9_000);
  }, 20_000);
});

describe('relay restart', () => {
  it('the host re-registers and a live controller reconnects', async () => {
    const link = JSON.parse((await runCliAsync(['pair', '--json', '--data-dir', dataDir])).stdout).link as string;
    const { session } = await pair(link, testPhone('Roaming Phone').deps, { reconnect: { initialMs: 200, maxMs: 1000 } });
    sessions.push(session);
    await session.rpc.request('initialize', { clientInfo: { name: 'roaming', version: '0' } });
    const reconnected = new Promise<RpcConnection>((resolve) => session.onReconnected(resolve));
    const port = relay.port;
    await relay.stop();
    relay = await startRelayProcess({ port, args: ['--max-sessions-per-host', '2'] });
    const rpc = await Promise.race([reconnected, new Promise<never>((_, rej) => setTimeout(() => rej(new Error('no reconnect within 30 s')), 30_000))]);
    expect(session.state).toBe('open');
    await rpc.request('initialize', { clientInfo: { name: 'roaming', version: '0' } });
    await expect(rpc.request('host/info')).resolves.toMatchObject({ hostId: host.hostId, relay: relay.url });
  }, 60_000);
});
