/**
 * The one error type of the remote-protocol crypto module (remote-protocol.md §3-§5): every
 * failure caused by bytes from the network carries the WebSocket close code the caller must end
 * the session with, and a short machine-readable reason that is safe to send as a close reason
 * (it never contains secret or peer-controlled text).
 */

/** Malformed message, bad counter, failed decryption, bad signature (remote-protocol.md §3, §5). */
export const CLOSE_PROTOCOL_ERROR = 4400;
/** Pairing secret unknown/expired, or access denied after a `denied` record (§4). */
export const CLOSE_FORBIDDEN = 4403;
/** A reassembled message or a record over the size limits (RFC 6455 "message too big", §5). */
export const CLOSE_TOO_BIG = 1009;
/** Normal closure: used when a direction's 2^32 records are exhausted and the session must be renewed. */
export const CLOSE_NORMAL = 1000;

export type CloseCode = typeof CLOSE_PROTOCOL_ERROR | typeof CLOSE_FORBIDDEN | typeof CLOSE_TOO_BIG | typeof CLOSE_NORMAL;

/**
 * A protocol violation or failed check. `message` starts with the operation
 * (`record.open: counter 3, expected 2`); `reason` is a fixed snake_case token
 * (`bad_counter`) fit for a WebSocket close reason; `closeCode` is the code to close with.
 */
export class ProtocolError extends Error {
  constructor(
    readonly closeCode: CloseCode,
    readonly reason: string,
    message: string,
  ) {
    super(message);
    this.name = 'ProtocolError';
  }
}

/** Shorthand for the common case: a 4400 `ProtocolError`. */
export function protocolError(reason: string, message: string): ProtocolError {
  return new ProtocolError(CLOSE_PROTOCOL_ERROR, reason, message);
}
