/**
 * Follow-ups written while the host was out of reach (docs/mobile.md "Acting"): kept in order,
 * on disk (they survive a reload), each with the `clientUserMessageId` it was given when it was
 * written, and sent once when the host is back, oldest first. A message the engine refuses stays
 * with the reason, to send again or discard; one that could not go out because the connection
 * dropped again simply waits for the next reconnect.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ReasoningEffort } from '../../../shared/protocol/appServer/experimental/ReasoningEffort';
import { newClientMessageId } from '../../common/util/ids';
import type { KeyValueStore } from '../platform/kvStore';

export interface QueuedMessage {
  readonly clientUserMessageId: string;
  readonly threadId: string;
  readonly text: string;
  readonly model: string | null;
  readonly effort: ReasoningEffort | null;
  readonly queuedAt: number;
  readonly state: 'queued' | 'sending' | 'failed';
  readonly error?: string;
}

export interface OutboxState {
  readonly items: readonly QueuedMessage[];
  add(threadId: string, text: string, choice: { readonly model: string | null; readonly effort: ReasoningEffort | null }): QueuedMessage;
  discard(clientUserMessageId: string): void;
  retry(clientUserMessageId: string): void;
  /** Sends what is queued, in order, through `send` (resolves to `true` sent, `false` connection lost, a string: refused). */
  flush(send: (m: QueuedMessage) => Promise<true | false | string>): Promise<void>;
}

export type OutboxStore = StoreApi<OutboxState>;

const MAX_QUEUED = 100;
const MAX_TEXT = 100_000;

function parseItems(v: unknown): QueuedMessage[] {
  if (!Array.isArray(v)) return [];
  const out: QueuedMessage[] = [];
  for (const x of v.slice(0, MAX_QUEUED)) {
    if (typeof x !== 'object' || x === null) continue;
    const r = x as Record<string, unknown>;
    if (typeof r.clientUserMessageId !== 'string' || typeof r.threadId !== 'string' || typeof r.text !== 'string' || r.text.length > MAX_TEXT) continue;
    out.push({
      clientUserMessageId: r.clientUserMessageId,
      threadId: r.threadId,
      text: r.text,
      model: typeof r.model === 'string' ? r.model : null,
      effort: typeof r.effort === 'string' ? (r.effort as ReasoningEffort) : null,
      queuedAt: typeof r.queuedAt === 'number' ? r.queuedAt : 0,
      // Whatever was "sending" when the page went away is sent again (with the same id).
      state: r.state === 'failed' ? 'failed' : 'queued',
      ...(typeof r.error === 'string' ? { error: r.error } : {}),
    });
  }
  return out;
}

/** The outbox of one host; `kv` keeps it across reloads under `key`. */
export function createOutbox(kv: KeyValueStore | undefined, key: string, now: () => number = Date.now): OutboxStore {
  let flushing: Promise<void> | undefined;
  const store = createStore<OutboxState>()((set, get) => {
    const save = (items: readonly QueuedMessage[]) => {
      set({ items });
      void kv?.set(key, items).catch(() => undefined);
    };
    const patch = (id: string, change: Partial<QueuedMessage> | null) =>
      save(change === null ? get().items.filter((m) => m.clientUserMessageId !== id) : get().items.map((m) => (m.clientUserMessageId === id ? { ...m, ...change } : m)));
    return {
      items: [],
      add(threadId, text, choice) {
        const m: QueuedMessage = { clientUserMessageId: newClientMessageId(), threadId, text, model: choice.model, effort: choice.effort, queuedAt: now(), state: 'queued' };
        save([...get().items, m].slice(-MAX_QUEUED));
        return m;
      },
      discard: (id) => patch(id, null),
      retry: (id) => patch(id, { state: 'queued', error: undefined }),
      flush(send) {
        flushing ??= (async () => {
          for (;;) {
            const next = get().items.find((m) => m.state === 'queued');
            if (!next) return;
            patch(next.clientUserMessageId, { state: 'sending' });
            const outcome = await send(next).catch((err: unknown) => (err instanceof Error ? err.message : String(err)));
            if (outcome === true) patch(next.clientUserMessageId, null);
            else if (outcome === false) {
              patch(next.clientUserMessageId, { state: 'queued' });
              return;
            } else patch(next.clientUserMessageId, { state: 'failed', error: outcome });
          }
        })().finally(() => (flushing = undefined));
        return flushing;
      },
    };
  });
  if (kv) void kv.get(key).then((v) => {
    const stored = parseItems(v);
    if (stored.length) store.setState({ items: [...stored, ...store.getState().items.filter((m) => !stored.some((s) => s.clientUserMessageId === m.clientUserMessageId))] });
  });
  return store;
}
