/**
 * Pure functions that fold the engine's turn and item events into a thread's turns
 * (docs/engine.md §7 for the event order). Kept apart from the store so every rule is a unit
 * test: deltas append, `item/completed` is authoritative, pages merge by id, and a re-resume
 * after a reconnect neither loses what was streamed nor shows anything twice.
 */
import type { ThreadItem } from '../../../shared/protocol/appServer/experimental/v2/ThreadItem';
import type { Turn } from '../../../shared/protocol/appServer/experimental/v2/Turn';
import type { TurnError } from '../../../shared/protocol/appServer/experimental/v2/TurnError';
import type { TurnPlanStep } from '../../../shared/protocol/appServer/experimental/v2/TurnPlanStep';
import type { TurnStatus } from '../../../shared/protocol/appServer/experimental/v2/TurnStatus';

export interface TurnPlan {
  readonly explanation: string | null;
  readonly steps: readonly TurnPlanStep[];
}

/** One turn as the thread view shows it. */
export interface TurnView {
  readonly id: string;
  readonly status: TurnStatus;
  readonly error: TurnError | null;
  readonly items: readonly ThreadItem[];
  readonly startedAt: number | null;
  readonly completedAt: number | null;
  readonly durationMs: number | null;
  /** The turn's latest unified diff (`turn/diff/updated`). */
  readonly diff?: string;
  readonly plan?: TurnPlan;
  /** A retryable error the engine is retrying right now ("Reconnecting to the model…"). */
  readonly retrying?: string;
}

export function turnViewOf(t: Turn): TurnView {
  return {
    id: t.id,
    status: t.status,
    error: t.error,
    items: t.items,
    startedAt: t.startedAt,
    completedAt: t.completedAt,
    durationMs: t.durationMs,
  };
}

/**
 * Merges two item lists of one turn: `incoming` (a page or a completed turn, authoritative for
 * the items it has) wins by id; items only `current` has (one still streaming, or a declined
 * command, which the engine does not persist, docs/engine.md §12) stay, after the item that
 * preceded them.
 */
export function mergeItems(current: readonly ThreadItem[], incoming: readonly ThreadItem[]): ThreadItem[] {
  if (current.length === 0) return [...incoming];
  const incomingIds = new Set(incoming.map((i) => i.id));
  const out = [...incoming];
  let prevId: string | undefined;
  for (const item of current) {
    if (!incomingIds.has(item.id)) {
      const at = prevId === undefined ? 0 : out.findIndex((i) => i.id === prevId) + 1;
      out.splice(at, 0, item);
    }
    prevId = item.id;
  }
  return out;
}

/** Merges one turn from the engine into the one we hold (if any). */
export function mergeTurn(current: TurnView | undefined, incoming: TurnView): TurnView {
  if (!current) return incoming;
  return {
    ...current,
    ...incoming,
    items: mergeItems(current.items, incoming.items),
    diff: incoming.diff ?? current.diff,
    plan: incoming.plan ?? current.plan,
  };
}

/**
 * Merges a page of turns into `turns` (oldest first). Turns the page shares with ours are
 * merged in place; a page that shares none goes where the caller says it belongs (`older`:
 * paging back, `newer`: the newest page of a resume). Timestamps cannot decide this: turns
 * started within one second share their `startedAt`.
 */
export function mergeTurns(turns: readonly TurnView[], page: readonly TurnView[], pageOrder: 'asc' | 'desc', where: 'older' | 'newer'): TurnView[] {
  const asc = pageOrder === 'desc' ? [...page].reverse() : [...page];
  if (turns.length === 0) return asc;
  const byId = new Map(turns.map((t) => [t.id, t]));
  const pageIds = new Set(asc.map((t) => t.id));
  const merged = asc.map((t) => mergeTurn(byId.get(t.id), t));
  const firstPageIdx = turns.findIndex((t) => pageIds.has(t.id));
  if (firstPageIdx < 0) return where === 'newer' ? [...turns, ...merged] : [...merged, ...turns];
  const before = turns.slice(0, firstPageIdx).filter((t) => !pageIds.has(t.id));
  const after = turns.slice(firstPageIdx).filter((t) => !pageIds.has(t.id));
  return [...before, ...merged, ...after];
}

function emptyTurn(id: string): TurnView {
  return { id, status: 'inProgress', error: null, items: [], startedAt: null, completedAt: null, durationMs: null };
}

/** Applies `fn` to turn `turnId` (created when missing: events can outrun `turn/started`). */
export function updateTurn(turns: readonly TurnView[], turnId: string, fn: (t: TurnView) => TurnView): TurnView[] {
  const i = turns.findIndex((t) => t.id === turnId);
  if (i < 0) return [...turns, fn(emptyTurn(turnId))];
  const next = [...turns];
  next[i] = fn(turns[i]!);
  return next;
}

/** Applies `fn` to item `itemId` of a turn; `create` makes it when it is not there yet. */
export function updateItem(turn: TurnView, itemId: string, fn: (i: ThreadItem) => ThreadItem, create?: () => ThreadItem): TurnView {
  const i = turn.items.findIndex((x) => x.id === itemId);
  if (i < 0) return create ? { ...turn, items: [...turn.items, fn(create())] } : turn;
  const items = [...turn.items];
  items[i] = fn(turn.items[i]!);
  return { ...turn, items };
}

function upsertItem(turn: TurnView, item: ThreadItem, authoritative: boolean): TurnView {
  const i = turn.items.findIndex((x) => x.id === item.id);
  if (i < 0) return { ...turn, items: [...turn.items, item] };
  const items = [...turn.items];
  const cur = turn.items[i]!;
  // item/started after we already built the item from deltas keeps the streamed text.
  items[i] = authoritative ? item : mergeStarted(cur, item);
  return { ...turn, items };
}

function mergeStarted(cur: ThreadItem, started: ThreadItem): ThreadItem {
  if (cur.type === 'agentMessage' && started.type === 'agentMessage') return { ...started, text: cur.text || started.text };
  if (cur.type === 'commandExecution' && started.type === 'commandExecution') return { ...started, aggregatedOutput: cur.aggregatedOutput ?? started.aggregatedOutput };
  return { ...cur, ...started } as ThreadItem;
}

function placeholderAgentMessage(id: string): ThreadItem {
  return { type: 'agentMessage', id, text: '', moderation: null, phase: null, memoryCitation: null, delivery: null, questions: null };
}
function placeholderPlan(id: string): ThreadItem {
  return { type: 'plan', id, text: '' };
}
function placeholderReasoning(id: string): ThreadItem {
  return { type: 'reasoning', id, summary: [], content: [] };
}

type P = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/**
 * Folds one notification into `turns`. Returns the same array when the event does not
 * concern turns (so callers can skip a store update).
 */
export function applyTurnEvent(turns: readonly TurnView[], method: string, params: unknown): readonly TurnView[] {
  const p = (params ?? {}) as P;
  const turnId = str(p.turnId);
  switch (method) {
    case 'turn/started':
    case 'turn/completed': {
      const turn = p.turn as Turn | undefined;
      if (!turn || typeof turn.id !== 'string') return turns;
      const view = turnViewOf(turn);
      // turn/completed often carries no items ("notLoaded"): mergeTurn keeps the ones we streamed.
      return updateTurn(turns, turn.id, (cur) => {
        const merged = mergeTurn(cur, view);
        return method === 'turn/completed' ? { ...merged, retrying: undefined } : merged;
      });
    }
    case 'item/started':
    case 'item/completed': {
      const item = p.item as ThreadItem | undefined;
      if (!turnId || !item || typeof item.id !== 'string' || typeof item.type !== 'string') return turns;
      return updateTurn(turns, turnId, (t) => upsertItem(t, item, method === 'item/completed'));
    }
    case 'item/agentMessage/delta': {
      const itemId = str(p.itemId);
      const delta = str(p.delta);
      if (!turnId || !itemId || delta === undefined) return turns;
      return updateTurn(turns, turnId, (t) =>
        updateItem(t, itemId, (i) => (i.type === 'agentMessage' ? { ...i, text: i.text + delta } : i), () => placeholderAgentMessage(itemId)),
      );
    }
    case 'item/plan/delta': {
      const itemId = str(p.itemId);
      const delta = str(p.delta);
      if (!turnId || !itemId || delta === undefined) return turns;
      return updateTurn(turns, turnId, (t) => updateItem(t, itemId, (i) => (i.type === 'plan' ? { ...i, text: i.text + delta } : i), () => placeholderPlan(itemId)));
    }
    case 'item/reasoning/summaryPartAdded':
    case 'item/reasoning/summaryTextDelta': {
      const itemId = str(p.itemId);
      const idx = typeof p.summaryIndex === 'number' && p.summaryIndex >= 0 && p.summaryIndex < 1000 ? p.summaryIndex : undefined;
      const delta = str(p.delta) ?? '';
      if (!turnId || !itemId || idx === undefined) return turns;
      return updateTurn(turns, turnId, (t) =>
        updateItem(
          t,
          itemId,
          (i) => {
            if (i.type !== 'reasoning') return i;
            const summary = [...i.summary];
            while (summary.length <= idx) summary.push('');
            summary[idx] = summary[idx] + delta;
            return { ...i, summary };
          },
          () => placeholderReasoning(itemId),
        ),
      );
    }
    case 'item/commandExecution/outputDelta': {
      const itemId = str(p.itemId);
      const delta = str(p.delta);
      if (!turnId || !itemId || delta === undefined) return turns;
      return updateTurn(turns, turnId, (t) =>
        updateItem(t, itemId, (i) => (i.type === 'commandExecution' ? { ...i, aggregatedOutput: (i.aggregatedOutput ?? '') + delta } : i)),
      );
    }
    case 'item/fileChange/patchUpdated': {
      const itemId = str(p.itemId);
      if (!turnId || !itemId || !Array.isArray(p.changes)) return turns;
      const changes = p.changes as Extract<ThreadItem, { type: 'fileChange' }>['changes'];
      return updateTurn(turns, turnId, (t) =>
        updateItem(
          t,
          itemId,
          (i) => (i.type === 'fileChange' ? { ...i, changes } : i),
          () => ({ type: 'fileChange', id: itemId, changes, status: 'inProgress' }),
        ),
      );
    }
    case 'turn/diff/updated': {
      const diff = str(p.diff);
      if (!turnId || diff === undefined) return turns;
      return updateTurn(turns, turnId, (t) => ({ ...t, diff }));
    }
    case 'turn/plan/updated': {
      if (!turnId || !Array.isArray(p.plan)) return turns;
      const plan: TurnPlan = { explanation: str(p.explanation) ?? null, steps: p.plan as TurnPlanStep[] };
      return updateTurn(turns, turnId, (t) => ({ ...t, plan }));
    }
    case 'error': {
      const e = p.error as TurnError | undefined;
      if (!turnId || !e || typeof e.message !== 'string') return turns;
      return updateTurn(turns, turnId, (t) => (p.willRetry === true ? { ...t, retrying: e.message } : { ...t, error: e, retrying: undefined }));
    }
    default:
      return turns;
  }
}

/** Methods whose params carry a `threadId` the thread store must match. */
export function threadIdOf(params: unknown): string | undefined {
  return str(((params ?? {}) as P).threadId);
}
