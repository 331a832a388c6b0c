/** Remote activity: the audit log read back newest first (`host/audit/list`), older pages on demand. */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { AuditEntryView } from '../../../../../shared/protocol/features/auditApi';
import { errorMessage } from '../../../../../shared/util/errors';
import { callHost, type HostSessionLike } from '../hostCalls';

export const AUDIT_PAGE = 25;

export interface AuditState {
  readonly phase: 'loading' | 'ready' | 'error';
  readonly entries: readonly AuditEntryView[];
  readonly nextCursor?: string;
  readonly unreadable: number;
  readonly error?: string;
  readonly loadingOlder: boolean;
  /** Reads the newest page again (replaces what is shown). */
  load(): Promise<void>;
  loadOlder(): Promise<void>;
}

export type AuditStore = StoreApi<AuditState>;

export function createAuditStore(session: Pick<HostSessionLike, 'requestHost'>): AuditStore {
  let seq = 0;
  return createStore<AuditState>()((set, get) => ({
    phase: 'loading',
    entries: [],
    unreadable: 0,
    loadingOlder: false,
    async load() {
      const mine = ++seq;
      try {
        const r = await callHost(session, 'host/audit/list', { limit: AUDIT_PAGE });
        if (mine === seq) set({ phase: 'ready', entries: r.entries, nextCursor: r.nextCursor, unreadable: r.unreadable, error: undefined });
      } catch (err) {
        if (mine === seq) set({ phase: 'error', error: errorMessage(err) });
      }
    },
    async loadOlder() {
      const before = get().nextCursor;
      if (!before || get().loadingOlder) return;
      const mine = seq;
      set({ loadingOlder: true });
      try {
        const r = await callHost(session, 'host/audit/list', { before, limit: AUDIT_PAGE });
        if (mine === seq) set({ entries: [...get().entries, ...r.entries], nextCursor: r.nextCursor, unreadable: get().unreadable + r.unreadable });
      } catch (err) {
        if (mine === seq) set({ error: errorMessage(err) });
      } finally {
        set({ loadingOlder: false });
      }
    },
  }));
}
