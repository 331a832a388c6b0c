/**
 * A browser's push subscription as a phone hands it to the host (over the E2E session, so the
 * relay never sees it): `PushSubscription.toJSON()` — `{endpoint, expirationTime, keys:
 * {p256dh, auth}}`. Parsed and bounded before anything is stored: the endpoint must be an
 * https URL (plain http only on a loopback address, for the test stand-in of the push
 * service), without credentials or fragment; `p256dh` must be an uncompressed P-256 point
 * (65 bytes, on the curve) and `auth` 16 bytes, both base64url without padding.
 */
import { ECDH } from 'node:crypto';
import { z } from 'zod';
import { parseUnknown, SchemaParseError } from '../../shared/util/schema.js';

export const MAX_ENDPOINT_CHARS = 2048;
const B64U = /^[A-Za-z0-9_-]+$/;

/** A validated subscription, in the shape the `web-push` library takes. */
export interface PushSubscriptionRecord {
  readonly endpoint: string;
  readonly keys: { readonly p256dh: string; readonly auth: string };
}

const WireSchema = z
  .object({
    endpoint: z.string().min(1).max(MAX_ENDPOINT_CHARS),
    expirationTime: z.number().nullable().optional(),
    keys: z.object({ p256dh: z.string().max(128), auth: z.string().max(64) }).strict(),
  })
  .strict();

/** Thrown for a subscription the host will not store; the message is one line for the user. */
export class PushSubscriptionError extends Error {
  constructor(message: string) {
    super(`push subscription: ${message}`);
    this.name = 'PushSubscriptionError';
  }
}

/** True for 127.0.0.0/8 and ::1 (literal addresses only: a name could resolve anywhere). */
export function isLoopbackHost(hostname: string): boolean {
  if (hostname === '[::1]' || hostname === '::1') return true;
  return /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.test(hostname);
}

/** Parses an untrusted subscription; throws `PushSubscriptionError` saying what is wrong. */
export function parsePushSubscription(value: unknown): PushSubscriptionRecord {
  let wire: z.output<typeof WireSchema>;
  try {
    wire = parseUnknown(WireSchema, value, 'push subscription');
  } catch (err) {
    throw err instanceof SchemaParseError ? new PushSubscriptionError(err.issues.join('; ')) : err;
  }
  const endpoint = parseEndpoint(wire.endpoint);
  const p256dh = decodeB64u(wire.keys.p256dh, 'keys.p256dh');
  if (p256dh.length !== 65 || p256dh[0] !== 0x04) throw new PushSubscriptionError('keys.p256dh must be an uncompressed P-256 public key (65 bytes)');
  try {
    ECDH.convertKey(p256dh, 'prime256v1', undefined, undefined, 'uncompressed');
  } catch {
    throw new PushSubscriptionError('keys.p256dh is not a point on the P-256 curve');
  }
  const auth = decodeB64u(wire.keys.auth, 'keys.auth');
  if (auth.length !== 16) throw new PushSubscriptionError('keys.auth must be 16 bytes');
  return { endpoint, keys: { p256dh: wire.keys.p256dh, auth: wire.keys.auth } };
}

/** The origin of an endpoint: the only part of it that may appear in logs. */
export function endpointOrigin(endpoint: string): string {
  try {
    return new URL(endpoint).origin;
  } catch {
    return '(invalid endpoint)';
  }
}

function parseEndpoint(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new PushSubscriptionError('endpoint is not a URL');
  }
  if (url.protocol === 'http:') {
    if (!isLoopbackHost(url.hostname)) throw new PushSubscriptionError('endpoint must be an https URL');
  } else if (url.protocol !== 'https:') throw new PushSubscriptionError('endpoint must be an https URL');
  if (url.username || url.password) throw new PushSubscriptionError('endpoint must not contain credentials');
  if (url.hash) throw new PushSubscriptionError('endpoint must not contain a fragment');
  if (!url.hostname) throw new PushSubscriptionError('endpoint has no host');
  return url.href;
}

function decodeB64u(text: string, what: string): Buffer {
  if (!B64U.test(text)) throw new PushSubscriptionError(`${what} must be base64url without padding`);
  return Buffer.from(text, 'base64url');
}
