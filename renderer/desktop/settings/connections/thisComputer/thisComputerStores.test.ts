import { describe, expect, it } from 'vitest';
import { RpcError, RpcErrorCode } from '../../../../../shared/rpc/rpcError';
import { createDevicesStore } from './devicesStore';
import { createPairingStore } from './pairingStore';
import { createRemoteAccessStore } from './remoteAccessStore';
import { device, fakeHost, remoteView } from './thisComputerFixtures';
import { ThisComputerModel } from './thisComputerModel';

describe('the devices store', () => {
  it('lists trusted devices newest first, follows renames and connections, and drops revoked ones', async () => {
    const older = device({ deviceId: 'b'.repeat(32), name: 'Old tablet', pairedAt: '2026-01-01T00:00:00.000Z' });
    const host = fakeHost([older, device(), device({ deviceId: 'c'.repeat(32), name: 'Gone', revokedAt: '2026-02-01T00:00:00.000Z' })]);
    const store = createDevicesStore(host);
    await store.getState().load();
    expect(store.getState().devices.map((d) => d.name)).toEqual(['Test Phone', 'Old tablet']);
    store.getState().applyChange('renamed', device({ name: 'Work phone', connected: 1 }));
    expect(store.getState().devices.map((d) => [d.name, d.connected])).toEqual([
      ['Work phone', 1],
      ['Old tablet', 0],
    ]);
    store.getState().applyChange('revoked', older);
    expect(store.getState().devices.map((d) => d.name)).toEqual(['Work phone']);
  });

  it('keeps the list when a rename or revoke is refused, and says why', async () => {
    const host = fakeHost([device()])
      .on('host/devices/rename', () => {
        throw new RpcError(RpcErrorCode.InternalError, 'host/devices/rename: devices.json could not be written');
      })
      .on('host/devices/revoke', () => {
        throw new RpcError(RpcErrorCode.InternalError, 'host/devices/revoke: the device list could not be saved');
      });
    const store = createDevicesStore(host);
    await store.getState().load();
    expect(await store.getState().rename('a'.repeat(32), 'Work phone')).toBe('host/devices/rename: devices.json could not be written');
    // a name the schema refuses never reaches the host
    expect(await store.getState().rename('a'.repeat(32), 'tab\there')).toMatch(/^host\/devices\/rename params: name: must not contain control/);
    expect(host.callsOf('host/devices/rename')).toHaveLength(1);
    expect(await store.getState().revoke('a'.repeat(32))).toContain('could not be saved');
    expect(store.getState().devices.map((d) => d.name)).toEqual(['Test Phone']);
  });

  it('reports a list that cannot be loaded, and a retry that works replaces the error', async () => {
    let fail = true;
    const host = fakeHost().on('host/devices/list', () => {
      if (fail) throw new RpcError(RpcErrorCode.InternalError, 'host/devices/list: devices.json is unreadable');
      return { devices: [device()] };
    });
    const store = createDevicesStore(host);
    await store.getState().load();
    expect(store.getState()).toMatchObject({ phase: 'error', error: 'host/devices/list: devices.json is unreadable' });
    fail = false;
    await store.getState().load();
    expect(store.getState()).toMatchObject({ phase: 'ready', error: undefined });
  });

  it('refuses a host answer that does not match the schema instead of showing it', async () => {
    const store = createDevicesStore(fakeHost().on('host/devices/list', () => ({ devices: [{ name: 'no id' }] })));
    await store.getState().load();
    expect(store.getState().phase).toBe('error');
    expect(store.getState().error).toMatch(/^the host answered host\/devices\/list with an unexpected result/);
  });
});

describe('the remote access store', () => {
  it('shows the host’s answer, and a refused change leaves the old state with the reason', async () => {
    const host = fakeHost();
    const store = createRemoteAccessStore(host);
    await store.getState().load();
    const pending = store.getState().setEnabled(false);
    // no optimistic flip: until the host answers, the view still says on
    expect(store.getState()).toMatchObject({ pending: 'enabled', view: { enabled: true } });
    await pending;
    expect(store.getState()).toMatchObject({ pending: undefined, view: { enabled: false, state: 'stopped' } });

    host.on('host/relay/set', () => {
      throw new RpcError(RpcErrorCode.InvalidParams, 'host/relay/set: the relay URL must start with ws:// or wss://');
    });
    expect(await store.getState().setRelay({ mode: 'url', url: 'http://x' })).toBe(false);
    expect(store.getState().view?.relay).toEqual({ mode: 'this-computer' });
    expect(store.getState().changeError).toEqual({ what: 'relay', message: 'host/relay/set: the relay URL must start with ws:// or wss://' });
  });
});

describe('the pairing store', () => {
  it('makes a code, replaces it on refresh, and flips to connected only for its own code', async () => {
    let n = 0;
    const host = fakeHost().on('host/pairing/start', () => ({
      link: `http://127.0.0.1:1/pair#p=${++n}`,
      exp: 1,
      expiresAt: '2030-01-01T00:10:00.000Z',
      pairId: `${n}`.repeat(16),
      qr: { terminal: '', svg: '', pngDataUrl: '' },
    }));
    const store = createPairingStore(host);
    await store.getState().start();
    expect(store.getState().phase).toMatchObject({ kind: 'ready', code: { pairId: '1'.repeat(16), expiresAtMs: Date.parse('2030-01-01T00:10:00.000Z') } });
    await store.getState().start();
    expect(host.callsOf('host/pairing/start')).toEqual([{}, { replaces: '1'.repeat(16) }]);
    store.getState().claimed('1'.repeat(16), device());
    expect(store.getState().phase.kind).toBe('ready');
    store.getState().expired('2'.repeat(16), 'expired');
    expect(store.getState().phase).toEqual({ kind: 'expired', reason: 'expired' });
    await store.getState().start();
    store.getState().claimed('3'.repeat(16), device({ name: 'Mine' }));
    expect(store.getState().phase).toMatchObject({ kind: 'claimed', device: { name: 'Mine' } });
  });

  it('says why no code can be made', async () => {
    const host = fakeHost().on('host/pairing/start', () => {
      throw new RpcError(RpcErrorCode.InvalidRequest, 'host/pairing/start: remote access is off (Allow other devices to connect)');
    });
    const store = createPairingStore(host);
    await store.getState().start();
    expect(store.getState().phase).toEqual({ kind: 'unavailable', reason: 'remote access is off (Allow other devices to connect)' });
  });
});

describe('the tab model', () => {
  it('subscribes, loads what the host has, follows notifications and reloads after a reconnect', async () => {
    const host = fakeHost([device()]);
    const model = new ThisComputerModel(host, ['core', 'remote', 'audit']);
    model.start();
    await expect.poll(() => model.devices.getState().phase).toBe('ready');
    expect(host.callsOf('host/notifications/subscribe')).toHaveLength(1);
    expect(host.callsOf('host/power/get')).toHaveLength(0);

    host.notify('host/devices/changed', { change: 'connected', device: device({ connected: 1 }) });
    expect(model.devices.getState().devices[0]?.connected).toBe(1);
    host.notify('host/devices/changed', { change: 'paired', device: { deviceId: 'broken' } });
    expect(model.devices.getState().devices).toHaveLength(1);

    host.on('host/remoteAccess/get', () => remoteView({ state: 'disconnected', lastError: 'relay closed the connection' }));
    host.notify('host/remoteAccess/changed', { enabled: true, state: 'disconnected', relay: 'ws://127.0.0.1:41234', lastError: 'relay closed the connection' });
    await expect.poll(() => model.remoteAccess.getState().view?.lastError).toBe('relay closed the connection');

    host.reconnect();
    await expect.poll(() => host.callsOf('host/notifications/subscribe').length).toBe(2);
    model.dispose();
    host.notify('host/devices/changed', { change: 'revoked', device: device() });
    expect(model.devices.getState().devices).toHaveLength(1);
  });
});
