/**
 * The one error type of the JSON-RPC layer (style.md G5). Codes: the JSON-RPC 2.0 range, the
 * engine's -32001 (overloaded, retryable), and a private range -32050…-32059 for conditions the
 * local side detects. A handler that throws `RpcError` has it sent as is; anything else is sent
 * as -32603 with a fixed message (details stay in the local log, never on the wire).
 */
import type { RpcErrorObject } from './messages.js';

export const RpcErrorCode = {
  ParseError: -32700,
  InvalidRequest: -32600,
  MethodNotFound: -32601,
  InvalidParams: -32602,
  InternalError: -32603,
  /** The engine's "Server overloaded; retry later." — retry with backoff and jitter. */
  ServerOverloaded: -32001,
  /** No response within the request's timeout (the engine drops some malformed requests silently). */
  RequestTimeout: -32050,
  /** The connection closed before the response arrived. */
  ConnectionClosed: -32051,
  /** The caller aborted the request. */
  RequestCancelled: -32052,
  /** Too many requests outstanding on this connection. */
  TooManyPending: -32053,
  // -32054 was a "rate limited" code; the hub answers rate limits with the engine's retryable -32001.
  /** The peer's result did not match the method's declared result schema (HostClient). */
  UnexpectedResult: -32055,
  /** The hub did not pass an approval answer on: its audit line could not be written. */
  AnswerNotApplied: -32056,
} as const;

export class RpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
    this.name = 'RpcError';
  }

  static fromObject(e: RpcErrorObject): RpcError {
    return new RpcError(e.code, e.message, e.data);
  }

  toObject(): RpcErrorObject {
    return this.data === undefined ? { code: this.code, message: this.message } : { code: this.code, message: this.message, data: this.data };
  }
}
