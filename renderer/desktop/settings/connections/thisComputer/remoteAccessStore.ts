/**
 * "Allow other devices to connect" and the relay choice, exactly as the host reports them
 * (`host/remoteAccess/get`, refreshed on `host/remoteAccess/changed`). A change is sent and the
 * switch shows the host's answer: while it is on its way the control is busy, never flipped
 * ahead of the host (connections-ui.md: no toggle that lies).
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { RelaySetting, RemoteAccessView } from '../../../../../shared/protocol/features/remoteAccessApi';
import { errorMessage } from '../../../../../shared/util/errors';
import { callHost, type HostSessionLike } from '../hostCalls';

export interface RemoteAccessState {
  readonly view?: RemoteAccessView;
  /** Why the view could not be read. */
  readonly loadError?: string;
  /** What is being changed right now. */
  readonly pending?: 'enabled' | 'relay';
  /** Why the last change was refused (shown beside the control that made it). */
  readonly changeError?: { readonly what: 'enabled' | 'relay'; readonly message: string };
  load(): Promise<void>;
  setEnabled(enabled: boolean): Promise<void>;
  setRelay(relay: RelaySetting): Promise<boolean>;
}

export type RemoteAccessStore = StoreApi<RemoteAccessState>;

export function createRemoteAccessStore(session: Pick<HostSessionLike, 'requestHost'>): RemoteAccessStore {
  let seq = 0;
  return createStore<RemoteAccessState>()((set) => ({
    async load() {
      const mine = ++seq;
      try {
        const view = await callHost(session, 'host/remoteAccess/get');
        if (mine === seq) set({ view, loadError: undefined });
      } catch (err) {
        if (mine === seq) set({ loadError: errorMessage(err) });
      }
    },
    async setEnabled(enabled) {
      set({ pending: 'enabled', changeError: undefined });
      const mine = ++seq;
      try {
        const view = await callHost(session, 'host/remoteAccess/set', { enabled });
        if (mine === seq) set({ view });
      } catch (err) {
        set({ changeError: { what: 'enabled', message: errorMessage(err) } });
      } finally {
        set({ pending: undefined });
      }
    },
    async setRelay(relay) {
      set({ pending: 'relay', changeError: undefined });
      const mine = ++seq;
      try {
        const view = await callHost(session, 'host/relay/set', { relay });
        if (mine === seq) set({ view });
        return true;
      } catch (err) {
        set({ changeError: { what: 'relay', message: errorMessage(err) } });
        return false;
      } finally {
        set({ pending: undefined });
      }
    },
  }));
}
