/**
 * Feature tables are complete by type: the `@ts-expect-error` lines below are checked by
 * `tsc -p host` (npm run typecheck), which fails if a table without a method, or with a wrong
 * result shape, ever compiles. The runtime half checks the same for untyped callers and the
 * "feature is off" answer.
 */
import { describe, expect, it } from 'vitest';
import { RpcError } from '../../shared/rpc/rpcError.js';
import { HostFeatureRegistry, type HostConnection, type HostFeatureTable, type HostFeatureTables } from './hostFeatures.js';

const device = { deviceId: 'a'.repeat(32), name: 'Pixel', platform: 'android', kind: 'phone' as const, pairedAt: '2026-01-01T00:00:00Z', lastSeen: null, revokedAt: null, connected: 0 };

const remoteAccess = { enabled: true, state: 'registered' as const, relay: { mode: 'this-computer' as const }, reach: 'this-computer' as const, sessions: 0, addresses: [] };

const completeRemote: HostFeatureTable<'remote'> = {
  'host/pairing/start': () => ({ link: 'l', exp: 1, expiresAt: 'e', pairId: '0'.repeat(16), qr: { terminal: '', svg: '', pngDataUrl: '' } }),
  'host/devices/list': () => ({ devices: [device] }),
  'host/devices/revoke': () => ({ revoked: true, closedSessions: 0 }),
  'host/devices/rename': () => ({ device }),
  'host/remoteAccess/get': () => remoteAccess,
  'host/remoteAccess/set': () => remoteAccess,
  'host/relay/set': () => remoteAccess,
  'host/remoteAccess/checks': () => ({ checks: [], checkedAt: 'now' }),
};

const { 'host/devices/rename': _rename, ...withoutRename } = completeRemote;
// @ts-expect-error a table missing host/devices/rename does not compile
const missingOne: HostFeatureTable<'remote'> = withoutRename;

const wrongResult: HostFeatureTable<'remote'> = {
  ...completeRemote,
  // @ts-expect-error a handler returning the wrong result shape does not compile
  'host/devices/revoke': () => ({ revoked: 'yes' }),
};

const foreignMethod: HostFeatureTables = {
  // @ts-expect-error a method of another feature does not belong in this table
  remote: { ...completeRemote, 'host/info': () => ({}) },
};

const connection: HostConnection = { client: { kind: 'cli', id: 'c', name: 'cli' }, environmentId: 'local', selectEnvironment() {}, subscribe() {} };

describe('HostFeatureRegistry', () => {
  it('answers a method of a feature that is off with an error naming the feature', async () => {
    const features = new HostFeatureRegistry();
    await expect(features.call('host/devices/revoke', { deviceId: 'a'.repeat(32) }, connection)).rejects.toMatchObject({
      code: -32601,
      message: 'host/devices/revoke: remote access is off on this host',
      data: { feature: 'remote' },
    });
    const on = features.register('remote', completeRemote);
    expect(features.on).toEqual(['remote']);
    await expect(features.call('host/devices/revoke', { deviceId: 'a'.repeat(32) }, connection)).resolves.toEqual({ revoked: true, closedSessions: 0 });
    on.dispose();
    await expect(features.call('host/devices/list', undefined, connection)).rejects.toBeInstanceOf(RpcError);
    expect(features.isOn('remote')).toBe(false);
  });

  it('refuses an incomplete or foreign table at run time too (untyped callers), and a second registration', () => {
    const features = new HostFeatureRegistry();
    expect(() => features.register('remote', missingOne)).toThrow('host feature remote: no handler for host/devices/rename');
    expect(() => features.registerAll(foreignMethod)).toThrow('host feature remote: not its methods: host/info');
    expect(features.on).toEqual([]);
    features.register('remote', wrongResult);
    expect(() => features.register('remote', completeRemote)).toThrow('host feature remote is already on');
  });
});

describe('a feature this host cannot offer', () => {
  it('answers with the reason instead of "is off", is listed with it, and cannot be turned on while unavailable', async () => {
    const features = new HostFeatureRegistry();
    const statement = features.markUnavailable('remotes', 'Controlling other devices is not available on Windows hosts; this host can still be controlled');
    expect(features.unavailable).toEqual([{ feature: 'remotes', reason: 'Controlling other devices is not available on Windows hosts; this host can still be controlled' }]);
    await expect(features.call('host/remotes/list', undefined, connection)).rejects.toMatchObject({
      code: -32601,
      message: 'host/remotes/list: Controlling other devices is not available on Windows hosts; this host can still be controlled',
      data: { feature: 'remotes' },
    });
    expect(() => features.register('remote', completeRemote)).not.toThrow();
    expect(() => features.markUnavailable('remote', 'x')).toThrow('host feature remote is on; it cannot be unavailable');
    statement.dispose();
    expect(features.unavailable).toEqual([]);
    await expect(features.call('host/remotes/list', undefined, connection)).rejects.toMatchObject({ message: 'host/remotes/list: controlling other devices is off on this host' });
  });
});
