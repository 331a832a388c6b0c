/**
 * The `remote` feature's notifications over the real device list and pairing codes, with the
 * hub over an in-memory engine: what a Settings > Connections screen sees without polling.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateIdentity, idFromPublicKey } from '../../shared/crypto/identity.js';
import { Emitter } from '../../shared/util/lifecycle.js';
import { fromHex } from '../../shared/util/encoding.js';
import { silentLogger } from '../../shared/util/logger.js';
import { DeviceRegistry } from '../devices/deviceRegistry.js';
import { createTestHub } from '../hub/testing/hubTestKit.js';
import { PairingManager } from '../pairing/pairingManager.js';
import type { HostRelayState } from './hostRelayClient.js';
import { RemoteFeature } from './remoteFeature.js';
import { createSessionAdmission } from './sessionAdmission.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'remote-feature-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function setup(ttlSeconds?: number) {
  const t = createTestHub();
  const devices = await DeviceRegistry.open(dir, silentLogger);
  const pairing = new PairingManager({
    identity: generateIdentity(),
    relay: () => ({ wsUrl: 'ws://127.0.0.1:7000', httpOrigin: 'http://127.0.0.1:7000' }),
    hostName: () => 'Dev box',
    ...(ttlSeconds !== undefined ? { ttlSeconds } : {}),
  });
  const feature = new RemoteFeature({ hub: t.hub, devices, pairing, relayUrl: () => 'ws://127.0.0.1:7000', logger: silentLogger });
  const relayStates = new Emitter<HostRelayState>();
  const relay = { state: 'connecting' as HostRelayState, lastError: undefined as string | undefined, onStateChange: (l: (s: HostRelayState) => void) => relayStates.on(l) };
  feature.watchRelay(relay);
  // The run-time settings' handlers are tested in remoteAccessControl.test.ts.
  const notHere = () => Promise.reject(new Error('not part of this test'));
  t.hub.registerFeatures({ remote: { ...feature.table(), 'host/remoteAccess/get': notHere, 'host/remoteAccess/set': notHere, 'host/relay/set': notHere, 'host/remoteAccess/checks': notHere } });
  const admission = feature.watchAdmission(createSessionAdmission(pairing, devices));
  const cli = t.attach('cli', 'codex-host cli');
  await cli.conn.request('host/notifications/subscribe');
  return { ...t, devices, pairing, feature, relay, relayStates, admission, cli };
}

function phoneKey() {
  const identity = generateIdentity();
  return { deviceId: idFromPublicKey(identity.publicKey), deviceKey: identity.publicKey };
}

describe('the remote feature', () => {
  it('announces a used pairing code and the paired device once its session attaches', async () => {
    const { admission, cli, attach } = await setup();
    const code = (await cli.conn.request('host/pairing/start')) as { pairId: string };
    const phone = phoneKey();
    const verdict = await admission.admit({ mode: 'pair', ...phone, name: 'Pixel', platform: 'android', kind: 'phone', pairId: fromHex(code.pairId) });
    expect(verdict.ok).toBe(true);
    expect(cli.received.filter((m) => m.method === 'host/pairing/claimed')).toEqual([]);
    attach('phone', 'Pixel', phone.deviceId);
    const claimed = await cli.next((m) => m.method === 'host/pairing/claimed');
    expect(claimed.params).toMatchObject({ pairId: code.pairId, device: { deviceId: phone.deviceId, name: 'Pixel', kind: 'phone', connected: 1 } });
    await expect(cli.next((m) => m.method === 'host/devices/changed')).resolves.toMatchObject({ params: { change: 'paired', device: { deviceId: phone.deviceId } } });
  });

  it('announces revoke, rename, connect and disconnect as devices changed', async () => {
    const { devices, cli, attach } = await setup();
    const phone = phoneKey();
    await devices.addPaired({ deviceId: phone.deviceId, deviceKey: 'k', name: 'Pixel', platform: 'android', kind: 'phone' });
    const session = attach('phone', 'Pixel', phone.deviceId);
    await cli.next((m) => m.method === 'host/devices/changed' && (m.params as { change: string }).change === 'connected');
    await cli.conn.request('host/devices/rename', { deviceId: phone.deviceId, name: 'Work phone' });
    await expect(cli.next((m) => m.method === 'host/devices/changed' && (m.params as { change: string }).change === 'renamed')).resolves.toMatchObject({
      params: { device: { name: 'Work phone', connected: 1 } },
    });
    await expect(cli.conn.request('host/devices/revoke', { deviceId: phone.deviceId })).resolves.toEqual({ revoked: true, closedSessions: 1 });
    expect(await session.closed).toEqual({ code: 4403, reason: 'revoked' });
    await expect(cli.next((m) => m.method === 'host/devices/changed' && (m.params as { change: string }).change === 'revoked')).resolves.toMatchObject({
      params: { device: { deviceId: phone.deviceId, connected: 0 } },
    });
  });

  it('announces a code that was replaced', async () => {
    const { cli } = await setup();
    const first = (await cli.conn.request('host/pairing/start')) as { pairId: string };
    await cli.conn.request('host/pairing/start', { replaces: first.pairId });
    await expect(cli.next((m) => m.method === 'host/pairing/expired')).resolves.toEqual({ method: 'host/pairing/expired', params: { pairId: first.pairId, reason: 'replaced' } });
  });

  it('announces a code whose time ran out', async () => {
    const { cli } = await setup(1);
    const code = (await cli.conn.request('host/pairing/start')) as { pairId: string };
    await expect(cli.next((m) => m.method === 'host/pairing/expired')).resolves.toEqual({ method: 'host/pairing/expired', params: { pairId: code.pairId, reason: 'expired' } });
  });

  it('reports the relay registration and its last error to admins, in host/info and as it changes', async () => {
    const { cli, relay, relayStates, hub } = await setup();
    relay.state = 'disconnected';
    relay.lastError = 'connect ECONNREFUSED 127.0.0.1:7000';
    relayStates.fire('disconnected');
    await expect(cli.next((m) => m.method === 'host/remoteAccess/changed')).resolves.toEqual({
      method: 'host/remoteAccess/changed',
      params: { enabled: true, state: 'disconnected', relay: 'ws://127.0.0.1:7000', lastError: 'connect ECONNREFUSED 127.0.0.1:7000' },
    });
    expect(hub.info().features).toEqual(['core', 'environments', 'remote']);
  });
});
