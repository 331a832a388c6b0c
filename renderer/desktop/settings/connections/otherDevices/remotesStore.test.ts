import { describe, expect, it } from 'vitest';
import { remoteSubtitle, type RemoteInfo, type RemoteState } from '../../../../../shared/protocol/features/remotesApi';
import { RpcError, RpcErrorCode } from '../../../../../shared/rpc/rpcError';
import { Emitter } from '../../../../../shared/util/lifecycle';
import type { RemotesSessionLike } from './remotesApiClient';
import { remotesErrorText } from './remotesApiClient';
import { createRemotesStore } from './remotesStore';

const ID = 'ab'.repeat(16);

function remote(over: Partial<RemoteInfo> & { state?: RemoteState } = {}): RemoteInfo {
  const state = over.state ?? 'connected';
  const name = over.name ?? 'Host B';
  return {
    id: ID,
    name,
    environmentId: `remote:${ID}`,
    state,
    label: remoteSubtitle(state, name, over.message),
    autoConnect: true,
    addedAt: '2026-12-01T10:00:00.000Z',
    lastSeen: '2026-12-01T10:05:00.000Z',
    removedAt: null,
    details: { hostName: 'Host B', platform: 'linux', arch: 'x64', codexVersion: '0.171.0', fingerprint: `SHA256:${'A'.repeat(43)}`, relay: 'ws://127.0.0.1:1' },
    ...over,
  };
}

/** A session whose host/ answers the test scripts; it records every call. */
class ScriptedSession implements RemotesSessionLike {
  status = { kind: 'online' };
  readonly calls: { method: string; params: unknown }[] = [];
  readonly notifications = new Emitter<{ method: string; params: unknown }>();
  readonly connected = new Emitter<{ reconnect: boolean }>();
  answer: (method: string, params: unknown) => Promise<unknown> = async () => ({});
  requestHost(method: `host/${string}`, params?: unknown): Promise<unknown> {
    this.calls.push({ method, params });
    return this.answer(method, params);
  }
  onNotification(l: (method: string, params: unknown) => void) {
    return this.notifications.on(({ method, params }) => l(method, params));
  }
  onConnected(l: (e: { reconnect: boolean }) => void) {
    return this.connected.on(l);
  }
}

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('the Other devices store', () => {
  it('subscribes before it lists, then follows host/remotes/changed (added, state, renamed, removed) and reloads after a reconnect', async () => {
    const s = new ScriptedSession();
    s.answer = async (m) => (m === 'host/remotes/list' ? { remotes: [], deviceId: 'd'.repeat(32) } : {});
    const store = createRemotesStore(s);
    store.getState().start();
    await flush();
    expect(s.calls.map((c) => c.method)).toEqual(['host/notifications/subscribe', 'host/remotes/list']);
    expect(s.calls[0]!.params).toEqual({ methods: ['host/remotes/changed'] });
    expect(store.getState()).toMatchObject({ phase: 'ready', remotes: [] });

    s.notifications.fire({ method: 'host/remotes/changed', params: { change: 'added', remote: remote({ state: 'initializing' }) } });
    expect(store.getState().remotes.map((r) => r.label)).toEqual(['Initializing secure connection']);
    s.notifications.fire({ method: 'host/remotes/changed', params: { change: 'state', remote: remote({ state: 'failed', message: 'the relay is not reachable' }) } });
    expect(store.getState().remotes.map((r) => r.label)).toEqual(['Connection failed · the relay is not reachable']);
    s.notifications.fire({ method: 'host/remotes/changed', params: { change: 'renamed', remote: remote({ name: 'Build box' }) } });
    expect(store.getState().remotes.map((r) => r.name)).toEqual(['Build box']);
    // Params it cannot read leave the list as it was.
    s.notifications.fire({ method: 'host/remotes/changed', params: { change: 'state', remote: { id: ID } } });
    expect(store.getState().remotes.map((r) => r.name)).toEqual(['Build box']);
    s.notifications.fire({ method: 'host/remotes/changed', params: { change: 'removed', remote: remote() } });
    expect(store.getState().remotes).toEqual([]);

    s.calls.length = 0;
    s.answer = async (m) => (m === 'host/remotes/list' ? { remotes: [remote({ state: 'removed' })] } : {});
    s.connected.fire({ reconnect: true });
    await flush();
    expect(s.calls.map((c) => c.method)).toEqual(['host/notifications/subscribe', 'host/remotes/list']);
    expect(store.getState().remotes.map((r) => r.label)).toEqual(['Removed by Host B']);
    store.getState().dispose();
  });

  it('shows a list it cannot load as an error with the host\u2019s sentence, and an unreadable answer as such', async () => {
    const s = new ScriptedSession();
    s.answer = async (m) => {
      if (m === 'host/remotes/list') throw new RpcError(RpcErrorCode.MethodNotFound, 'host/remotes/list: Controlling other devices is not available on Windows hosts', { feature: 'remotes', reason: 'Controlling other devices is not available on Windows hosts' });
      return {};
    };
    const store = createRemotesStore(s);
    await store.getState().load();
    expect(store.getState()).toMatchObject({ phase: 'error', loadError: 'Controlling other devices is not available on Windows hosts' });
    s.answer = async (m) => (m === 'host/remotes/list' ? { remotes: [{ id: ID }] } : {});
    await store.getState().load();
    expect(store.getState().phase).toBe('error');
    expect(store.getState().loadError).toContain('host/remotes/list result');
  });

  it('keeps the toggle at what the host reports: busy while asking, the answer after, and a refusal beside the row with nothing flipped', async () => {
    const s = new ScriptedSession();
    let release: (() => void) | undefined;
    s.answer = async (m) => {
      if (m === 'host/remotes/list') return { remotes: [remote()] };
      if (m === 'host/remotes/disconnect') {
        await new Promise<void>((r) => (release = r));
        return { remote: remote({ state: 'disconnected', autoConnect: false }) };
      }
      if (m === 'host/remotes/connect') throw new RpcError(RpcErrorCode.InvalidRequest, 'host/remotes/connect: the controller key cannot be read');
      return {};
    };
    const store = createRemotesStore(s);
    await store.getState().load();
    const off = store.getState().setConnected(ID, false);
    await flush();
    expect(store.getState().pending).toEqual({ [ID]: 'disconnect' });
    expect(store.getState().remotes[0]!.autoConnect).toBe(true);
    release!();
    await off;
    expect(store.getState().pending).toEqual({});
    expect(store.getState().remotes[0]).toMatchObject({ autoConnect: false, label: 'Disconnected' });

    await store.getState().setConnected(ID, true);
    expect(store.getState().remotes[0]).toMatchObject({ autoConnect: false, label: 'Disconnected' });
    expect(store.getState().actionErrors).toEqual({ [ID]: 'The controller key cannot be read' });
    store.getState().dismissError(ID);
    expect(store.getState().actionErrors).toEqual({});
  });

  it('adds with the trimmed link and turns a refusal into the host\u2019s sentence; remove drops the row only when the host did', async () => {
    const s = new ScriptedSession();
    s.answer = async (m, p) => {
      if (m === 'host/remotes/list') return { remotes: [] };
      if (m === 'host/remotes/add') {
        if ((p as { link: string }).link.includes('used')) throw new RpcError(RpcErrorCode.InvalidRequest, 'host/remotes/add: the pairing code was already used; show a new link on the other host');
        return { remote: remote() };
      }
      if (m === 'host/remotes/remove') return { removed: true };
      return {};
    };
    const store = createRemotesStore(s);
    await store.getState().load();
    await expect(store.getState().add('  https://r.example/pair#p=used  ')).rejects.toThrow('The pairing code was already used; show a new link on the other host');
    expect(store.getState().remotes).toEqual([]);
    const added = await store.getState().add(' https://r.example/pair#p=good\n');
    expect(s.calls.find((c) => c.method === 'host/remotes/add' && (c.params as { link: string }).link === 'https://r.example/pair#p=good')).toBeDefined();
    expect(added.id).toBe(ID);
    expect(store.getState().remotes.map((r) => r.id)).toEqual([ID]);

    s.answer = async (m) => {
      if (m === 'host/remotes/remove') throw new RpcError(RpcErrorCode.InvalidRequest, 'host/remotes/remove: remotes.json could not be written');
      return {};
    };
    await store.getState().remove(ID);
    expect(store.getState().remotes.map((r) => r.id)).toEqual([ID]);
    expect(store.getState().actionErrors[ID]).toBe('remotes.json could not be written');
    s.answer = async () => ({ removed: true });
    await store.getState().remove(ID);
    expect(store.getState().remotes).toEqual([]);
  });

  it('says refusals in one sentence without the method prefix', () => {
    expect(remotesErrorText(new RpcError(RpcErrorCode.InvalidParams, 'host/remotes/rename: no controlled host with id x'))).toBe('No controlled host with id x');
    expect(remotesErrorText(new Error('host/remotes/list: not connected to the host'))).toBe('Not connected to the host');
  });
});
