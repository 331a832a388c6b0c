/** The troubleshooting checks (`host/remoteAccess/checks`), computed by the host on each ask. */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { TroubleshootingCheck } from '../../../../../shared/protocol/features/remoteAccessApi';
import { errorMessage } from '../../../../../shared/util/errors';
import { callHost, type HostSessionLike } from '../hostCalls';

export interface ChecksState {
  readonly checks?: readonly TroubleshootingCheck[];
  readonly checkedAt?: string;
  readonly error?: string;
  readonly running: boolean;
  run(): Promise<void>;
}

export type ChecksStore = StoreApi<ChecksState>;

export function createChecksStore(session: Pick<HostSessionLike, 'requestHost'>): ChecksStore {
  let seq = 0;
  return createStore<ChecksState>()((set) => ({
    running: false,
    async run() {
      const mine = ++seq;
      set({ running: true });
      try {
        const r = await callHost(session, 'host/remoteAccess/checks');
        if (mine === seq) set({ checks: r.checks, checkedAt: r.checkedAt, error: undefined });
      } catch (err) {
        if (mine === seq) set({ error: errorMessage(err) });
      } finally {
        if (mine === seq) set({ running: false });
      }
    },
  }));
}
