/**
 * One open thread (style.md G12: one store per open thread). Opening resumes it without its
 * full history (`thread/resume {excludeTurns, initialTurnsPage}`, docs/engine.md §1), older
 * turns page in with `thread/turns/list`, and the engine's events for this thread stream into
 * it through `applyNotification`. After a reconnect `open()` runs again and the fresh page is
 * merged into what is shown (threadReducer.ts), so nothing is lost or doubled.
 */
import { createStore, type StateCreator, type StoreApi } from 'zustand/vanilla';
import type { ReasoningEffort } from '../../../shared/protocol/appServer/experimental/ReasoningEffort';
import type { Thread } from '../../../shared/protocol/appServer/experimental/v2/Thread';
import type { ThreadStatus } from '../../../shared/protocol/appServer/experimental/v2/ThreadStatus';
import type { UserInput } from '../../../shared/protocol/appServer/experimental/v2/UserInput';
import { errorMessage } from '../../../shared/util/errors';
import type { EngineRequester } from '../host/engineMethods';
import { newClientMessageId } from '../util/ids';
import { perfMark } from '../util/perfMark';
import { applyTurnEvent, mergeTurns, threadIdOf, turnViewOf, updateTurn, type TurnView } from './threadReducer';
import { activityOf, threadTitle, type ThreadActivity } from './threadSummary';

/** Turns in the page a thread opens with, and in each older page. */
export const TURNS_PAGE_SIZE = 20;

export interface TurnOptions {
  readonly model?: string | null;
  readonly effort?: ReasoningEffort | null;
  /** The message's id (default: a fresh one); a message queued while offline keeps the one it was given. */
  readonly clientUserMessageId?: string;
}

export interface ThreadState {
  readonly threadId: string;
  readonly title: string;
  readonly cwd: string;
  readonly model: string | null;
  readonly effort: ReasoningEffort | null;
  readonly activity: ThreadActivity;
  /** 'loading' until the first page is in. */
  readonly phase: 'loading' | 'ready' | 'error';
  readonly error: string | undefined;
  /** Oldest first. */
  readonly turns: readonly TurnView[];
  /** Where older turns continue (null: the first turn is loaded). */
  readonly olderCursor: string | null;
  readonly olderPhase: 'idle' | 'loading' | 'error';
  readonly olderError: string | undefined;
  readonly sending: boolean;
  readonly sendError: string | undefined;
  /** The title came from the engine (a name or preview), not from "New thread". */
  readonly titleFromEngine: boolean;
  /** Resumes the thread and loads its newest turns (again, after a reconnect). */
  open(): Promise<void>;
  loadOlder(): Promise<void>;
  /** Sends a message: steers the running turn (`turn/steer` + `expectedTurnId`), else starts one. */
  send(text: string, options?: TurnOptions): Promise<boolean>;
  interrupt(): Promise<void>;
  applyNotification(method: string, params: unknown): void;
}

export interface ThreadStoreDeps {
  readonly engine: EngineRequester;
  readonly threadId: string;
  /** A thread this window just started: already subscribed, nothing to resume until its first turn. */
  readonly started?: Thread;
  readonly now?: () => number;
}

/** The turn still running, if any (the newest in-progress one). */
export function runningTurn(s: Pick<ThreadState, 'turns'>): TurnView | undefined {
  for (let i = s.turns.length - 1; i >= 0; i--) if (s.turns[i]!.status === 'inProgress') return s.turns[i];
  return undefined;
}

function textInput(text: string): UserInput[] {
  return [{ type: 'text', text, text_elements: [] }];
}

export function threadStateCreator(deps: ThreadStoreDeps): StateCreator<ThreadState> {
  const { engine, threadId } = deps;
  let loadedOlder = false;
  let opening: Promise<void> | undefined;

  return (set, get) => {
    function meta(t: Thread): Partial<ThreadState> {
      return { title: threadTitle(t), titleFromEngine: !!(t.name || t.preview), cwd: t.cwd, model: t.model, effort: t.reasoningEffort, activity: activityOf(t.status) };
    }

    async function doOpen(): Promise<void> {
      if (get().phase !== 'ready' || get().turns.length === 0) set({ phase: get().turns.length ? 'ready' : 'loading', error: undefined });
      perfMark('codexHost:thread:resume');
      try {
        const res = await engine.request('thread/resume', {
          threadId,
          excludeTurns: true,
          initialTurnsPage: { limit: TURNS_PAGE_SIZE, sortDirection: 'desc', itemsView: 'full' },
        });
        perfMark('codexHost:thread:resumed');
        const page = res.initialTurnsPage;
        const turns = mergeTurns(get().turns, (page?.data ?? []).map(turnViewOf), 'desc', 'newer');
        set({
          ...meta(res.thread),
          model: res.model ?? res.thread.model,
          effort: res.reasoningEffort ?? res.thread.reasoningEffort,
          turns,
          // After older pages were loaded, the cursor of the oldest one stays the way back.
          olderCursor: loadedOlder ? get().olderCursor : (page?.nextCursor ?? null),
          phase: 'ready',
          error: undefined,
        });
      } catch (err) {
        set({ phase: get().turns.length ? 'ready' : 'error', error: errorMessage(err) });
      }
    }

    return {
      threadId,
      title: deps.started ? threadTitle(deps.started) : '',
      cwd: deps.started?.cwd ?? '',
      model: deps.started?.model ?? null,
      effort: deps.started?.reasoningEffort ?? null,
      activity: deps.started ? activityOf(deps.started.status) : 'notLoaded',
      phase: deps.started ? 'ready' : 'loading',
      error: undefined,
      turns: [],
      olderCursor: null,
      olderPhase: 'idle',
      olderError: undefined,
      sending: false,
      sendError: undefined,
      titleFromEngine: deps.started ? !!(deps.started.name || deps.started.preview) : false,

      open() {
        // A thread with no turn yet cannot be resumed (docs/engine.md §6); it is subscribed already.
        if (deps.started && get().turns.length === 0) return Promise.resolve();
        opening ??= doOpen().finally(() => (opening = undefined));
        return opening;
      },

      async loadOlder() {
        const { olderCursor, olderPhase, phase } = get();
        if (!olderCursor || olderPhase === 'loading' || phase !== 'ready') return;
        set({ olderPhase: 'loading', olderError: undefined });
        try {
          const page = await engine.request('thread/turns/list', { threadId, cursor: olderCursor, limit: TURNS_PAGE_SIZE, sortDirection: 'desc', itemsView: 'full' });
          loadedOlder = true;
          set({ turns: mergeTurns(get().turns, page.data.map(turnViewOf), 'desc', 'older'), olderCursor: page.nextCursor, olderPhase: 'idle' });
        } catch (err) {
          set({ olderPhase: 'error', olderError: errorMessage(err) });
        }
      },

      async send(text, options = {}) {
        const trimmed = text.trim();
        if (!trimmed || get().sending) return false;
        set({ sending: true, sendError: undefined });
        const clientUserMessageId = options.clientUserMessageId ?? newClientMessageId();
        try {
          const running = runningTurn(get());
          if (running) {
            try {
              await engine.request('turn/steer', { threadId, input: textInput(trimmed), expectedTurnId: running.id, clientUserMessageId });
              set({ sending: false });
              return true;
            } catch (err) {
              // The turn ended while we sent: the message starts the next one instead.
              if (runningTurn(get())?.id === running.id) throw err;
            }
          }
          const res = await engine.request('turn/start', {
            threadId,
            input: textInput(trimmed),
            clientUserMessageId,
            ...(options.model ? { model: options.model } : {}),
            ...(options.effort ? { effort: options.effort } : {}),
          });
          set({ turns: updateTurn(get().turns, res.turn.id, (t) => ({ ...turnViewOf(res.turn), items: t.items, startedAt: t.startedAt ?? res.turn.startedAt })), sending: false });
          return true;
        } catch (err) {
          set({ sending: false, sendError: errorMessage(err) });
          return false;
        }
      },

      async interrupt() {
        const running = runningTurn(get());
        if (!running) return;
        try {
          await engine.request('turn/interrupt', { threadId, turnId: running.id });
        } catch (err) {
          set({ sendError: errorMessage(err) });
        }
      },

      applyNotification(method, params) {
        if (threadIdOf(params) !== threadId) return;
        const p = params as Record<string, unknown>;
        if (method === 'thread/status/changed') {
          set({ activity: activityOf(p.status as ThreadStatus) });
          return;
        }
        if (method === 'thread/name/updated') {
          if (typeof p.threadName === 'string') set({ title: threadTitle({ name: p.threadName, preview: '' }), titleFromEngine: true });
          return;
        }
        if (method === 'item/started' && !get().titleFromEngine) {
          // A new thread has no name or preview yet: its first message names it, as in the list.
          const item = p.item as { type?: unknown; content?: unknown } | undefined;
          if (item?.type === 'userMessage' && Array.isArray(item.content) && get().title === threadTitle({ name: null, preview: '' })) {
            const text = item.content.map((c: { type?: unknown; text?: unknown }) => (c.type === 'text' && typeof c.text === 'string' ? c.text : '')).join(' ');
            if (text.trim()) set({ title: threadTitle({ name: null, preview: text }) });
          }
        }
        const turns = get().turns;
        const next = applyTurnEvent(turns, method, params);
        if (next !== turns) set({ turns: next });
      },
    };
  };
}

export type ThreadStore = StoreApi<ThreadState>;

export function createThreadStore(deps: ThreadStoreDeps): ThreadStore {
  return createStore<ThreadState>()(threadStateCreator(deps));
}
