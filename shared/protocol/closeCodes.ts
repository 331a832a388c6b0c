/**
 * Every WebSocket close code Codex Host sends or reports, in one table (remote-protocol.md §3-§5;
 * docs/protocol.md "Close codes"), with the close-reason bound and the rule that carries RFC 6455
 * codes across the relay. The hub, the listener, the relay, the host's relay client, the session
 * transport and the controller library all import their codes from here, so adding a code is one
 * edit and the contract test (shared/relay/contract.test.ts) sees every one of them.
 *
 * Ranges:
 * - 1000-1015 keep their RFC 6455 meaning (the hub and the listener use them towards clients).
 * - 4000-4015 carry 1000-1015 across the relay (code + 3000), because the relay accepts only
 *   4000-4999 in a host's `close` and browsers only let a script close with 1000 or 3000-4999.
 * - 4400-4499 are the remote protocol's own (HTTP-like: 4400 bad request, 4401 unauthorized…).
 */

/** The close codes, by meaning. Comments say who sends each one and when. */
export const CLOSE = {
  /** Normal closure; also "this direction's 2^32 records are used up" (reason `record_limit`). */
  NORMAL: 1000,
  /** Going away: the relay, the hub or the host is shutting down; a relay session's controller left. */
  GOING_AWAY: 1001,
  /** The hub and listener clients: a binary frame where only JSON text frames are allowed. */
  UNSUPPORTED_DATA: 1003,
  /** Never sent: reported locally when a connection ended without a close frame. */
  ABNORMAL: 1006,
  /** Policy: a slow consumer, too many early messages, too much data before the host answered. */
  POLICY: 1008,
  /** A message or frame over the size limits (sent by `ws` itself, or by the record layer). */
  TOO_BIG: 1009,
  /** An internal error (the detail goes to the log, never to the peer). */
  INTERNAL: 1011,
  /** The engine restarted: reconnect to continue. */
  SERVICE_RESTART: 1012,
  /** Try again later: the hub is full, or the engine is unavailable. */
  TRY_AGAIN_LATER: 1013,
  /** Malformed request, message or record; a message not allowed in this state. */
  BAD_REQUEST: 4400,
  /** Host registration at the relay failed (bad signature, malformed `register`). */
  UNAUTHORIZED: 4401,
  /** Denied: pairing code expired, device denied or revoked; the reason says which. */
  FORBIDDEN: 4403,
  /** The host is not registered at the relay, or its relay connection went away. */
  OFFLINE: 4404,
  /** A registration or session handshake took too long. */
  TIMEOUT: 4408,
  /** A newer registration of the same host replaced this relay connection. */
  REPLACED: 4409,
  /** A rate limit, or too many sessions / connections / pending handshakes. */
  RATE_LIMITED: 4429,
} as const;

/** One of the codes in `CLOSE`. */
export type CloseCode = (typeof CLOSE)[keyof typeof CLOSE];

/** Lowest and highest code a host may ask the relay to close a controller with. */
export const RELAY_SESSION_CLOSE_MIN = 4000;
export const RELAY_SESSION_CLOSE_MAX = 4999;
/** Offset of RFC 6455 codes carried in the 4000 range (1012 travels as 4012). */
const RFC_OFFSET = 3000;
const RFC_MIN = 1000;
const RFC_MAX = 1015;

/** Close reasons are at most 123 UTF-8 bytes (RFC 6455: a 125-byte control frame minus the code). */
export const MAX_CLOSE_REASON_BYTES = 123;

/** The code a host sends in a relay `close` for a session closed with `code`. */
export function toRelaySessionCloseCode(code: number): number {
  if (Number.isInteger(code) && code >= RELAY_SESSION_CLOSE_MIN && code <= RELAY_SESSION_CLOSE_MAX) return code;
  if (Number.isInteger(code) && code >= RFC_MIN && code <= RFC_MAX) return code + RFC_OFFSET;
  // Anything else (3000-3999 library codes, garbage) is reported as a normal closure.
  return RELAY_SESSION_CLOSE_MIN;
}

/** The code a controller reports for a relay close with `code` (4000-4015 → 1000-1015). */
export function fromRelaySessionCloseCode(code: number): number {
  return code >= RELAY_SESSION_CLOSE_MIN && code <= RELAY_SESSION_CLOSE_MIN + (RFC_MAX - RFC_MIN) ? code - RFC_OFFSET : code;
}

/**
 * The code a controller may pass to `WebSocket.close` (browsers allow only 1000 and
 * 3000-4999): other RFC codes are carried like the host's (code + 3000).
 */
export function toControllerSocketCloseCode(code: number): number {
  if (code === CLOSE.NORMAL) return CLOSE.NORMAL;
  return toRelaySessionCloseCode(code);
}

/** UTF-8 length of `s` without allocating (shared/ has no Buffer). */
export function utf8ByteLength(s: string): number {
  let bytes = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    bytes += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
  return bytes;
}

/** `reason` cut to at most `maxBytes` UTF-8 bytes, on a code point boundary. */
export function truncateCloseReason(reason: string, maxBytes = MAX_CLOSE_REASON_BYTES): string {
  let bytes = 0;
  let out = '';
  for (const ch of reason) {
    const cp = ch.codePointAt(0) ?? 0;
    const n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    if (bytes + n > maxBytes) break;
    bytes += n;
    out += ch;
  }
  return out;
}
