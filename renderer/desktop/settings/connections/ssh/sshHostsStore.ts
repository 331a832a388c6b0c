/**
 * What the SSH tab shows, kept live by the host's notifications (`host/ssh/changed`,
 * `host/ssh/prompt`, `host/ssh/prompt/closed`, `host/ssh/projects/changed`), never by polling.
 * Every value on screen is what the host last reported: an action marks its host busy until
 * the host answers, then the answer (or the notification that beat it) is what shows; a
 * refusal is kept beside the host as its action error, and nothing optimistic stays.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { RemoteProject, SshHostInfo, SshPrompt } from '../../../../../shared/protocol/features/sshApi';
import { callSsh, parseSshNotification, SSH_NOTIFICATION_NAMES, sshErrorText, type SshSessionLike } from './sshApiClient';

export interface SshConfigProblem {
  readonly file: string;
  readonly line?: number;
  readonly alias?: string;
  readonly error: string;
}

/** An action in flight on one host (the row shows it and disables what would conflict). */
export type SshHostAction = 'enable' | 'disable' | 'restart' | 'trust' | 'remove' | 'pick';

export interface SshHostsState {
  readonly phase: 'loading' | 'ready' | 'error';
  readonly loadError: string | undefined;
  readonly configFile: string;
  readonly hosts: readonly SshHostInfo[];
  readonly problems: readonly SshConfigProblem[];
  readonly prompts: readonly SshPrompt[];
  readonly projects: readonly RemoteProject[];
  readonly refreshing: boolean;
  readonly pending: Readonly<Record<string, SshHostAction>>;
  /** The last refused action per host ("… is not connected"), cleared by the next action. */
  readonly actionErrors: Readonly<Record<string, string>>;
}

export interface SshHostsActions {
  load(): Promise<void>;
  refresh(): Promise<void>;
  setEnabled(name: string, enabled: boolean): Promise<void>;
  restart(name: string): Promise<void>;
  trust(name: string, fingerprint: string): Promise<void>;
  /** The discovered list's checkbox: on the user's list (pick) or off it (remove). */
  setListed(name: string, listed: boolean): Promise<void>;
  remove(name: string): Promise<void>;
  dismissError(name: string): void;
  /** A host the host just returned (added, edited; `formerName` when it was renamed). */
  applyHost(host: SshHostInfo, formerName?: string): void;
  /** Listens to the host's notifications and loads (again after every reconnect). */
  start(): void;
  /** Stops listening (start() may follow again). */
  dispose(): void;
}

export type SshHostsStore = StoreApi<SshHostsState & SshHostsActions>;

const upsert = (hosts: readonly SshHostInfo[], host: SshHostInfo): SshHostInfo[] => {
  const i = hosts.findIndex((h) => h.name === host.name);
  if (i < 0) return [...hosts, host];
  const next = [...hosts];
  next[i] = host;
  return next;
};

/** The rows of the tab: hosts on the user's list (added by hand, picked, or enabled once). */
export const listedHosts = (s: Pick<SshHostsState, 'hosts'>): SshHostInfo[] => s.hosts.filter((h) => h.listed || h.enabled);

/** The discovered list of the Add dialog: aliases of the ssh config. */
export const configHosts = (s: Pick<SshHostsState, 'hosts'>): SshHostInfo[] => s.hosts.filter((h) => h.source === 'config' && h.file !== undefined);

export function createSshHostsStore(session: SshSessionLike): SshHostsStore {
  const subs: { dispose(): void }[] = [];
  const store = createStore<SshHostsState & SshHostsActions>()((set, get) => {
    const setHost = (host: SshHostInfo) => set((s) => ({ hosts: upsert(s.hosts, host) }));
    /** Runs one action on a host: busy meanwhile, the host's answer (or its refusal) after. */
    const act = async (name: string, action: SshHostAction, run: () => Promise<SshHostInfo | undefined>) => {
      set((s) => ({ pending: { ...s.pending, [name]: action }, actionErrors: without(s.actionErrors, name) }));
      try {
        const host = await run();
        if (host) setHost(host);
      } catch (err) {
        set((s) => ({ actionErrors: { ...s.actionErrors, [name]: sshErrorText(err) } }));
      } finally {
        set((s) => ({ pending: without(s.pending, name) }));
      }
    };
    const applyList = (r: { configFile: string; hosts: SshHostInfo[]; problems: SshConfigProblem[]; prompts: SshPrompt[] }) =>
      set({ phase: 'ready', loadError: undefined, configFile: r.configFile, hosts: r.hosts, problems: r.problems, prompts: r.prompts });

    return {
      phase: 'loading',
      loadError: undefined,
      configFile: '',
      hosts: [],
      problems: [],
      prompts: [],
      projects: [],
      refreshing: false,
      pending: {},
      actionErrors: {},

      async load() {
        try {
          // Subscribing first: a change between the list and the subscription is not missed.
          await session.requestHost('host/notifications/subscribe', { methods: SSH_NOTIFICATION_NAMES });
          const [list, projects] = await Promise.all([callSsh(session, 'host/ssh/list'), callSsh(session, 'host/ssh/projects/list', {})]);
          applyList(list);
          set({ projects: projects.projects });
        } catch (err) {
          set({ phase: 'error', loadError: sshErrorText(err) });
        }
      },
      async refresh() {
        set({ refreshing: true });
        try {
          applyList(await callSsh(session, 'host/ssh/refresh'));
        } catch (err) {
          set({ loadError: sshErrorText(err) });
        } finally {
          set({ refreshing: false });
        }
      },
      setEnabled: (name, enabled) => act(name, enabled ? 'enable' : 'disable', async () => (await callSsh(session, enabled ? 'host/ssh/enable' : 'host/ssh/disable', { name })).host),
      restart: (name) => act(name, 'restart', async () => (await callSsh(session, 'host/ssh/restart', { name })).host),
      trust: (name, fingerprint) => act(name, 'trust', async () => (await callSsh(session, 'host/ssh/trust', { name, fingerprint })).host),
      setListed: (name, listed) =>
        listed
          ? act(name, 'pick', async () => (await callSsh(session, 'host/ssh/pick', { name })).host)
          : get().remove(name),
      remove: (name) =>
        act(name, 'remove', async () => {
          await callSsh(session, 'host/ssh/remove', { name });
          // What the host shows of it now (a config alias stays discovered; a manual one is gone).
          const list = await callSsh(session, 'host/ssh/list');
          applyList(list);
          return undefined;
        }),
      applyHost: (host, formerName) =>
        set((s) => ({ hosts: upsert(formerName && formerName !== host.name ? s.hosts.filter((h) => h.name !== formerName) : s.hosts, host) })),
      dismissError: (name) => set((s) => ({ actionErrors: without(s.actionErrors, name) })),
      start() {
        if (subs.length) return;
        listen();
        if (session.status.kind === 'online') void get().load();
      },
      dispose() {
        for (const d of subs.splice(0)) d.dispose();
      },
    };
  });

  /** The host's notifications, and a fresh load after every reconnect. */
  function listen(): void {
    subs.push(
      session.onNotification((method, params) => {
        const s = store.getState();
        if (method === 'host/ssh/changed') {
          const p = parseSshNotification('host/ssh/changed', params);
          if (!p) return;
          store.setState({ hosts: p.host ? upsert(s.hosts, p.host) : s.hosts.filter((h) => h.name !== p.name) });
        } else if (method === 'host/ssh/prompt') {
          const p = parseSshNotification('host/ssh/prompt', params);
          if (p && !s.prompts.some((x) => x.promptId === p.promptId)) store.setState({ prompts: [...s.prompts, p] });
        } else if (method === 'host/ssh/prompt/closed') {
          const p = parseSshNotification('host/ssh/prompt/closed', params);
          if (p) store.setState({ prompts: s.prompts.filter((x) => x.promptId !== p.promptId) });
        } else if (method === 'host/ssh/projects/changed') {
          const p = parseSshNotification('host/ssh/projects/changed', params);
          if (p) store.setState({ projects: p.projects });
        }
      }),
      // A new connection has no subscriptions and may have missed changes: read it all again.
      session.onConnected(() => void store.getState().load()),
    );
  }
  return store;
}

function without<T>(record: Readonly<Record<string, T>>, key: string): Record<string, T> {
  const { [key]: _gone, ...rest } = record;
  return rest;
}
