/**
 * The small projection of an engine `Thread` that lists show. Lists keep this, not the full
 * thread object: a thousand threads must stay cheap to hold and to diff.
 */
import type { Thread } from '../../../shared/protocol/appServer/experimental/v2/Thread';
import type { ThreadStatus } from '../../../shared/protocol/appServer/experimental/v2/ThreadStatus';

export type ThreadActivity = 'notLoaded' | 'idle' | 'running' | 'needsAttention' | 'error';

export interface ThreadSummary {
  readonly id: string;
  readonly title: string;
  readonly cwd: string;
  /** Unix seconds of the last update (the list is ordered by it, newest first). */
  readonly updatedAt: number;
  readonly activity: ThreadActivity;
}

/** Longest title kept (a preview can be a whole pasted file). */
const MAX_TITLE = 200;

/**
 * The TUI's title threads (`threadSource: "thread_title"`, ephemeral) are side jobs, not
 * conversations: never listed (docs/engine.md §10).
 */
export function isHiddenThread(t: Pick<Thread, 'ephemeral' | 'threadSource'>): boolean {
  return t.ephemeral || t.threadSource === 'thread_title';
}

export function activityOf(status: ThreadStatus): ThreadActivity {
  switch (status.type) {
    case 'active':
      return status.activeFlags.length > 0 ? 'needsAttention' : 'running';
    case 'systemError':
      return 'error';
    case 'idle':
      return 'idle';
    default:
      return 'notLoaded';
  }
}

/**
 * The first message as a one-line title: its markdown marks dropped (a title reads
 * "plan the release", not "**plan** the release"). Only the common inline forms: a title is
 * a hint, and anything unusual still reads as text.
 */
export function plainPreview(preview: string): string {
  return preview
    .replace(/```[^\n]*\n?/g, ' ') // fences, keeping the code
    .replace(/!?\[([^\]\n]*)\]\([^)\n]*\)/g, '$1') // [text](url), ![alt](src)
    .replace(/^\s{0,3}(?:#{1,6}\s+|>\s?|[-*+]\s+|\d+[.)]\s+)/gm, '') // headings, quotes, list marks
    .replace(/(\*\*|__)(?=\S)([^\n]*?\S)\1/g, '$2') // **strong**, __strong__
    .replace(/(^|[^\w*])[*_](?=\S)([^*_\n]*?\S)[*_](?!\w)/g, '$1$2') // *em*, _em_
    .replace(/~~(?=\S)([^\n]*?\S)~~/g, '$1')
    .replace(/`([^`\n]+)`/g, '$1');
}

/** The title a person sees: the thread's name, else its first message, else "New thread". */
export function threadTitle(t: Pick<Thread, 'name' | 'preview'>): string {
  const raw = (t.name?.trim() || plainPreview(t.preview ?? '').trim()).replace(/\s+/g, ' ');
  if (!raw) return 'New thread';
  return raw.length > MAX_TITLE ? `${raw.slice(0, MAX_TITLE)}…` : raw;
}

export function summarizeThread(t: Thread): ThreadSummary {
  return { id: t.id, title: threadTitle(t), cwd: t.cwd, updatedAt: t.recencyAt ?? t.updatedAt, activity: activityOf(t.status) };
}
