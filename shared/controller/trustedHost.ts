/**
 * What a controller keeps per paired host (remote-protocol.md §6): hostId, hostKey, relay URL
 * and name. `parseTrustedHost` checks a record read back from storage before it is used to pin a
 * key: a stored record is a trust boundary too (style.md G2).
 */
import { z } from 'zod';
import { displayNameSchema } from '../protocol/displayName.js';
import { b64uText, hexIdSchema } from '../protocol/ids.js';
import { idFromPublicKey } from '../crypto/identity.js';
import type { PairingLink } from '../pairing/pairingLink.js';
import { relayUrlProblem } from '../pairing/relayUrl.js';
import { fromB64u, toB64u } from '../util/encoding.js';
import { parseUnknown, SchemaParseError } from '../util/schema.js';

/** A host this device paired with; persist it as JSON and pass it to `resume`. */
export interface TrustedHost {
  /** 32 lowercase hex characters, = idFromPublicKey(hostKey). */
  readonly hostId: string;
  /** b64u of the 32-byte Ed25519 host key, pinned on every resume. */
  readonly hostKey: string;
  /** Relay WebSocket base URL (`wss://…`). */
  readonly relay: string;
  /** Host display name (from the last welcome). */
  readonly name: string;
}

const trustedHostSchema = z.strictObject({
  hostId: hexIdSchema,
  hostKey: b64uText(32),
  relay: z.string().check((ctx) => {
    const problem = relayUrlProblem(ctx.value);
    if (problem) ctx.issues.push({ code: 'custom', message: problem, input: ctx.value });
  }),
  name: displayNameSchema,
});

/**
 * Validates a stored record; throws a `SchemaParseError` (`trustedHost: …`) if a field is
 * invalid or `hostId` is not the id of `hostKey`.
 */
export function parseTrustedHost(value: unknown): TrustedHost {
  // The schema has checked that hostKey decodes canonically to 32 bytes.
  const host = parseUnknown(trustedHostSchema, value, 'trustedHost');
  if (idFromPublicKey(fromB64u(host.hostKey)) !== host.hostId) throw new SchemaParseError('trustedHost', ['hostId: does not match hostKey']);
  return host;
}

/** The decoded host key of a parsed record. */
export function trustedHostKey(host: TrustedHost): Uint8Array {
  return fromB64u(host.hostKey);
}

/** The record to persist after pairing with `link`; `name` is the host's name from its welcome. */
export function trustedHostFromLink(link: PairingLink, name: string): TrustedHost {
  return { hostId: link.hostId, hostKey: toB64u(link.hostKey), relay: link.relay, name };
}
