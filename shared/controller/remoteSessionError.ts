/**
 * Why a controller session could not open or ended, as a UI needs it (remote-protocol.md §3-§4):
 * "the host is offline", "this code has expired", "this device was revoked", not a close code.
 */
import { DENIED_REASONS, type DeniedReason } from '../crypto/handshakeRecords.js';
import { ProtocolError } from '../crypto/protocolError.js';
import { CLOSE } from '../protocol/closeCodes.js';
import type { CloseInfo } from '../rpc/transport.js';
import { errorMessage } from '../util/errors.js';

/**
 * - `offline`: the host is not registered at the relay, or its connection went away (4404).
 * - `expired`: the pairing code is unknown, expired or already used (4403 `expired`).
 * - `denied`: the host refused this device (`reason`: revoked, unknown_device, used, bad_signature),
 *   or ended the session with 4403 (e.g. `revoked` while connected).
 * - `host_key`: the host did not prove the pinned host key: another party, or a host whose
 *   identity changed (pair again). Never retried.
 * - `protocol`: malformed, tampered or out-of-order data (4400), or a message over the limits (1009).
 * - `timeout`: the handshake did not finish in time (ours, or the relay's/host's 4408).
 * - `rate_limited`: the relay refused (4429).
 * - `network`: the connection failed or dropped (1006, 1001, 1011…).
 * - `closed`: closed by the user, or normally by the host (1000).
 */
export type RemoteErrorKind = 'offline' | 'expired' | 'denied' | 'host_key' | 'protocol' | 'timeout' | 'rate_limited' | 'network' | 'closed';

const RETRYABLE: ReadonlySet<RemoteErrorKind> = new Set(['offline', 'protocol', 'timeout', 'rate_limited', 'network']);

export class RemoteSessionError extends Error {
  /**
   * @param kind what happened (see `RemoteErrorKind`)
   * @param reason a short token: the denied reason, the close reason or the protocol error reason
   * @param closeCode the WebSocket close code behind it, when there was one
   */
  constructor(
    readonly kind: RemoteErrorKind,
    readonly reason: string,
    message: string,
    readonly closeCode?: number,
  ) {
    super(message);
    this.name = 'RemoteSessionError';
  }

  /** Whether a resumed session should try again later (with backoff). */
  get retryable(): boolean {
    return RETRYABLE.has(this.kind);
  }

  /** The denied reason, when `kind` is `denied` and the host named one of the protocol's reasons. */
  get deniedReason(): DeniedReason | undefined {
    return this.kind === 'denied' && isDeniedReason(this.reason) ? this.reason : undefined;
  }
}

function isDeniedReason(s: string): s is DeniedReason {
  return (DENIED_REASONS as readonly string[]).includes(s);
}

/** Classifies a session close (codes already mapped back from the relay's 4000-4015 range). */
export function errorFromClose(info: CloseInfo, op: string): RemoteSessionError {
  const { code, reason } = info;
  const said = reason ? ` (${reason})` : '';
  switch (code) {
    case CLOSE.FORBIDDEN:
      if (reason === 'expired') return new RemoteSessionError('expired', reason, `${op}: the pairing code has expired or was already used`, code);
      return new RemoteSessionError('denied', reason || 'forbidden', `${op}: the host denied this device${said}`, code);
    case CLOSE.OFFLINE:
      return new RemoteSessionError('offline', reason || 'host offline', `${op}: the host is offline${said}`, code);
    case CLOSE.TIMEOUT:
      return new RemoteSessionError('timeout', reason || 'timeout', `${op}: the handshake timed out${said}`, code);
    case CLOSE.RATE_LIMITED:
      return new RemoteSessionError('rate_limited', reason || 'rate limited', `${op}: the relay refused the connection${said}`, code);
    case CLOSE.BAD_REQUEST:
    case CLOSE.TOO_BIG:
      return new RemoteSessionError('protocol', reason || 'protocol error', `${op}: protocol error${said}`, code);
    case CLOSE.NORMAL:
      // A direction's 2^32 records are used up (remote-protocol.md §5): start a new session.
      if (reason === 'record_limit') return new RemoteSessionError('network', reason, `${op}: the session used up its records; reconnecting`, code);
      return new RemoteSessionError('closed', reason || 'closed', `${op}: the host closed the session${said}`, code);
    default:
      return new RemoteSessionError('network', reason || `closed ${code}`, `${op}: connection lost (${code}${reason ? ` ${reason}` : ''})`, code);
  }
}

/** Classifies a local failure while handshaking or reading records. */
export function errorFromFailure(err: unknown, op: string): RemoteSessionError {
  if (err instanceof RemoteSessionError) return err;
  if (err instanceof ProtocolError) {
    if (err.reason === 'bad_host_signature') {
      return new RemoteSessionError('host_key', err.reason, `${op}: the host did not prove the pinned host key; this is not the host you paired with`, err.closeCode);
    }
    return new RemoteSessionError('protocol', err.reason, `${op}: ${err.message}`, err.closeCode);
  }
  return new RemoteSessionError('protocol', 'internal', `${op}: ${errorMessage(err)}`);
}
