/**
 * The first page of a host's thread list as this phone last saw it (docs/mobile.md "Threads"),
 * painted while the session connects so the list is on screen at once, and shown (with the
 * offline banner) when the host cannot be reached. The fresh first page replaces it as soon as
 * it arrives. One list per host, for the environment shown; activity is not kept (a thread
 * that was running then may not be now).
 */
import type { ThreadSummary } from '../../common/stores/threadSummary';

/** As many as the first page holds (threadListStore THREAD_PAGE_SIZE). */
const MAX_CACHED = 50;

export interface CachedThreadList {
  readonly environmentId: string;
  readonly threads: readonly ThreadSummary[];
}

export function cachedThreadListKey(hostId: string): string {
  return `threads.${hostId}`;
}

/** What is stored of a list: its first page, without activity. */
export function storableThreadList(environmentId: string, threads: readonly ThreadSummary[]): CachedThreadList {
  return { environmentId, threads: threads.slice(0, MAX_CACHED).map((t) => ({ id: t.id, title: t.title, cwd: t.cwd, updatedAt: t.updatedAt, activity: 'notLoaded' })) };
}

const str = (v: unknown, max: number): v is string => typeof v === 'string' && v.length <= max;

/** A stored list read back, or undefined when there is none or it is damaged. */
export function parseCachedThreadList(v: unknown): CachedThreadList | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const r = v as Record<string, unknown>;
  if (!str(r.environmentId, 256) || !r.environmentId || !Array.isArray(r.threads) || r.threads.length > MAX_CACHED) return undefined;
  const threads: ThreadSummary[] = [];
  for (const t of r.threads as unknown[]) {
    if (typeof t !== 'object' || t === null) return undefined;
    const x = t as Record<string, unknown>;
    if (!str(x.id, 256) || !x.id || !str(x.title, 200) || !str(x.cwd, 4096) || typeof x.updatedAt !== 'number' || !Number.isFinite(x.updatedAt)) return undefined;
    threads.push({ id: x.id, title: x.title, cwd: x.cwd, updatedAt: x.updatedAt, activity: 'notLoaded' });
  }
  return { environmentId: r.environmentId, threads };
}
