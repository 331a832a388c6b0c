/**
 * Tracks the engine's pending server requests that need a human answer (approvals, user
 * input, elicitations) so the hub can audit who answered what. The engine fans one request out
 * to every subscribed connection with the same id and takes the first answer
 * (docs/engine.md §6); server request ids come from one per-process counter, so within one
 * engine process an id names one request whatever connection saw it. The hub keeps one tracker
 * per environment (two engines both start at id 0) and resets it when that engine restarts.
 */
import type { RpcId } from '../../shared/rpc/messages.js';

/** Server → client request methods whose answers are audited. */
export const APPROVAL_METHODS: ReadonlySet<string> = new Set([
  'item/commandExecution/requestApproval',
  'item/fileChange/requestApproval',
  'item/permissions/requestApproval',
  'item/tool/requestUserInput',
  'mcpServer/elicitation/request',
  'execCommandApproval',
  'applyPatchApproval',
]);

export interface PendingApproval {
  readonly requestId: RpcId;
  readonly method: string;
  readonly threadId: string | null;
  readonly summary: string;
  answered: boolean;
}

const MAX_TRACKED = 4096;
const MAX_SUMMARY = 500;
/** A decision is a short word (accept, decline, …); anything longer is cut (red-team P6). */
export const MAX_DECISION_CHARS = 256;

export class ApprovalTracker {
  readonly #pending = new Map<string, PendingApproval>();

  /** Records a server request seen on any client's engine connection (idempotent per id). */
  noteRequest(requestId: RpcId, method: string, params: unknown): void {
    if (!APPROVAL_METHODS.has(method)) return;
    const key = keyOf(requestId);
    if (this.#pending.has(key)) return;
    if (this.#pending.size >= MAX_TRACKED) {
      // Oldest first: Map iteration order is insertion order.
      const oldest = this.#pending.keys().next().value;
      if (oldest !== undefined) this.#pending.delete(oldest);
    }
    this.#pending.set(key, { requestId, method, threadId: stringField(params, 'threadId'), summary: summarize(method, params), answered: false });
  }

  /**
   * Records a client's answer. Returns the request it answers and whether it was the first
   * answer, or undefined when the id is not a tracked approval.
   */
  noteAnswer(requestId: RpcId): { approval: PendingApproval; first: boolean } | undefined {
    const a = this.#pending.get(keyOf(requestId));
    if (!a) return undefined;
    const first = !a.answered;
    a.answered = true;
    return { approval: a, first };
  }

  /**
   * Gives back a claim made by `noteAnswer` whose answer never reached the engine (its audit
   * line could not be written), so the next answer counts as the first again.
   */
  release(requestId: RpcId, wasFirst: boolean): void {
    const a = this.#pending.get(keyOf(requestId));
    if (a && wasFirst) a.answered = false;
  }

  /** `serverRequest/resolved`: the engine is done with the request (answered, or cleared by an interrupt). */
  noteResolved(requestId: RpcId): void {
    const a = this.#pending.get(keyOf(requestId));
    // Keep answered entries briefly so late answers from other clients are still audited as late.
    if (a) a.answered = true;
  }

  reset(): void {
    this.#pending.clear();
  }

  get size(): number {
    return this.#pending.size;
  }
}

function keyOf(id: RpcId): string {
  return typeof id === 'number' ? `n:${id}` : `s:${id}`;
}

function stringField(v: unknown, key: string): string | null {
  if (typeof v !== 'object' || v === null) return null;
  const x = (v as Record<string, unknown>)[key];
  return typeof x === 'string' ? x : null;
}

function summarize(method: string, params: unknown): string {
  const p = typeof params === 'object' && params !== null ? (params as Record<string, unknown>) : {};
  let s: string;
  if (method === 'item/commandExecution/requestApproval' || method === 'execCommandApproval') {
    const cmd = p.command;
    s = Array.isArray(cmd) ? cmd.map(String).join(' ') : typeof cmd === 'string' ? cmd : '(command)';
    if (typeof p.cwd === 'string') s += ` (in ${p.cwd})`;
  } else if (method === 'item/fileChange/requestApproval' || method === 'applyPatchApproval') {
    s = `file change${typeof p.itemId === 'string' ? ` ${p.itemId}` : ''}${typeof p.reason === 'string' ? `: ${p.reason}` : ''}${typeof p.grantRoot === 'string' ? ` (grant ${p.grantRoot})` : ''}`;
  } else if (typeof p.reason === 'string') s = p.reason;
  else s = method;
  return clip(s, MAX_SUMMARY);
}

function clip(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/** The decision a client sent, normalized to a short string (at most 256 characters) for the audit log. */
export function decisionOf(result: unknown): string {
  return clip(rawDecisionOf(result), MAX_DECISION_CHARS);
}

function rawDecisionOf(result: unknown): string {
  if (typeof result !== 'object' || result === null) return 'unknown';
  const r = result as Record<string, unknown>;
  const d = r.decision ?? r.action;
  if (typeof d === 'string') return d;
  if (typeof d === 'object' && d !== null) return Object.keys(d)[0] ?? 'unknown';
  if ('answers' in r) return 'answered';
  if ('permissions' in r) return `granted (${typeof r.scope === 'string' ? r.scope : 'turn'})`;
  return 'unknown';
}
