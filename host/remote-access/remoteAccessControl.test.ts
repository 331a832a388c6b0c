/**
 * Remote access at run time (RemoteAccessControl over a real RelayRuntime and the real settings
 * file, with scripted relay clients and embedded relays): what Settings > Connections sees when
 * it turns remote access off and on, picks another relay, or sends something wrong.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LocalAddress } from '../../shared/protocol/features/remoteAccessApi.js';
import { RpcError } from '../../shared/rpc/rpcError.js';
import { Emitter } from '../../shared/util/lifecycle.js';
import { silentLogger } from '../../shared/util/logger.js';
import type { HostRelayState } from './hostRelayClient.js';
import { RemoteAccessControl, reachOf, type RelayFlags } from './remoteAccessControl.js';
import { RelayRuntime, type EmbeddedRelayLike, type RelayClientLike } from './relayRuntime.js';
import { DEFAULT_REMOTE_ACCESS_SETTINGS, loadRemoteAccessSettings, saveRemoteAccessSettings, type RemoteAccessSettings } from './remoteAccessSettings.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'remote-control-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

class FakeClient implements RelayClientLike {
  state: HostRelayState = 'stopped';
  lastError: string | undefined;
  sessionCount = 0;
  disposed = false;
  readonly changes = new Emitter<HostRelayState>();
  constructor(readonly relayUrl: string) {}
  onStateChange(l: (s: HostRelayState) => void) {
    return this.changes.on(l);
  }
  start() {
    this.set('registered');
  }
  set(s: HostRelayState, error?: string) {
    this.state = s;
    this.lastError = error;
    this.changes.fire(s);
  }
  async dispose() {
    this.disposed = true;
    this.sessionCount = 0;
    this.set('stopped');
  }
}

const ADDRESSES: LocalAddress[] = [
  { address: '192.168.1.20', interface: 'eth0', family: 'IPv4' },
  { address: '203.0.113.9', interface: 'eth1', family: 'IPv4', unusable: 'not a private network address' },
];

function setup(o: { settings?: RemoteAccessSettings; stored?: boolean; flags?: RelayFlags; failListen?: (listen: string) => boolean; failSave?: () => boolean } = {}) {
  const clients: FakeClient[] = [];
  const embedded: { listen: string; relay: EmbeddedRelayLike & { disposed: boolean } }[] = [];
  const runtime = new RelayRuntime({
    startEmbedded: async (listen) => {
      if (o.failListen?.(listen)) throw new Error(`the embedded relay cannot listen on ${listen.replace(/:0$/, ':21000')} (no such address on this machine)`);
      const host = listen.startsWith('[') ? listen.slice(1, listen.indexOf(']')) : listen.split(':')[0]!;
      const relay = {
        host,
        port: 21000,
        disposed: false,
        async dispose() {
          relay.disposed = true;
        },
      };
      embedded.push({ listen, relay });
      return relay;
    },
    createClient: (url) => {
      const c = new FakeClient(url);
      clients.push(c);
      return c;
    },
    logger: silentLogger,
  });
  const events: string[] = [];
  const control = new RemoteAccessControl({
    runtime,
    flags: o.flags ?? {},
    settings: o.settings ?? DEFAULT_REMOTE_ACCESS_SETTINGS,
    stored: o.stored ?? false,
    save: async (s) => {
      if (o.failSave?.()) throw new Error('EROFS: read-only file system');
      await saveRemoteAccessSettings(dir, s);
    },
    onRelayChanged: () => events.push('relay changed'),
    onChanged: () => events.push('changed'),
    logger: silentLogger,
    addresses: () => ADDRESSES,
  });
  return { runtime, control, clients, embedded, events };
}

const stored = async () => JSON.parse(await readFile(path.join(dir, 'remote-access.json'), 'utf8')) as unknown;

describe('remote access at run time', () => {
  it('starts the embedded relay on this computer by default and reports who can reach it', async () => {
    const { control, embedded, clients } = setup();
    await control.boot();
    expect(embedded.map((e) => e.listen)).toEqual(['127.0.0.1:0']);
    expect(clients.map((c) => c.relayUrl)).toEqual(['ws://127.0.0.1:21000']);
    expect(control.view()).toMatchObject({ enabled: true, state: 'registered', relay: { mode: 'this-computer' }, relayUrl: 'ws://127.0.0.1:21000', reach: 'this-computer', embeddedListening: '127.0.0.1:21000', sessions: 0 });
    expect(control.view().addresses).toEqual(ADDRESSES);
  });

  it('off ends every relay session and stops the embedded relay; on starts them again; both are saved', async () => {
    const { control, clients, embedded, events } = setup();
    await control.boot();
    clients[0]!.sessionCount = 2;
    const off = await control.setEnabled(false);
    expect(clients[0]!.disposed).toBe(true);
    expect(embedded[0]!.relay.disposed).toBe(true);
    expect(off).toMatchObject({ enabled: false, state: 'stopped', sessions: 0 });
    expect(off.embeddedListening).toBeUndefined();
    expect(await stored()).toEqual({ version: 1, enabled: false, relay: { mode: 'this-computer' } });
    expect((await loadRemoteAccessSettings(dir)).settings.enabled).toBe(false);

    const on = await control.setEnabled(true);
    expect(clients).toHaveLength(2);
    expect(on).toMatchObject({ enabled: true, state: 'registered' });
    expect(await stored()).toEqual({ version: 1, enabled: true, relay: { mode: 'this-computer' } });
    expect(events).toEqual(['changed', 'changed']);
  });

  it('a host whose setting is off starts nothing', async () => {
    const { control, clients, embedded } = setup({ settings: { enabled: false, relay: { mode: 'this-computer' } }, stored: true });
    await control.boot();
    expect(clients).toEqual([]);
    expect(embedded).toEqual([]);
    expect(control.view()).toMatchObject({ enabled: false, state: 'stopped' });
  });

  it('moves the embedded relay onto this network at a chosen address, keeping its port, and drops open pairing codes', async () => {
    const { control, clients, embedded, events } = setup();
    await control.boot();
    const view = await control.setRelay({ mode: 'this-network', address: '192.168.1.20' });
    expect(embedded.map((e) => [e.listen, e.relay.disposed])).toEqual([
      ['127.0.0.1:0', true],
      ['192.168.1.20:0', false],
    ]);
    expect(clients[0]!.disposed).toBe(true);
    expect(view).toMatchObject({ relay: { mode: 'this-network', address: '192.168.1.20' }, relayUrl: 'ws://192.168.1.20:21000', reach: 'local-network', state: 'registered' });
    expect(await stored()).toEqual({ version: 1, enabled: true, relay: { mode: 'this-network', address: '192.168.1.20' } });
    expect(events).toEqual(['relay changed', 'changed']);
  });

  it('uses a relay URL (no embedded relay runs)', async () => {
    const { control, clients, embedded } = setup();
    await control.boot();
    const view = await control.setRelay({ mode: 'url', url: ' wss://relay.example.com ' });
    expect(embedded.filter((e) => !e.relay.disposed)).toEqual([]);
    expect(clients.at(-1)!.relayUrl).toBe('wss://relay.example.com');
    expect(view).toMatchObject({ relay: { mode: 'url', url: 'wss://relay.example.com' }, relayUrl: 'wss://relay.example.com', reach: 'anywhere' });
    expect(view.embeddedListening).toBeUndefined();
  });

  it('refuses an address this computer does not have, or cannot put in a link, and changes nothing', async () => {
    const { control, clients, embedded } = setup();
    await control.boot();
    await saveRemoteAccessSettings(dir, DEFAULT_REMOTE_ACCESS_SETTINGS);
    const before = await stored();
    await expect(control.setRelay({ mode: 'this-network', address: '10.9.9.9' })).rejects.toMatchObject({
      code: -32602,
      message: 'host/relay/set: 10.9.9.9 is not an address of this computer (it has 192.168.1.20)',
    });
    await expect(control.setRelay({ mode: 'this-network', address: '203.0.113.9' })).rejects.toMatchObject({ code: -32602, message: 'host/relay/set: 203.0.113.9 is not a private network address' });
    expect(clients).toHaveLength(1);
    expect(clients[0]!.disposed).toBe(false);
    expect(embedded).toHaveLength(1);
    expect(await stored()).toEqual(before);
    expect(control.view().relay).toEqual({ mode: 'this-computer' });
  });

  it('refuses a relay URL a pairing link cannot carry, with the reason', async () => {
    const { control, clients } = setup();
    await control.boot();
    await expect(control.setRelay({ mode: 'url', url: 'ws://relay.example.com' })).rejects.toMatchObject({
      code: -32602,
      message: expect.stringMatching(/^host\/relay\/set: the relay address ws:\/\/relay\.example\.com ws:\/\/ is only allowed for loopback\/LAN hosts/),
    });
    await expect(control.setRelay({ mode: 'url', url: 'https://relay.example.com/path' })).rejects.toMatchObject({ code: -32602, message: 'host/relay/set: give only the scheme, host and port (no path, query or credentials)' });
    await expect(control.setRelay({ mode: 'url', url: 'not a url' })).rejects.toMatchObject({ code: -32602 });
    expect(clients).toHaveLength(1);
  });

  it('a relay that cannot start leaves the previous one running and the setting unchanged', async () => {
    const { control, clients, embedded } = setup({ failListen: (l) => l.startsWith('192.168.') });
    await control.boot();
    await expect(control.setRelay({ mode: 'this-network', address: '192.168.1.20' })).rejects.toMatchObject({
      code: -32603,
      message: 'host/relay/set: the embedded relay cannot listen on 192.168.1.20:21000 (no such address on this machine); nothing was changed',
    });
    expect(embedded.map((e) => [e.listen, e.relay.disposed])).toEqual([
      ['127.0.0.1:0', true],
      ['127.0.0.1:0', false],
    ]);
    expect(clients.at(-1)!.state).toBe('registered');
    expect(control.view()).toMatchObject({ relay: { mode: 'this-computer' }, state: 'registered' });
  });

  it('a setting that cannot be saved is refused and nothing is ended', async () => {
    let fail = false;
    const { control, clients } = setup({ failSave: () => fail });
    await control.boot();
    fail = true;
    await expect(control.setEnabled(false)).rejects.toMatchObject({ code: -32603, message: 'host/remoteAccess/set: the setting could not be saved (EROFS: read-only file system); nothing was changed' });
    expect(clients[0]!.disposed).toBe(false);
    expect(control.view()).toMatchObject({ enabled: true, state: 'registered' });
    await expect(control.setRelay({ mode: 'url', url: 'wss://relay.example.com' })).rejects.toMatchObject({ code: -32603 });
    expect(control.view()).toMatchObject({ relay: { mode: 'this-computer' }, state: 'registered', relayUrl: 'ws://127.0.0.1:21000' });
  });

  it('a relay fixed by a serve flag cannot be changed here, and says which flag', async () => {
    const { control, clients } = setup({ flags: { relayUrl: 'wss://relay.example.com' } });
    await control.boot();
    expect(control.view()).toMatchObject({ relayFixedBy: '--relay', relay: { mode: 'url', url: 'wss://relay.example.com' }, reach: 'anywhere' });
    await expect(control.setRelay({ mode: 'this-computer' })).rejects.toMatchObject({
      code: -32600,
      message: 'host/relay/set: the relay is set by --relay on the serve command line; start the host without it to choose the relay here',
    });
    // Remote access itself can still be turned off and on.
    await control.setEnabled(false);
    expect(clients[0]!.disposed).toBe(true);
    const lan = setup({ flags: { relayListen: '0.0.0.0:7000' } });
    expect(lan.control.view()).toMatchObject({ relayFixedBy: '--relay-listen', relay: { mode: 'this-network', address: '0.0.0.0' } });
  });

  it('a stored relay that no longer starts leaves remote access stopped with the reason, while the default one fails the start', async () => {
    const stale = setup({ settings: { enabled: true, relay: { mode: 'this-network', address: '192.168.1.20' } }, stored: true, failListen: () => true });
    await stale.control.boot();
    expect(stale.control.view()).toMatchObject({ state: 'stopped', lastError: expect.stringContaining('cannot listen on 192.168.1.20:21000') });
    expect(stale.control.bootProblem).toMatch(/^remote access did not start: .*choose another relay in Settings > Connections\)$/);
    const fixed = setup({ failListen: () => true });
    await expect(fixed.control.boot()).rejects.toThrow('cannot listen on 127.0.0.1:21000');
  });

  it('changes run one at a time, in order', async () => {
    const { control } = setup();
    await control.boot();
    const results = await Promise.all([control.setEnabled(false), control.setEnabled(true), control.setRelay({ mode: 'url', url: 'wss://r.example.com' }), control.setEnabled(false)]);
    expect(results.map((r) => [r.enabled, r.relay.mode])).toEqual([
      [false, 'this-computer'],
      [true, 'this-computer'],
      [true, 'url'],
      [false, 'url'],
    ]);
    expect(await stored()).toEqual({ version: 1, enabled: false, relay: { mode: 'url', url: 'wss://r.example.com' } });
  });

  it('an unreadable settings file is reported and the defaults apply', async () => {
    await writeFile(path.join(dir, 'remote-access.json'), '{"version":1,"enabled":"yes"}');
    const loaded = await loadRemoteAccessSettings(dir);
    expect(loaded.settings).toEqual(DEFAULT_REMOTE_ACCESS_SETTINGS);
    expect(loaded.problem).toMatch(/remote-access\.json is unreadable .*remote access uses its defaults/);
  });

  it('names who can reach a relay', () => {
    expect(reachOf({ mode: 'url', url: 'ws://192.168.1.4:7000' }, 'ws://192.168.1.4:7000')).toBe('local-network');
    expect(reachOf({ mode: 'url', url: 'ws://[fd00::2]:7000' }, 'ws://[fd00::2]:7000')).toBe('local-network');
    expect(reachOf({ mode: 'url', url: 'ws://127.0.0.1:7000' }, 'ws://127.0.0.1:7000')).toBe('this-computer');
    expect(reachOf({ mode: 'url', url: 'ws://localhost:7000' }, 'ws://localhost:7000')).toBe('this-computer');
    expect(reachOf({ mode: 'url', url: 'wss://relay.example.com' }, 'wss://relay.example.com')).toBe('anywhere');
    expect(reachOf({ mode: 'this-network', address: '127.0.0.1' }, 'ws://127.0.0.1:1')).toBe('this-computer');
  });

  it('errors are RpcErrors with the operation first', async () => {
    const { control } = setup();
    await control.boot();
    const err = await control.setRelay({ mode: 'this-network', address: '10.0.0.1' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RpcError);
  });
});
