/**
 * What the Other devices tab shows, kept live by the host's `host/remotes/changed`
 * notifications, never by polling. Every value on screen is what the host last reported: an
 * action marks its row busy until the host answers, then the answer (or the notification that
 * beat it) is what shows; a refusal is kept beside the row as its action error, and nothing
 * optimistic stays (connections-ui.md: "every toggle shows the state the host reports").
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { RemoteInfo } from '../../../../../shared/protocol/features/remotesApi';
import { callRemotes, parseRemotesChange, remotesErrorText, type RemotesSessionLike } from './remotesApiClient';

/** An action in flight on one row. */
export type RemoteAction = 'connect' | 'disconnect' | 'rename' | 'remove';

export interface RemotesState {
  readonly phase: 'loading' | 'ready' | 'error';
  readonly loadError: string | undefined;
  readonly remotes: readonly RemoteInfo[];
  /** What the host could not read (an unreadable list moved aside, an unusable controller key). */
  readonly problem: string | undefined;
  readonly refreshing: boolean;
  readonly pending: Readonly<Record<string, RemoteAction>>;
  /** The last refused action per row, cleared by the next action or dismissed. */
  readonly actionErrors: Readonly<Record<string, string>>;
}

export interface RemotesActions {
  load(): Promise<void>;
  /** Reads the list again (the header's Refresh). */
  refresh(): Promise<void>;
  /** Pairs with another host's link; resolves with the new row, rejects with the sentence to show. */
  add(link: string): Promise<RemoteInfo>;
  setConnected(id: string, on: boolean): Promise<void>;
  /** Resolves true when the host took the name; a refusal stays as the row's action error. */
  rename(id: string, name: string): Promise<boolean>;
  remove(id: string): Promise<void>;
  dismissError(id: string): void;
  /** Listens to the host's notifications and loads (again after every reconnect). */
  start(): void;
  dispose(): void;
}

export type RemotesStore = StoreApi<RemotesState & RemotesActions>;

const upsert = (list: readonly RemoteInfo[], r: RemoteInfo): RemoteInfo[] => {
  const i = list.findIndex((x) => x.id === r.id);
  if (i < 0) return [...list, r];
  const next = [...list];
  next[i] = r;
  return next;
};

export function createRemotesStore(session: RemotesSessionLike): RemotesStore {
  const subs: { dispose(): void }[] = [];
  const store = createStore<RemotesState & RemotesActions>()((set, get) => {
    const act = async (id: string, action: RemoteAction, run: () => Promise<RemoteInfo | undefined>): Promise<boolean> => {
      set((s) => ({ pending: { ...s.pending, [id]: action }, actionErrors: without(s.actionErrors, id) }));
      try {
        const r = await run();
        if (r) set((s) => ({ remotes: upsert(s.remotes, r) }));
        return true;
      } catch (err) {
        set((s) => ({ actionErrors: { ...s.actionErrors, [id]: remotesErrorText(err) } }));
        return false;
      } finally {
        set((s) => ({ pending: without(s.pending, id) }));
      }
    };
    const read = async () => {
      const r = await callRemotes(session, 'host/remotes/list');
      set({ phase: 'ready', loadError: undefined, remotes: r.remotes, problem: r.problem });
    };
    return {
      phase: 'loading',
      loadError: undefined,
      remotes: [],
      problem: undefined,
      refreshing: false,
      pending: {},
      actionErrors: {},

      async load() {
        try {
          // Subscribing first: a change between the list and the subscription is not missed.
          await session.requestHost('host/notifications/subscribe', { methods: ['host/remotes/changed'] });
          await read();
        } catch (err) {
          set({ phase: 'error', loadError: remotesErrorText(err) });
        }
      },
      async refresh() {
        set({ refreshing: true });
        try {
          await read();
        } catch (err) {
          set({ phase: get().phase === 'ready' ? 'ready' : 'error', loadError: remotesErrorText(err) });
        } finally {
          set({ refreshing: false });
        }
      },
      async add(link) {
        try {
          const { remote } = await callRemotes(session, 'host/remotes/add', { link: link.trim() });
          set((s) => ({ remotes: upsert(s.remotes, remote) }));
          return remote;
        } catch (err) {
          throw new Error(remotesErrorText(err));
        }
      },
      setConnected: async (id, on) => {
        await act(id, on ? 'connect' : 'disconnect', async () => (await callRemotes(session, on ? 'host/remotes/connect' : 'host/remotes/disconnect', { remoteId: id })).remote);
      },
      rename: (id, name) => act(id, 'rename', async () => (await callRemotes(session, 'host/remotes/rename', { remoteId: id, name })).remote),
      remove: async (id) => {
        const ok = await act(id, 'remove', async () => {
          await callRemotes(session, 'host/remotes/remove', { remoteId: id });
          return undefined;
        });
        if (ok) set((s) => ({ remotes: s.remotes.filter((r) => r.id !== id) }));
      },
      dismissError: (id) => set((s) => ({ actionErrors: without(s.actionErrors, id) })),
      start() {
        if (subs.length) return;
        subs.push(
          session.onNotification((method, params) => {
            if (method !== 'host/remotes/changed') return;
            const p = parseRemotesChange(params);
            if (!p) return;
            set((s) => ({ remotes: p.change === 'removed' ? s.remotes.filter((r) => r.id !== p.remote.id) : upsert(s.remotes, p.remote) }));
          }),
          // A new connection has no subscriptions and may have missed changes: read it all again.
          session.onConnected(() => void get().load()),
        );
        if (session.status.kind === 'online') void get().load();
      },
      dispose() {
        for (const d of subs.splice(0)) d.dispose();
      },
    };
  });
  return store;
}

function without<T>(record: Readonly<Record<string, T>>, key: string): Record<string, T> {
  const { [key]: _gone, ...rest } = record;
  return rest;
}
