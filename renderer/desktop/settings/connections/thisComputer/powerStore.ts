/**
 * "Keep this computer awake" as the host's `power` feature reports it (`host/power/get`,
 * `host/power/set`, `host/power/changed`; docs/keep-awake.md). Only used when host/info lists
 * the feature. The switch shows the setting the host answers; `held` and `reasons` say what the
 * host really does right now.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { PowerState as PowerView } from '../../../../../shared/protocol/features/powerApi';
import { errorMessage } from '../../../../../shared/util/errors';
import { callHost, type HostSessionLike } from '../hostCalls';

export type { PowerView };

export interface PowerState {
  readonly view?: PowerView;
  readonly loadError?: string;
  readonly pending: boolean;
  readonly changeError?: string;
  load(): Promise<void>;
  set(keepAwake: boolean): Promise<void>;
  /** A `host/power/changed` notification's (parsed) params. */
  changed(view: PowerView): void;
}

export type PowerStore = StoreApi<PowerState>;

export function createPowerStore(session: Pick<HostSessionLike, 'requestHost'>): PowerStore {
  return createStore<PowerState>()((set) => ({
    pending: false,
    async load() {
      try {
        set({ view: await callHost(session, 'host/power/get'), loadError: undefined });
      } catch (err) {
        set({ loadError: errorMessage(err) });
      }
    },
    async set(keepAwake) {
      set({ pending: true, changeError: undefined });
      try {
        set({ view: await callHost(session, 'host/power/set', { keepAwake }) });
      } catch (err) {
        set({ changeError: errorMessage(err) });
      } finally {
        set({ pending: false });
      }
    },
    changed(view) {
      set({ view });
    },
  }));
}
