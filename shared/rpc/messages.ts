/**
 * JSON-RPC messages in the engine's dialect (docs/engine.md §4): `"jsonrpc"` is optional on
 * input and never required, ids are integers or strings, notifications may carry a top-level
 * `emittedAtMs`. `classifyMessage` turns a parsed value into exactly one of the shapes below or
 * an `invalid` verdict with the reason and (when it can tell) the id to answer.
 */

export type RpcId = number | string;

export interface RpcRequest {
  readonly kind: 'request';
  readonly id: RpcId;
  readonly method: string;
  readonly params: unknown;
}
export interface RpcNotification {
  readonly kind: 'notification';
  readonly method: string;
  readonly params: unknown;
}
export interface RpcResult {
  readonly kind: 'result';
  readonly id: RpcId;
  readonly result: unknown;
}
export interface RpcErrorReply {
  readonly kind: 'error';
  readonly id: RpcId | null;
  readonly error: RpcErrorObject;
}
export interface RpcInvalid {
  readonly kind: 'invalid';
  /** The id to answer with, when the message had a usable one; null otherwise. */
  readonly id: RpcId | null;
  readonly reason: string;
}
export type RpcMessage = RpcRequest | RpcNotification | RpcResult | RpcErrorReply;

export interface RpcErrorObject {
  readonly code: number;
  readonly message: string;
  readonly data?: unknown;
}

export const MAX_METHOD_LENGTH = 256;
export const MAX_STRING_ID_LENGTH = 256;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function isValidId(v: unknown): v is RpcId {
  return (typeof v === 'number' && Number.isSafeInteger(v)) || (typeof v === 'string' && v.length <= MAX_STRING_ID_LENGTH);
}

/** Classifies an already-parsed JSON value. Never throws. */
export function classifyMessage(v: unknown): RpcMessage | RpcInvalid {
  if (!isObject(v)) return { kind: 'invalid', id: null, reason: 'message must be a JSON object' };
  if ('jsonrpc' in v && v.jsonrpc !== '2.0') return { kind: 'invalid', id: isValidId(v.id) ? v.id : null, reason: 'jsonrpc must be "2.0" when present' };
  const hasId = 'id' in v;
  const id = v.id;
  if (typeof v.method === 'string') {
    if (v.method.length === 0 || v.method.length > MAX_METHOD_LENGTH) {
      return { kind: 'invalid', id: isValidId(id) ? id : null, reason: 'method must be a non-empty string of at most 256 characters' };
    }
    if (!hasId) return { kind: 'notification', method: v.method, params: v.params };
    if (!isValidId(id)) return { kind: 'invalid', id: null, reason: 'id must be an integer or a string' };
    return { kind: 'request', id, method: v.method, params: v.params };
  }
  if ('method' in v) return { kind: 'invalid', id: isValidId(id) ? id : null, reason: 'method must be a string' };
  if ('result' in v) {
    if (!isValidId(id)) return { kind: 'invalid', id: null, reason: 'response id must be an integer or a string' };
    return { kind: 'result', id, result: v.result };
  }
  if ('error' in v) {
    const e = v.error;
    if (!isObject(e) || typeof e.code !== 'number' || typeof e.message !== 'string') {
      return { kind: 'invalid', id: isValidId(id) ? id : null, reason: 'error must be {code:number, message:string}' };
    }
    if (id !== null && !isValidId(id)) return { kind: 'invalid', id: null, reason: 'response id must be an integer, a string or null' };
    return { kind: 'error', id: id as RpcId | null, error: { code: e.code, message: e.message, ...('data' in e ? { data: e.data } : {}) } };
  }
  return { kind: 'invalid', id: isValidId(id) ? id : null, reason: 'message is neither a request, a notification nor a response' };
}

/** Parses and classifies one text message. Never throws. */
export function parseMessage(text: string): RpcMessage | RpcInvalid {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return { kind: 'invalid', id: null, reason: 'invalid JSON' };
  }
  return classifyMessage(v);
}
