/**
 * Both ends of a relay session over real components: a real relay on 127.0.0.1:0, the host
 * relay client with the real PairingManager / DeviceRegistry admission, the controller library
 * over `ws`, real crypto (node:crypto AEAD on the host, WebCrypto on the controller).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { webcrypto } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { generateIdentity, idFromPublicKey, signerFromIdentity, type Identity } from '../../shared/crypto/identity.js';
import { webCryptoAead, type SubtleCryptoLike } from '../../shared/crypto/webCryptoAead.js';
import { type ControllerDeps, type ControllerSession, type ControllerState, pair, resume } from '../../shared/controller/controllerSession.js';
import { RemoteSessionError } from '../../shared/controller/remoteSessionError.js';
import type { TrustedHost } from '../../shared/controller/trustedHost.js';
import { RpcConnection } from '../../shared/rpc/connection.js';
import type { Transport } from '../../shared/rpc/transport.js';
import { toB64u } from '../../shared/util/encoding.js';
import { silentLogger } from '../../shared/util/logger.js';
import type { RelayOptions } from '../../relay/server/limits.js';
import { startRelay, type Relay } from '../../relay/server/relayServer.js';
import { ControllerHandshake } from '../../shared/crypto/controllerHandshake.js';
import { fromHex } from '../../shared/util/encoding.js';
import { TestPeer, randomDeviceId } from '../../relay/testing/relayTestClient.js';
import { nodeAead } from './nodeAead.js';
import { DeviceRegistry } from '../devices/deviceRegistry.js';
import { PairingManager } from '../pairing/pairingManager.js';
import { createSessionAdmission, type SessionAdmission } from './sessionAdmission.js';
import { HostRelayClient, type HostRelayClientOptions, type HostRelayState } from './hostRelayClient.js';
import type { SessionIdentity } from './relaySession.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const controllerAead = webCryptoAead(webcrypto.subtle as unknown as SubtleCryptoLike<unknown>);

async function waitFor(what: string, check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`waitFor: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

function waitState(session: ControllerSession, state: ControllerState, timeoutMs = 5_000): Promise<void> {
  return waitFor(`controller state ${state} (is ${session.state})`, () => session.state === state, timeoutMs);
}

interface Harness {
  relay: Relay;
  relayPort: number;
  hostIdentity: Identity;
  client: HostRelayClient;
  pairing: PairingManager;
  devices: DeviceRegistry;
  attached: { transport: Transport; identity: SessionIdentity }[];
  /** While set, `admit` never answers (to exercise the controller's deadline). */
  hangAdmission: boolean;
  /** Extra delay before `admit` runs (a slow disk), in ms. */
  admissionDelayMs: number;
  /** Admissions that have run to completion (after their delay). */
  admissionsDone: number;
  states: HostRelayState[];
}

async function startHarness(options: Partial<HostRelayClientOptions> = {}, relayOptions: RelayOptions = {}): Promise<Harness> {
  const relay = await startRelay({ host: '127.0.0.1', port: 0, ...relayOptions });
  const dir = await mkdtemp(path.join(tmpdir(), 'relay-session-'));
  const hostIdentity = generateIdentity();
  const devices = await DeviceRegistry.open(dir, silentLogger);
  const pairing = new PairingManager({ identity: hostIdentity, relay: () => ({ wsUrl: relay.url, httpOrigin: relay.httpUrl }), hostName: () => 'Test Host' });
  const real = createSessionAdmission(pairing, devices);
  const h: Harness = {
    relay,
    relayPort: Number(new URL(relay.url).port),
    hostIdentity,
    pairing,
    devices,
    attached: [],
    hangAdmission: false,
    admissionDelayMs: 0,
    admissionsDone: 0,
    states: [],
    client: undefined as unknown as HostRelayClient,
  };
  const admission: SessionAdmission = {
    lookupPairingSecret: (pairId) => real.lookupPairingSecret(pairId),
    admit: async (device) => {
      if (h.hangAdmission) return new Promise(() => {});
      if (h.admissionDelayMs) await new Promise((r) => setTimeout(r, h.admissionDelayMs));
      try {
        return await real.admit(device);
      } finally {
        h.admissionsDone += 1;
      }
    },
  };
  h.client = new HostRelayClient({
    relayUrl: relay.url,
    host: signerFromIdentity(hostIdentity),
    aead: nodeAead,
    admission,
    hostDescription: () => ({ name: 'Test Host', platform: process.platform, version: '1.2.3' }),
    attach: (transport, identity) => {
      h.attached.push({ transport, identity });
      // A small app server: echo and whoami over the session.
      const rpc = new RpcConnection(transport, { includeJsonRpcVersion: true });
      rpc.onRequest('echo', (params) => params);
      rpc.onRequest('whoami', () => identity);
    },
    logger: silentLogger,
    backoff: { initialMs: 50, maxMs: 400 },
    ...options,
  });
  h.client.onStateChange((s) => h.states.push(s));
  cleanups.push(async () => {
    await h.client.dispose();
    await h.relay.dispose();
    await rm(dir, { recursive: true, force: true });
  });
  h.client.start();
  await waitFor('host registered', () => h.client.state === 'registered');
  return h;
}

function controllerDeps(identity: Identity = generateIdentity(), name = 'Test Phone'): ControllerDeps {
  return {
    device: { signer: signerFromIdentity(identity), name, platform: 'ios', kind: 'phone' },
    aead: controllerAead,
    webSocket: (url) => new WebSocket(url),
  };
}

function track(session: ControllerSession): ControllerSession {
  cleanups.push(() => session.close());
  return session;
}

async function rejection(p: Promise<unknown>): Promise<RemoteSessionError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(RemoteSessionError);
  return err as RemoteSessionError;
}

describe('relay session (host relay client + controller library)', () => {
  it('pairs with a link, calls the host over the E2E session, and resumes later', async () => {
    const h = await startHarness();
    const device = generateIdentity();
    const { link } = h.pairing.start();
    const { session, trustedHost } = await pair(link, controllerDeps(device));
    track(session);
    expect(session.state).toBe('open');
    expect(trustedHost).toEqual({ hostId: idFromPublicKey(h.hostIdentity.publicKey), hostKey: toB64u(h.hostIdentity.publicKey), relay: h.relay.url, name: 'Test Host' });
    expect(session.host).toEqual({ id: trustedHost.hostId, name: 'Test Host', platform: process.platform, version: '1.2.3' });
    expect(await session.rpc.request('echo', { hello: 'world' })).toEqual({ hello: 'world' });
    const deviceId = idFromPublicKey(device.publicKey);
    expect(await session.rpc.request('whoami')).toEqual({ kind: 'phone', id: deviceId, name: 'Test Phone' });
    expect(h.devices.list().map((d) => d.deviceId)).toEqual([deviceId]);
    session.close();
    expect(session.state).toBe('closed');
    await waitFor('host session ended', () => h.client.sessionCount === 0);

    const again = track(await resume(trustedHost, controllerDeps(device)));
    expect(await again.rpc.request('echo', [1, 2, 3])).toEqual([1, 2, 3]);
    expect(h.attached.map((a) => a.identity.id)).toEqual([deviceId, deviceId]);
  });

  it('refuses a second use of the same link with 4403 expired', async () => {
    const h = await startHarness();
    const { link } = h.pairing.start();
    track((await pair(link, controllerDeps())).session);
    const err = await rejection(pair(link, controllerDeps()));
    expect(err.kind).toBe('expired');
    expect(err.closeCode).toBe(4403);
    expect(h.devices.list()).toHaveLength(1);
  });

  it('denies a resume from a device the host does not know (unknown_device)', async () => {
    const h = await startHarness();
    const trusted: TrustedHost = { hostId: h.client.hostId, hostKey: toB64u(h.hostIdentity.publicKey), relay: h.relay.url, name: 'Test Host' };
    const err = await rejection(resume(trusted, controllerDeps()));
    expect(err.kind).toBe('denied');
    expect(err.deniedReason).toBe('unknown_device');
  });

  it('ends a revoked device\'s live session and denies its later resumes (revoked)', async () => {
    const h = await startHarness();
    const device = generateIdentity();
    const { session, trustedHost } = await pair(h.pairing.start().link, controllerDeps(device));
    track(session);
    const deviceId = idFromPublicKey(device.publicKey);
    await h.devices.revoke(deviceId);
    // What remoteAccess does on revoke: close the device's hub clients with 4403 "revoked".
    for (const a of h.attached) if (a.identity.id === deviceId) a.transport.close(4403, 'revoked');
    await waitState(session, 'denied');
    expect(session.error?.deniedReason).toBe('revoked');
    const err = await rejection(resume(trustedHost, controllerDeps(device)));
    expect(err.deniedReason).toBe('revoked');
  });

  it('aborts when the host does not prove the pinned key (a relay routing to another host)', async () => {
    const h = await startHarness();
    const impostor = generateIdentity();
    // A relay in the middle that sends every controller to the real host, whatever it asked for.
    const evil = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    cleanups.push(() => new Promise<void>((r) => evil.close(() => r())));
    evil.on('connection', (client, req) => {
      const url = new URL(req.url ?? '/', 'ws://x');
      url.searchParams.set('host', h.client.hostId);
      const upstream = new WebSocket(`${h.relay.url}${url.pathname}${url.search}`);
      const queued: [Buffer, boolean][] = [];
      upstream.on('open', () => queued.splice(0).forEach(([d, b]) => upstream.send(d, { binary: b })));
      client.on('message', (d: Buffer, b) => (upstream.readyState === WebSocket.OPEN ? upstream.send(d, { binary: b }) : queued.push([d, b])));
      upstream.on('message', (d: Buffer, b) => client.readyState === WebSocket.OPEN && client.send(d, { binary: b }));
      client.on('close', () => upstream.close());
      upstream.on('close', () => client.readyState === WebSocket.OPEN && client.close());
      client.on('error', () => {});
      upstream.on('error', () => {});
    });
    await new Promise((r) => evil.once('listening', r));
    const evilUrl = `ws://127.0.0.1:${(evil.address() as { port: number }).port}`;
    const pinned: TrustedHost = { hostId: idFromPublicKey(impostor.publicKey), hostKey: toB64u(impostor.publicKey), relay: evilUrl, name: 'Impostor' };
    const err = await rejection(resume(pinned, controllerDeps()));
    expect(err.kind).toBe('host_key');
    expect(err.retryable).toBe(false);
    await waitFor('host session ended', () => h.client.sessionCount === 0);
    expect(h.attached).toHaveLength(0);
  });

  it('carries a 300 KiB message each way (fragmented records)', async () => {
    const h = await startHarness();
    const { session } = await pair(h.pairing.start().link, controllerDeps());
    track(session);
    const big = 'x'.repeat(300 * 1024) + 'é';
    expect(await session.rpc.request('echo', { big })).toEqual({ big });
  });

  it('re-registers after a relay restart; a live session reconnects as a new resume session', async () => {
    const h = await startHarness();
    const { session } = await pair(h.pairing.start().link, controllerDeps(), { reconnect: { initialMs: 50, maxMs: 300 } });
    track(session);
    const reconnected: RpcConnection[] = [];
    session.onReconnected((rpc) => reconnected.push(rpc));
    const first = session.rpc;

    await h.relay.dispose();
    await waitFor('host disconnected', () => h.client.state !== 'registered');
    await waitFor('controller reconnecting', () => session.state === 'reconnecting' || session.state === 'connecting');
    h.relay = await startRelay({ host: '127.0.0.1', port: h.relayPort });
    await waitFor('host registered again', () => h.client.state === 'registered');
    await waitState(session, 'open', 8_000);
    expect(reconnected).toHaveLength(1);
    expect(session.rpc).toBe(reconnected[0]);
    expect(session.rpc).not.toBe(first);
    expect(first.isClosed).toBe(true);
    expect(await session.rpc.request('echo', 'after restart')).toBe('after restart');
    expect(h.states).toContain('disconnected');
  });

  it('carries a host close with an RFC code (1012 engine restarted) to the controller, which reconnects', async () => {
    const h = await startHarness();
    const { session } = await pair(h.pairing.start().link, controllerDeps(), { reconnect: { initialMs: 50, maxMs: 300 } });
    track(session);
    const seen: [ControllerState, number | undefined, string | undefined][] = [];
    session.onStateChange((state, error) => seen.push([state, error?.closeCode, error?.reason]));
    h.attached[0]!.transport.close(1012, 'engine restarted; reconnect to continue');
    await waitFor('reconnected', () => seen.some(([s]) => s === 'open'));
    expect(seen[0]).toEqual(['reconnecting', 1012, 'engine restarted; reconnect to continue']);
    expect(await session.rpc.request('echo', 'again')).toBe('again');
    expect(h.attached).toHaveLength(2);
  });

  it('closes a session whose handshake does not finish in time with 4408', async () => {
    const h = await startHarness({ handshakeTimeoutMs: 300 });
    const peer = await TestPeer.connect(`${h.relay.url}/v1/connect?host=${h.client.hostId}&device=${randomDeviceId()}`);
    cleanups.push(() => peer.ws.terminate());
    expect((await peer.nextJson()).t).toBe('ready');
    await waitFor('host session opened', () => h.client.sessionCount === 1);
    expect(await peer.waitClosed(3_000)).toEqual({ code: 4408, reason: 'handshake timeout' });
    expect(h.client.sessionCount).toBe(0);
  });

  it('gives up on the controller side when the host does not answer within the deadline', async () => {
    const h = await startHarness();
    h.hangAdmission = true;
    const err = await rejection(pair(h.pairing.start().link, controllerDeps(), { handshakeTimeoutMs: 300 }));
    expect(err.kind).toBe('timeout');
  });

  it('does not burn a pairing code when the session ends before its welcome', async () => {
    // The host's deadline is short of the slow admission, and long enough for the real pairing
    // after it to finish its handshake on a loaded machine.
    const h = await startHarness({ handshakeTimeoutMs: 1500 });
    h.admissionDelayMs = 3000;
    const code = h.pairing.start();
    const err = await rejection(pair(code.link, controllerDeps(), { handshakeTimeoutMs: 6000 }));
    expect(err.closeCode).toBe(4408);
    // The late admission finishes (and added the device), then is rolled back.
    await waitFor('the late admission', () => h.admissionsDone === 1, 10_000);
    await waitFor('the late admission rolled back', () => h.devices.list().length === 0);
    h.admissionDelayMs = 0;
    const { session } = await pair(code.link, controllerDeps());
    track(session);
    expect(await session.rpc.request('echo', 'same code works')).toBe('same code works');
  });

  it('survives hostile session data: a malformed ClientHello ends only that session (4400)', async () => {
    const h = await startHarness();
    const peer = await TestPeer.connect(`${h.relay.url}/v1/connect?host=${h.client.hostId}&device=${randomDeviceId()}`);
    cleanups.push(() => peer.ws.terminate());
    expect((await peer.nextJson()).t).toBe('ready');
    peer.ws.send(Buffer.from([0x01, 0x07, 0x02, 1, 2, 3]));
    expect((await peer.waitClosed()).code).toBe(4400);
    expect(h.client.state).toBe('registered');
    const { session } = await pair(h.pairing.start().link, controllerDeps());
    track(session);
    expect(await session.rpc.request('echo', 1)).toBe(1);
  });

  it('reports an offline host (4404) when the host is not registered', async () => {
    const h = await startHarness();
    const { link } = h.pairing.start();
    await h.client.dispose();
    expect(h.client.state).toBe('stopped');
    const err = await rejection(pair(link, controllerDeps()));
    expect(err.kind).toBe('offline');
  });
});

/**
 * Red-team P8: a stranger who knows only the hostId (it is in every pairing link) opens a resume
 * session with a real ClientHello, takes the host's signed ServerHello, and then says nothing.
 */
async function strangerHandshake(h: Harness): Promise<TestPeer> {
  const stranger = generateIdentity();
  const peer = await TestPeer.connect(`${h.relay.url}/v1/connect?host=${h.client.hostId}&device=${idFromPublicKey(stranger.publicKey)}`);
  cleanups.push(() => peer.ws.terminate());
  const ready = await peer.nextJson();
  const hs = new ControllerHandshake({
    mode: 'resume',
    sid: fromHex(String(ready.sid)),
    hostKey: h.hostIdentity.publicKey,
    device: signerFromIdentity(stranger),
    description: { name: 'Stranger', platform: 'linux', kind: 'phone' },
    aead: controllerAead,
  });
  peer.ws.send(hs.clientHello);
  return peer;
}

const UNLIMITED_RATES: RelayOptions = { handshakeRate: { burst: 100_000, perSecond: 100_000 }, connectionRate: { burst: 100_000, perSecond: 100_000 } };

describe('pending handshakes cannot keep a trusted device out (red-team P8)', () => {
  it('a paired phone resumes every time while 64 strangers hold pending handshakes and more keep coming', async () => {
    // The strangers all come from loopback: per-address rates would stop them first, so lift
    // those to test the pending-session rule itself.
    const h = await startHarness({}, UNLIMITED_RATES);
    const device = generateIdentity();
    const paired = await pair(h.pairing.start().link, controllerDeps(device));
    paired.session.close();
    await waitFor('paired session ended', () => h.client.sessionCount === 0);

    const strangers: TestPeer[] = [];
    for (let i = 0; i < 64; i++) {
      const p = await strangerHandshake(h);
      await p.nextBinary(); // the host's ServerHello: this stranger now holds a pending session
      strangers.push(p);
    }
    // The red-team's pattern: 8 more strangers every 400 ms while the owner tries.
    let keepGoing = true;
    const more = (async () => {
      while (keepGoing) {
        for (let i = 0; i < 8; i++) strangers.push(await strangerHandshake(h));
        await new Promise((r) => setTimeout(r, 400));
      }
    })();
    try {
      for (let attempt = 0; attempt < 5; attempt++) {
        const t0 = Date.now();
        const session = track(await resume(paired.trustedHost, controllerDeps(device)));
        expect(await session.rpc.request('echo', { attempt })).toEqual({ attempt });
        expect(Date.now() - t0).toBeLessThan(3_000);
        session.close();
      }
    } finally {
      keepGoing = false;
      await more;
    }
    // The strangers that made room were told why.
    const closes = await Promise.all(strangers.slice(0, 64 - 16).map((p) => p.waitClosed()));
    expect(new Set(closes.map((c) => `${c.code} ${c.reason}`))).toEqual(new Set(['4429 too many pending sessions']));
  });

  it('the host itself ends its oldest unfinished handshake beyond maxPendingSessions, through a relay that does not cap', async () => {
    const h = await startHarness({ maxPendingSessions: 4 }, { ...UNLIMITED_RATES, maxPendingSessionsPerHost: 1_000 });
    const device = generateIdentity();
    const paired = await pair(h.pairing.start().link, controllerDeps(device));
    paired.session.close();
    await waitFor('paired session ended', () => h.client.sessionCount === 0);
    const strangers: TestPeer[] = [];
    for (let i = 0; i < 10; i++) {
      const p = await strangerHandshake(h);
      await p.nextBinary();
      strangers.push(p);
    }
    for (const p of strangers.slice(0, 6)) expect(await p.waitClosed()).toEqual({ code: 4429, reason: 'too many pending sessions' });
    expect(h.client.sessionCount).toBe(4);
    const session = track(await resume(paired.trustedHost, controllerDeps(device)));
    expect(await session.rpc.request('echo', 'in')).toBe('in');
  });
});
