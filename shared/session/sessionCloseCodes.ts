/**
 * Close codes of a relay session as both ends see them (remote-protocol.md §3; docs/relay.md
 * "Close codes"). The relay only accepts host → relay `close` codes 4000-4999, but the host's
 * session transport is closed with RFC 6455 codes as well (1001 host shutting down, 1009 too big,
 * 1012 engine restarted, 1013 try again later…). The spec is silent on how those cross the
 * relay; our choice: 1000-1015 travel as 4000-4015 (code + 3000) and the controller maps them
 * back, so both ends report the same code. 4000-4015 are unused by the protocol (its own codes
 * are 4400-4499) and by the relay.
 */

/** Lowest and highest code a host may ask the relay to close a controller with. */
export const RELAY_SESSION_CLOSE_MIN = 4000;
export const RELAY_SESSION_CLOSE_MAX = 4999;
/** Offset of RFC 6455 codes carried in the 4000 range. */
const RFC_OFFSET = 3000;
/** Close reasons are at most 123 UTF-8 bytes (RFC 6455: a 125-byte control frame minus the code). */
export const MAX_CLOSE_REASON_BYTES = 123;

/** The code a host sends in a relay `close` for a session closed with `code`. */
export function toRelaySessionCloseCode(code: number): number {
  if (Number.isInteger(code) && code >= RELAY_SESSION_CLOSE_MIN && code <= RELAY_SESSION_CLOSE_MAX) return code;
  if (Number.isInteger(code) && code >= 1000 && code <= 1015) return code + RFC_OFFSET;
  // Anything else (3000-3999 library codes, garbage) is reported as a normal closure.
  return RELAY_SESSION_CLOSE_MIN;
}

/** The code a controller reports for a relay close with `code` (4000-4015 → 1000-1015). */
export function fromRelaySessionCloseCode(code: number): number {
  return code >= RELAY_SESSION_CLOSE_MIN && code <= RELAY_SESSION_CLOSE_MIN + 15 ? code - RFC_OFFSET : code;
}

/**
 * The code a controller may pass to `WebSocket.close` (browsers allow only 1000 and
 * 3000-4999): other RFC codes are carried like the host's (code + 3000).
 */
export function toControllerSocketCloseCode(code: number): number {
  if (code === 1000) return 1000;
  return toRelaySessionCloseCode(code);
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
