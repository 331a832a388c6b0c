/**
 * The relay's JSON control messages, all three directions, in one module (remote-protocol.md §3;
 * docs/relay.md "Messages"): host → relay, relay → host and relay → controller, each a
 * discriminated union on `t` with a zod schema, an encoder and a parser. The relay
 * (relay/server/), the host's relay client (host/remote-access/) and the controller library
 * (shared/controller/) import their halves from here, and shared/relay/contract.test.ts feeds
 * every encoder's output to the other side's parser. Session payloads (binary frames) are never
 * parsed by the relay and do not appear here.
 *
 * Parsed values carry bytes, not text: `key`, `sig` and `nonce` come out of the parser decoded
 * (exact length, canonical base64url) and go into the encoder as bytes.
 */
import { z } from 'zod';
import { MAX_CLOSE_REASON_BYTES, RELAY_SESSION_CLOSE_MAX, RELAY_SESSION_CLOSE_MIN, toRelaySessionCloseCode, truncateCloseReason, utf8ByteLength } from '../protocol/closeCodes.js';
import { b64uBytes, hexIdSchema } from '../protocol/ids.js';
import { toB64u } from '../util/encoding.js';
import { parseJson, parseUnknown, SchemaParseError } from '../util/schema.js';

/** What a receiver does with fields it does not know, and with message types it does not know. */
export interface ReceiverRule {
  readonly extraFields: 'reject' | 'ignore';
  readonly unknownTypes: 'reject' | 'ignore';
}

/**
 * Strictness per direction, chosen here and nowhere else:
 * - The relay reads hosts strictly: a host is untrusted until it has proved its key, and the
 *   relay's state machine acts on every field. Anything unexpected closes the host (4401 before
 *   registration, 4400 after).
 * - The host tolerates extra fields and ignores unknown types: a newer relay may add some, and
 *   the fields the host acts on are still checked strictly.
 * - The controller tolerates extra fields but refuses unknown types: it acts on only `ready` and
 *   `offline`, and anything else before `ready` means it is not talking to a relay it
 *   understands (4400).
 */
export const RECEIVER_RULES = {
  hostToRelay: { extraFields: 'reject', unknownTypes: 'reject' },
  relayToHost: { extraFields: 'ignore', unknownTypes: 'ignore' },
  relayToController: { extraFields: 'ignore', unknownTypes: 'reject' },
} as const satisfies Record<string, ReceiverRule>;

/** Largest relay → host message the host parses (they are < 200 bytes). */
export const MAX_RELAY_TO_HOST_BYTES = 4096;
/** Largest relay → controller message a controller parses (`ready` is ~50 bytes). */
export const MAX_RELAY_TO_CONTROLLER_CHARS = 1024;
/**
 * Largest host → relay message the relay accepts by default (`maxControlMessageBytes` in the
 * relay's limits; a `register` is ~160 bytes, a `close` at most ~230).
 */
export const DEFAULT_MAX_HOST_TO_RELAY_BYTES = 1024;

/** One message object of `rule`'s direction: `z.strictObject` or `z.object` (unknown keys dropped). */
function messageSchema<T extends string, S extends z.ZodRawShape>(rule: ReceiverRule, t: T, shape: S) {
  const full = { t: z.literal(t), ...shape };
  return rule.extraFields === 'reject' ? z.strictObject(full) : z.object(full);
}

const closeReasonSchema = z
  .string()
  .max(MAX_CLOSE_REASON_BYTES)
  .refine((s) => utf8ByteLength(s) <= MAX_CLOSE_REASON_BYTES, `reason longer than ${MAX_CLOSE_REASON_BYTES} UTF-8 bytes`);

// ---------------------------------------------------------------------------------------------
// host → relay

const hostRule = RECEIVER_RULES.hostToRelay;

/** host → relay: `register` (the signed challenge) and `close` (end one session). */
export const hostToRelaySchema = z.discriminatedUnion('t', [
  /** `{"t":"register","key":b64u(32 bytes),"sig":b64u(64 bytes)}`. */
  messageSchema(hostRule, 'register', { key: b64uBytes(32), sig: b64uBytes(64) }),
  /** `{"t":"close","sid":hex,"code":4000-4999,"reason":…}` (reason optional, ≤ 123 UTF-8 bytes). */
  messageSchema(hostRule, 'close', {
    sid: hexIdSchema,
    code: z.number().int().min(RELAY_SESSION_CLOSE_MIN).max(RELAY_SESSION_CLOSE_MAX),
    reason: closeReasonSchema.optional(),
  }),
]);

export type HostToRelay = z.output<typeof hostToRelaySchema>;

/** The JSON text of a host → relay message (fixed key order). */
export function encodeHostToRelay(m: HostToRelay): string {
  switch (m.t) {
    case 'register':
      return JSON.stringify({ t: 'register', key: toB64u(m.key), sig: toB64u(m.sig) });
    case 'close':
      return JSON.stringify({ t: 'close', sid: m.sid, code: m.code, ...(m.reason !== undefined ? { reason: m.reason } : {}) });
  }
}

/** Parses one host text frame (the relay checks its size first). Throws a `SchemaParseError` naming `what`. */
export function parseHostToRelay(text: string, what = 'relay.host'): HostToRelay {
  return parseUnknown(hostToRelaySchema, parseJson(text, what), what);
}

/**
 * host → relay `close` for session `sid`: the relay closes that controller with the code (RFC
 * 6455 codes are carried as 4000-4015, shared/protocol/closeCodes.ts) and the reason (cut to
 * 123 UTF-8 bytes).
 */
export function closeSessionMessage(sid: string, code: number, reason: string): string {
  return encodeHostToRelay({ t: 'close', sid, code: toRelaySessionCloseCode(code), reason: truncateCloseReason(reason) });
}

// ---------------------------------------------------------------------------------------------
// relay → host

const toHostRule = RECEIVER_RULES.relayToHost;

/** relay → host: `challenge`, `registered`, `open` (a controller connected), `closed` (it left). */
export const relayToHostSchema = z.discriminatedUnion('t', [
  messageSchema(toHostRule, 'challenge', { nonce: b64uBytes(32) }),
  messageSchema(toHostRule, 'registered', { host: hexIdSchema }),
  messageSchema(toHostRule, 'open', { sid: hexIdSchema, device: hexIdSchema }),
  messageSchema(toHostRule, 'closed', { sid: hexIdSchema }),
]);

export type RelayToHost = z.output<typeof relayToHostSchema>;

/** A relay → host message of a type this host does not know (ignored, per `RECEIVER_RULES`). */
export interface UnknownRelayMessage {
  readonly t: 'unknown';
  /** The `t` the relay sent, cut to 32 characters for logs. */
  readonly type: string;
}

/** The JSON text of a relay → host message (fixed key order). */
export function encodeRelayToHost(m: RelayToHost): string {
  switch (m.t) {
    case 'challenge':
      return JSON.stringify({ t: 'challenge', nonce: toB64u(m.nonce) });
    case 'registered':
      return JSON.stringify({ t: 'registered', host: m.host });
    case 'open':
      return JSON.stringify({ t: 'open', sid: m.sid, device: m.device });
    case 'closed':
      return JSON.stringify({ t: 'closed', sid: m.sid });
  }
}

const RELAY_TO_HOST_TYPES: ReadonlySet<string> = new Set(relayToHostSchema.options.map((o) => o.shape.t.value));

/**
 * Parses one text frame from the relay; an unknown `t` comes back as `{ t: 'unknown' }`.
 * Throws a `SchemaParseError` (`relay message: …`) if it is malformed or too large.
 */
export function parseRelayToHost(text: string, what = 'relay message'): RelayToHost | UnknownRelayMessage {
  if (text.length > MAX_RELAY_TO_HOST_BYTES) throw new SchemaParseError(what, ['message too large']);
  const value = parseJson(text, what);
  const t = typeof value === 'object' && value !== null && 't' in value ? (value as { t: unknown }).t : undefined;
  if (typeof t === 'string' && !RELAY_TO_HOST_TYPES.has(t) && toHostRule.unknownTypes === 'ignore') return { t: 'unknown', type: t.slice(0, 32) };
  return parseUnknown(relayToHostSchema, value, what);
}

// ---------------------------------------------------------------------------------------------
// relay → controller

const toControllerRule = RECEIVER_RULES.relayToController;

/** relay → controller: `ready` (the session is open) or `offline` (then close 4404). */
export const relayToControllerSchema = z.discriminatedUnion('t', [
  messageSchema(toControllerRule, 'ready', { sid: hexIdSchema }),
  messageSchema(toControllerRule, 'offline', {}),
]);

export type RelayToController = z.output<typeof relayToControllerSchema>;

/** The JSON text of a relay → controller message (fixed key order). */
export function encodeRelayToController(m: RelayToController): string {
  switch (m.t) {
    case 'ready':
      return JSON.stringify({ t: 'ready', sid: m.sid });
    case 'offline':
      return JSON.stringify({ t: 'offline' });
  }
}

/** Parses one text frame from the relay. Throws a `SchemaParseError` naming `what` if it is malformed or too large. */
export function parseRelayToController(text: string, what = 'relay message'): RelayToController {
  if (text.length > MAX_RELAY_TO_CONTROLLER_CHARS) throw new SchemaParseError(what, ['message too large']);
  return parseUnknown(relayToControllerSchema, parseJson(text, what), what);
}
