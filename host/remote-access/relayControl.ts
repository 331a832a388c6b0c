/**
 * The relay's control messages as the host sees them (remote-protocol.md §3; docs/relay.md
 * "Messages"): parsers for relay → host and encoders for host → relay. Unknown extra fields are
 * tolerated (a newer relay may add some; the fields we act on are checked strictly), unknown `t`
 * values are reported as `unknown` so the caller can ignore them.
 */
import { z } from 'zod';
import { toB64u } from '../../shared/util/encoding.js';
import { parseJson, parseUnknown } from '../../shared/util/schema.js';
import { toRelaySessionCloseCode, truncateCloseReason } from '../../shared/session/sessionCloseCodes.js';

/** Largest relay control message the host parses (they are < 200 bytes). */
export const MAX_RELAY_CONTROL_BYTES = 4096;

const hex32 = z.string().regex(/^[0-9a-f]{32}$/, 'must be 32 lowercase hex characters');

const relayToHostSchema = z.discriminatedUnion('t', [
  z.object({ t: z.literal('challenge'), nonce: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'must be base64url of 32 bytes') }),
  z.object({ t: z.literal('registered'), host: hex32 }),
  z.object({ t: z.literal('open'), sid: hex32, device: hex32 }),
  z.object({ t: z.literal('closed'), sid: hex32 }),
]);

export type RelayToHost = z.output<typeof relayToHostSchema> | { readonly t: 'unknown'; readonly type: string };

/** Parses one text frame from the relay; throws a `SchemaParseError` (`relay message: …`) if it is malformed. */
export function parseRelayToHost(text: string): RelayToHost {
  const value = parseJson(text, 'relay message');
  if (typeof value === 'object' && value !== null && 't' in value) {
    const t = (value as { t: unknown }).t;
    if (typeof t === 'string' && !['challenge', 'registered', 'open', 'closed'].includes(t)) return { t: 'unknown', type: t.slice(0, 32) };
  }
  return parseUnknown(relayToHostSchema, value, 'relay message');
}

/** host → relay `register`. */
export function registerMessage(hostKey: Uint8Array, sig: Uint8Array): string {
  return JSON.stringify({ t: 'register', key: toB64u(hostKey), sig: toB64u(sig) });
}

/**
 * host → relay `close` for session `sid`: the relay closes that controller with the code (RFC
 * 6455 codes are carried as 4000-4015, see shared/session/sessionCloseCodes.ts) and the reason
 * (cut to 123 UTF-8 bytes).
 */
export function closeSessionMessage(sid: string, code: number, reason: string): string {
  return JSON.stringify({ t: 'close', sid, code: toRelaySessionCloseCode(code), reason: truncateCloseReason(reason) });
}
