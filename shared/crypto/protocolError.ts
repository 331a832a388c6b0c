/**
 * The one error type of the remote-protocol crypto module (remote-protocol.md §3-§5): every
 * failure caused by bytes from the network carries the WebSocket close code the caller must end
 * the session with, and a short machine-readable reason that is safe to send as a close reason
 * (it never contains secret or peer-controlled text).
 */
import { CLOSE } from '../protocol/closeCodes.js';

/**
 * The codes a protocol failure closes with (numbers in shared/protocol/closeCodes.ts):
 * - 4400 malformed message, bad counter, failed decryption, bad signature (remote-protocol.md §3, §5);
 * - 4403 pairing secret unknown/expired, or access denied after a `denied` record (§4);
 * - 1009 a reassembled message or a record over the size limits (§5);
 * - 1000 a direction's 2^32 records are exhausted and the session must be renewed.
 */
export type ProtocolCloseCode = typeof CLOSE.BAD_REQUEST | typeof CLOSE.FORBIDDEN | typeof CLOSE.TOO_BIG | typeof CLOSE.NORMAL;

/**
 * A protocol violation or failed check. `message` starts with the operation
 * (`record.open: counter 3, expected 2`); `reason` is a fixed snake_case token
 * (`bad_counter`) fit for a WebSocket close reason; `closeCode` is the code to close with.
 */
export class ProtocolError extends Error {
  constructor(
    readonly closeCode: ProtocolCloseCode,
    readonly reason: string,
    message: string,
  ) {
    super(message);
    this.name = 'ProtocolError';
  }
}

/** Shorthand for the common case: a 4400 `ProtocolError`. */
export function protocolError(reason: string, message: string): ProtocolError {
  return new ProtocolError(CLOSE.BAD_REQUEST, reason, message);
}
