/**
 * The engine's pending server requests (approvals, questions) for one hub connection. The
 * engine asks every subscribed client with the same id and takes the first answer; whoever
 * answers, it then broadcasts `serverRequest/resolved`, which removes the card here
 * (docs/engine.md §6). A request is answered through the `respond` it arrived with; after a
 * reconnect the old ones are dropped and the engine replays those still pending when their
 * thread is resumed, with their original ids.
 */
import { createStore, type StateCreator, type StoreApi } from 'zustand/vanilla';
import type { RpcId } from '../../../shared/rpc/messages';
import { errorMessage } from '../../../shared/util/errors';

export const APPROVAL_REQUEST_METHODS = [
  'item/commandExecution/requestApproval',
  'item/fileChange/requestApproval',
  'item/permissions/requestApproval',
  'item/tool/requestUserInput',
  'mcpServer/elicitation/request',
] as const;
export type ApprovalRequestMethod = (typeof APPROVAL_REQUEST_METHODS)[number];

export function isApprovalRequestMethod(m: string): m is ApprovalRequestMethod {
  return (APPROVAL_REQUEST_METHODS as readonly string[]).includes(m);
}

export interface PendingApproval {
  readonly requestId: RpcId;
  readonly method: ApprovalRequestMethod;
  readonly threadId: string;
  readonly turnId: string | undefined;
  readonly itemId: string | undefined;
  /** The request's params as the engine sent them (typed per method by the card that shows it). */
  readonly params: Readonly<Record<string, unknown>>;
  readonly receivedAt: number;
  /** 'sending' while our answer is on its way (the card stays until `serverRequest/resolved`). */
  readonly state: 'open' | 'sending' | 'failed';
  readonly error?: string;
}

export interface ApprovalsState {
  /** In arrival order. */
  readonly pending: readonly PendingApproval[];
  /** Records a request; `respond` sends the answer (resolves the hub's waiting request). */
  add(requestId: RpcId, method: ApprovalRequestMethod, params: unknown, respond: (result: unknown) => void): void;
  /** Sends `result` as the answer to `requestId`. */
  answer(requestId: RpcId, result: unknown): void;
  /** `serverRequest/resolved`: someone answered (or the turn ended). */
  resolved(requestId: RpcId): void;
  /** `turn/completed`: nothing of that turn waits any more. */
  turnEnded(threadId: string, turnId: string): void;
  /** The connection is gone: none of these can be answered on a new one. */
  clear(): void;
}

export function approvalsStateCreator(now: () => number = () => Date.now()): StateCreator<ApprovalsState> {
  const responders = new Map<RpcId, (result: unknown) => void>();
  return (set, get) => ({
    pending: [],
    add(requestId, method, params, respond) {
      const p = (params ?? {}) as Record<string, unknown>;
      const threadId = typeof p.threadId === 'string' ? p.threadId : '';
      responders.set(requestId, respond);
      const entry: PendingApproval = {
        requestId,
        method,
        threadId,
        turnId: typeof p.turnId === 'string' ? p.turnId : undefined,
        itemId: typeof p.itemId === 'string' ? p.itemId : undefined,
        params: p,
        receivedAt: now(),
        state: 'open',
      };
      // A replay of the same request (a second resume) replaces the first card.
      set({ pending: [...get().pending.filter((a) => a.requestId !== requestId), entry] });
    },
    answer(requestId, result) {
      const respond = responders.get(requestId);
      if (!respond) return;
      responders.delete(requestId);
      try {
        respond(result);
        set({ pending: get().pending.map((a) => (a.requestId === requestId ? { ...a, state: 'sending' } : a)) });
      } catch (err) {
        set({ pending: get().pending.map((a) => (a.requestId === requestId ? { ...a, state: 'failed', error: errorMessage(err) } : a)) });
      }
    },
    resolved(requestId) {
      responders.delete(requestId);
      set({ pending: get().pending.filter((a) => a.requestId !== requestId) });
    },
    turnEnded(threadId, turnId) {
      const gone = get().pending.filter((a) => a.threadId === threadId && a.turnId === turnId);
      if (!gone.length) return;
      for (const a of gone) responders.delete(a.requestId);
      set({ pending: get().pending.filter((a) => !gone.includes(a)) });
    },
    clear() {
      responders.clear();
      if (get().pending.length) set({ pending: [] });
    },
  });
}

export type ApprovalsStore = StoreApi<ApprovalsState>;

export function createApprovalsStore(now?: () => number): ApprovalsStore {
  return createStore<ApprovalsState>()(approvalsStateCreator(now));
}
