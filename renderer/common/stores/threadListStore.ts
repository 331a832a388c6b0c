/**
 * The thread list of one environment (style.md G12): newest first, paged from the engine's
 * state database (`thread/list {useStateDbOnly, sortKey: "updated_at"}`, the fast path for a
 * first paint, docs/engine.md §1), searchable by title, and kept live by the broadcasts every
 * connection gets (`thread/started`, `thread/status/changed`, `thread/name/updated`).
 */
import { createStore, type StateCreator, type StoreApi } from 'zustand/vanilla';
import type { Thread } from '../../../shared/protocol/appServer/experimental/v2/Thread';
import type { ThreadStatus } from '../../../shared/protocol/appServer/experimental/v2/ThreadStatus';
import { errorMessage } from '../../../shared/util/errors';
import type { EngineRequester } from '../host/engineMethods';
import { perfMark } from '../util/perfMark';
import { activityOf, isHiddenThread, summarizeThread, threadTitle, type ThreadSummary } from './threadSummary';

/** Threads per `thread/list` page. */
export const THREAD_PAGE_SIZE = 50;

export interface ThreadListState {
  readonly threads: readonly ThreadSummary[];
  /** 'loading' = first page on its way (nothing to show yet); 'more' = a further page. */
  readonly phase: 'idle' | 'loading' | 'ready' | 'more' | 'error';
  readonly error: string | undefined;
  readonly nextCursor: string | null;
  readonly search: string;
  /** Loads the first page (again), e.g. on connect or when the search changes. */
  loadFirst(): Promise<void>;
  /** Loads the next page, if there is one and none is loading. */
  loadMore(): Promise<void>;
  setSearch(term: string): Promise<void>;
  /** Feeds one engine notification (the session's subscription calls this). */
  applyNotification(method: string, params: unknown): void;
}

export interface ThreadListDeps {
  readonly engine: EngineRequester;
  readonly now?: () => number;
}

export function threadListStateCreator(deps: ThreadListDeps): StateCreator<ThreadListState> {
  const now = deps.now ?? (() => Date.now());
  let generation = 0;

  return (set, get) => {
    async function fetchPage(cursor: string | null, gen: number): Promise<void> {
      const search = get().search.trim();
      if (!cursor) perfMark('codexHost:threadList:request');
      try {
        const res = await deps.engine.request('thread/list', {
          limit: THREAD_PAGE_SIZE,
          cursor,
          sortKey: 'updated_at',
          sortDirection: 'desc',
          useStateDbOnly: true,
          ...(search ? { searchTerm: search } : {}),
        });
        if (gen !== generation) return; // a newer search or reload won
        if (!cursor) perfMark('codexHost:threadList:response');
        const page = res.data.filter((t) => !isHiddenThread(t)).map(summarizeThread);
        const known = cursor ? new Set(get().threads.map((t) => t.id)) : new Set<string>();
        const merged = cursor ? [...get().threads, ...page.filter((t) => !known.has(t.id))] : page;
        set({ threads: merged, nextCursor: res.nextCursor, phase: 'ready', error: undefined });
      } catch (err) {
        if (gen !== generation) return;
        set({ phase: 'error', error: errorMessage(err) });
      }
    }

    function update(id: string, patch: (t: ThreadSummary) => ThreadSummary, toFront = false): void {
      const list = get().threads;
      const i = list.findIndex((t) => t.id === id);
      if (i < 0) return;
      const next = patch(list[i]!);
      const rest = list.filter((_, j) => j !== i);
      set({ threads: toFront ? [next, ...rest] : [...rest.slice(0, i), next, ...rest.slice(i)] });
    }

    return {
      threads: [],
      phase: 'idle',
      error: undefined,
      nextCursor: null,
      search: '',

      async loadFirst() {
        const gen = ++generation;
        set({ phase: 'loading', error: undefined, nextCursor: null, ...(get().threads.length ? {} : { threads: [] }) });
        await fetchPage(null, gen);
      },

      async loadMore() {
        const { nextCursor, phase } = get();
        if (!nextCursor || (phase !== 'ready' && phase !== 'error')) return;
        set({ phase: 'more' });
        await fetchPage(nextCursor, generation);
      },

      async setSearch(term) {
        if (term === get().search) return;
        set({ search: term, threads: [] });
        await get().loadFirst();
      },

      applyNotification(method, params) {
        const p = (params ?? {}) as Record<string, unknown>;
        if (method === 'thread/started') {
          const thread = p.thread as Thread | undefined;
          if (!thread || typeof thread.id !== 'string' || isHiddenThread(thread) || get().search) return;
          if (get().threads.some((t) => t.id === thread.id)) return;
          set({ threads: [{ ...summarizeThread(thread), updatedAt: Math.floor(now() / 1000) }, ...get().threads] });
        } else if (method === 'thread/status/changed' && typeof p.threadId === 'string') {
          const activity = activityOf(p.status as ThreadStatus);
          const startedRunning = activity === 'running' || activity === 'needsAttention';
          update(p.threadId, (t) => ({ ...t, activity, ...(startedRunning ? { updatedAt: Math.floor(now() / 1000) } : {}) }), startedRunning);
        } else if (method === 'item/started' && typeof p.threadId === 'string') {
          // A thread started here is listed before it has a first message: name it from that message.
          const item = p.item as { type?: unknown; content?: unknown } | undefined;
          if (item?.type !== 'userMessage' || !Array.isArray(item.content)) return;
          const text = item.content.map((c: { type?: unknown; text?: unknown }) => (c.type === 'text' && typeof c.text === 'string' ? c.text : '')).join(' ');
          const current = get().threads.find((t) => t.id === p.threadId);
          if (current && current.title === threadTitle({ name: null, preview: '' }) && text.trim()) {
            update(current.id, (t) => ({ ...t, title: threadTitle({ name: null, preview: text }) }));
          }
        } else if (method === 'thread/name/updated' && typeof p.threadId === 'string') {
          const name = typeof p.threadName === 'string' ? p.threadName : null;
          update(p.threadId, (t) => ({ ...t, title: name ? threadTitle({ name, preview: '' }) : t.title }));
        }
      },
    };
  };
}

export type ThreadListStore = StoreApi<ThreadListState>;

export function createThreadListStore(deps: ThreadListDeps): ThreadListStore {
  return createStore<ThreadListState>()(threadListStateCreator(deps));
}
