/**
 * The pairing link shown as a QR code or pasted as text (remote-protocol.md §2):
 *
 *   {relay http(s) origin}/pair#p={b64u(UTF-8 JSON)}
 *   JSON = {"v":1,"relay":…,"host":…,"key":…,"secret":…,"exp":…,"name":…}   (this key order)
 *
 * `parsePairingLink` is the controller's trust anchor for a first contact: it pins `key`, and only
 * if `host` is that key's id. Every problem raises a `PairingLinkError` naming the field, so a UI
 * can say "this code has expired" rather than "invalid".
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { z } from 'zod';
import { concatBytes, fromB64u, fromUtf8, toB64u, utf8 } from '../util/encoding.js';
import { displayNameSchema } from '../protocol/displayName.js';
import { b64uBytes, hexIdSchema } from '../protocol/ids.js';
import { idFromPublicKey } from '../crypto/identity.js';
import { LABEL_PAIR_ID } from '../crypto/labels.js';
import { httpOriginProblem, relayUrlProblem } from './relayUrl.js';

/** Longest link text accepted (the spec's links are ~330 characters). */
export const MAX_PAIRING_LINK_CHARS = 2048;
/** Default lifetime of a pairing secret: 10 minutes (remote-protocol.md §2). */
export const PAIRING_LINK_TTL_SECONDS = 600;
export const PAIRING_LINK_VERSION = 1;

/** What a link carries, decoded. `hostId` is derived from `hostKey`, never trusted on its own. */
export interface PairingLinkFields {
  /** Relay WebSocket base URL (`wss://…`, `ws://` only for loopback/LAN). */
  readonly relay: string;
  /** The host's Ed25519 public key (32 bytes), pinned by the controller. */
  readonly hostKey: Uint8Array;
  /** The one-time pairing secret (32 bytes). */
  readonly secret: Uint8Array;
  /** Expiry, Unix seconds. */
  readonly exp: number;
  /** Host display name. */
  readonly name: string;
}

/** A parsed, checked link. */
export interface PairingLink extends PairingLinkFields {
  /** idFromPublicKey(hostKey), equal to the link's `host`. */
  readonly hostId: string;
}

/** The part of a link a `PairingLinkError` is about; `link` = the envelope (URL, fragment, base64, JSON). */
export type PairingLinkField = 'link' | 'v' | 'relay' | 'host' | 'key' | 'secret' | 'exp' | 'name';
/** What is wrong with it. */
export type PairingLinkProblem = 'format' | 'too_large' | 'missing' | 'invalid' | 'unknown_field' | 'mismatch' | 'expired';

/** A link that cannot be used; `message` starts with `pairing link:` and never contains the secret. */
export class PairingLinkError extends Error {
  constructor(
    readonly field: PairingLinkField,
    readonly problem: PairingLinkProblem,
    detail: string,
  ) {
    super(`pairing link: ${field === 'link' ? '' : `${field} `}${detail}`);
    this.name = 'PairingLinkError';
  }
}

const linkSchema = z.strictObject({
  v: z.literal(PAIRING_LINK_VERSION, { error: 'must be 1' }),
  relay: z.string().check((ctx) => {
    const problem = relayUrlProblem(ctx.value);
    if (problem) ctx.issues.push({ code: 'custom', message: problem, input: ctx.value });
  }),
  host: hexIdSchema,
  key: b64uBytes(32),
  secret: b64uBytes(32),
  exp: z.int({ error: 'must be an integer (Unix seconds)' }).positive({ error: 'must be positive' }),
  name: displayNameSchema,
});

const FIELDS = new Set<string>(['v', 'relay', 'host', 'key', 'secret', 'exp', 'name']);

/** pairId = SHA-256(L || " pair-id" || secret)[0..8]: names a secret without revealing it. */
export function pairIdFromSecret(secret: Uint8Array): Uint8Array {
  if (secret.length !== 32) throw new Error('pairIdFromSecret: secret must be 32 bytes');
  return sha256(concatBytes(LABEL_PAIR_ID, secret)).slice(0, 8);
}

/** Validates the decoded JSON value; does not look at the clock. */
function checkLinkJson(value: unknown): PairingLink {
  const r = linkSchema.safeParse(value);
  if (!r.success) {
    const issue = r.error.issues[0];
    if (!issue) throw new PairingLinkError('link', 'invalid', 'is invalid');
    if (issue.code === 'unrecognized_keys') throw new PairingLinkError('link', 'unknown_field', `has unknown field(s) ${issue.keys.map((k) => JSON.stringify(k.slice(0, 32))).join(', ')}`);
    const key = issue.path[0];
    if (typeof key !== 'string' || !FIELDS.has(key)) throw new PairingLinkError('link', 'invalid', 'must be a JSON object');
    const field = key as PairingLinkField;
    const present = typeof value === 'object' && value !== null && key in value;
    if (!present) throw new PairingLinkError(field, 'missing', 'is missing');
    throw new PairingLinkError(field, 'invalid', issue.message);
  }
  const { relay, host, key, secret, exp, name } = r.data;
  if (idFromPublicKey(key) !== host) throw new PairingLinkError('host', 'mismatch', 'does not match the id of key');
  return { relay, hostId: host, hostKey: key, secret, exp, name };
}

/**
 * Builds the link URL `{relayHttpOrigin}/pair#p=…`. `relayHttpOrigin` is `https://host[:port]`
 * (`http://` only for loopback/LAN; one trailing slash is tolerated). Throws a `PairingLinkError`
 * if a field would not pass `parsePairingLink` (the expiry is not compared with the clock).
 */
export function encodePairingLink(fields: PairingLinkFields, relayHttpOrigin: string): string {
  const origin = relayHttpOrigin.endsWith('/') ? relayHttpOrigin.slice(0, -1) : relayHttpOrigin;
  const originProblem = httpOriginProblem(origin);
  if (originProblem) throw new PairingLinkError('link', 'invalid', `origin ${originProblem}`);
  if (fields.hostKey.length !== 32) throw new PairingLinkError('key', 'invalid', 'must be 32 bytes');
  if (fields.secret.length !== 32) throw new PairingLinkError('secret', 'invalid', 'must be 32 bytes');
  const json = {
    v: PAIRING_LINK_VERSION,
    relay: fields.relay,
    host: idFromPublicKey(fields.hostKey),
    key: toB64u(fields.hostKey),
    secret: toB64u(fields.secret),
    exp: fields.exp,
    name: fields.name,
  };
  checkLinkJson(json);
  const link = `${origin}/pair#p=${toB64u(utf8(JSON.stringify(json)))}`;
  if (link.length > MAX_PAIRING_LINK_CHARS) throw new PairingLinkError('link', 'too_large', `is longer than ${MAX_PAIRING_LINK_CHARS} characters`);
  return link;
}

/**
 * Parses and checks a scanned or pasted link (surrounding whitespace is ignored) and rejects it
 * if `exp` is not after `nowMs` (default `Date.now()`). Throws a `PairingLinkError` whose
 * `field`/`problem` say what is wrong: the envelope (`link`: format, too_large, unknown_field),
 * a missing or invalid field, `host` not matching `key` (mismatch), or an expired link.
 */
export function parsePairingLink(text: string, nowMs: number = Date.now()): PairingLink {
  const link = text.trim();
  if (link.length > MAX_PAIRING_LINK_CHARS) throw new PairingLinkError('link', 'too_large', `is longer than ${MAX_PAIRING_LINK_CHARS} characters`);
  const hash = link.indexOf('#');
  if (hash < 0) throw new PairingLinkError('link', 'format', 'has no #p= fragment');
  const base = link.slice(0, hash);
  const fragment = link.slice(hash + 1);
  if (!base.endsWith('/pair')) throw new PairingLinkError('link', 'format', 'must be an https://…/pair#p=… URL');
  const originProblem = httpOriginProblem(base.slice(0, -'/pair'.length));
  if (originProblem) throw new PairingLinkError('link', 'format', `origin ${originProblem}`);
  if (!fragment.startsWith('p=')) throw new PairingLinkError('link', 'format', 'has no #p= fragment');
  let json: unknown;
  try {
    json = JSON.parse(fromUtf8(fromB64u(fragment.slice(2)))) as unknown;
  } catch {
    throw new PairingLinkError('link', 'format', 'payload is not base64url-encoded UTF-8 JSON');
  }
  const parsed = checkLinkJson(json);
  if (parsed.exp * 1000 <= nowMs) throw new PairingLinkError('exp', 'expired', 'has passed: the code has expired');
  return parsed;
}
