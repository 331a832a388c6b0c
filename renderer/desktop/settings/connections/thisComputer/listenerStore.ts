/**
 * The remote-TUI listener (`codex --remote ws://…`) as the host runs it (`host/listener/get`,
 * `set`, `generateToken`, kept live by `host/listener/changed`). Settings are checked by the
 * host with the rules of `serve --listen`; a refused change leaves the running listener as it was.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ListenerSettings, ListenerView } from '../../../../../shared/protocol/features/listenerApi';
import { errorMessage } from '../../../../../shared/util/errors';
import { callHost, type HostSessionLike } from '../hostCalls';

export interface ListenerState {
  readonly view?: ListenerView;
  readonly loadError?: string;
  readonly pending: boolean;
  readonly changeError?: string;
  load(): Promise<void>;
  set(settings: ListenerSettings): Promise<boolean>;
  /** Writes a new token file; resolves with its path (or undefined when refused, with changeError set). */
  generateToken(): Promise<string | undefined>;
  changed(view: ListenerView): void;
}

export type ListenerStore = StoreApi<ListenerState>;

export function createListenerStore(session: Pick<HostSessionLike, 'requestHost'>): ListenerStore {
  return createStore<ListenerState>()((set) => ({
    pending: false,
    async load() {
      try {
        set({ view: await callHost(session, 'host/listener/get'), loadError: undefined });
      } catch (err) {
        set({ loadError: errorMessage(err) });
      }
    },
    async set(settings) {
      set({ pending: true, changeError: undefined });
      try {
        set({ view: await callHost(session, 'host/listener/set', { settings }) });
        return true;
      } catch (err) {
        set({ changeError: errorMessage(err) });
        return false;
      } finally {
        set({ pending: false });
      }
    },
    async generateToken() {
      set({ pending: true, changeError: undefined });
      try {
        const r = await callHost(session, 'host/listener/generateToken');
        set({ view: r.view });
        return r.tokenFile;
      } catch (err) {
        set({ changeError: errorMessage(err) });
        return undefined;
      } finally {
        set({ pending: false });
      }
    },
    changed(view) {
      set({ view });
    },
  }));
}
