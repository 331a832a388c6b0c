/**
 * Authentication of a WebSocket upgrade request, before any WebSocket exists (style.md G11), with
 * the semantics and reason texts of `codex app-server` 0.169.0 (`transport/auth.rs`, checked against
 * the real binary): `Authorization: <scheme> <token>` split at the first space, scheme compared
 * case-insensitively with `Bearer`, token trimmed, no query-string token; capability tokens compared
 * as SHA-256 digests in constant time; signed bearer tokens are HS256 JWTs with a required `exp`.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { compactVerify } from 'jose';
import { z } from 'zod';
import type { ListenerAuth } from './listenerOptions.js';

/** Outcome of `authorizeUpgrade`. `body` is the plain-text response body (may be empty). */
export type UpgradeAuthResult = { readonly ok: true } | { readonly ok: false; readonly status: 401 | 403; readonly body: string };

/** Request headers as node:http hands them over (lower-case names). */
export type RequestHeaders = Readonly<Record<string, string | readonly string[] | undefined>>;

/** The reasons a client can be told (upstream's exact texts). */
export const AUTH_REASONS = {
  missingBearer: 'missing websocket bearer token',
  invalidBearer: 'invalid websocket bearer token',
  invalidHeader: 'invalid authorization header',
  invalidJwt: 'invalid websocket jwt',
  expiredJwt: 'expired websocket jwt',
  jwtNotYetValid: 'websocket jwt is not valid yet',
  issuerMismatch: 'websocket jwt issuer mismatch',
  audienceMismatch: 'websocket jwt audience mismatch',
} as const;

/** Longest Authorization header value considered; longer ones are rejected without parsing. */
export const MAX_AUTHORIZATION_CHARS = 8 * 1024;

const ORIGIN_FORBIDDEN: UpgradeAuthResult = { ok: false, status: 403, body: '' };
const OK: UpgradeAuthResult = { ok: true };

function unauthorized(body: string): UpgradeAuthResult {
  return { ok: false, status: 401, body };
}

/**
 * Decides whether an upgrade may proceed. `nowMs` is the current time in epoch milliseconds
 * (floored to whole seconds, as upstream uses `unix_timestamp()`). Any `Origin` header is a 403 with
 * an empty body, whatever the credentials: browsers always send one, other clients never do, so
 * this keeps web pages from reaching the agent.
 */
export async function authorizeUpgrade(headers: RequestHeaders, auth: ListenerAuth, nowMs: number): Promise<UpgradeAuthResult> {
  if (headers['origin'] !== undefined) return ORIGIN_FORBIDDEN;
  switch (auth.mode) {
    case 'none':
      return OK;
    case 'capability-token': {
      const token = bearerTokenFromHeaders(headers);
      if (typeof token !== 'string') return token;
      const actual = createHash('sha256').update(token, 'latin1').digest();
      return timingSafeEqual(actual, auth.tokenSha256) ? OK : unauthorized(AUTH_REASONS.invalidBearer);
    }
    case 'signed-bearer-token': {
      const token = bearerTokenFromHeaders(headers);
      if (typeof token !== 'string') return token;
      return verifySignedBearerToken(token, auth, Math.floor(nowMs / 1000));
    }
  }
}

/** Extracts the bearer token, or the 401 to answer. Mirrors upstream `bearer_token_from_headers`. */
function bearerTokenFromHeaders(headers: RequestHeaders): string | UpgradeAuthResult {
  const raw = headers['authorization'];
  // node keeps only the first Authorization header, as `HeaderMap::get` does.
  const header = typeof raw === 'string' ? raw : raw?.[0];
  if (header === undefined) return unauthorized(AUTH_REASONS.missingBearer);
  // `HeaderValue::to_str` fails on anything but visible ASCII and tab.
  if (header.length > MAX_AUTHORIZATION_CHARS || !/^[\t\x20-\x7e]*$/.test(header)) {
    return unauthorized(AUTH_REASONS.invalidHeader);
  }
  const space = header.indexOf(' ');
  if (space < 0) return unauthorized(AUTH_REASONS.invalidHeader);
  if (header.slice(0, space).toLowerCase() !== 'bearer') return unauthorized(AUTH_REASONS.invalidHeader);
  const token = header.slice(space + 1).trim();
  if (token === '') return unauthorized(AUTH_REASONS.invalidHeader);
  return token;
}

/** A JSON integer that fits Rust's i64 (floats and strings fail deserialization upstream). */
const i64 = z.number().refine((n) => Number.isInteger(n) && Math.abs(n) < 2 ** 63);
/** Upstream's `JwtClaims`: unknown claims are ignored, `null` counts as absent for the optional ones. */
const jwtClaimsSchema = z.object({
  exp: i64,
  nbf: i64.nullish(),
  iss: z.string().nullish(),
  aud: z.union([z.string(), z.array(z.string())]).nullish(),
});

async function verifySignedBearerToken(
  token: string,
  auth: Extract<ListenerAuth, { mode: 'signed-bearer-token' }>,
  nowSeconds: number,
): Promise<UpgradeAuthResult> {
  // compactVerify checks only the signature (HS256 only: alg none, HS512 etc. are refused); the
  // claim checks below are upstream's, which differ from jose's jwtVerify at the boundaries
  // (`now > exp + skew` is expired; jose would also reject `now == exp + skew`).
  let payload: Uint8Array;
  try {
    ({ payload } = await compactVerify(token, auth.sharedSecret, { algorithms: ['HS256'] }));
  } catch {
    return unauthorized(AUTH_REASONS.invalidJwt);
  }
  let claimsJson: unknown;
  try {
    claimsJson = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(payload)) as unknown;
  } catch {
    return unauthorized(AUTH_REASONS.invalidJwt);
  }
  const parsed = jwtClaimsSchema.safeParse(claimsJson);
  if (!parsed.success) return unauthorized(AUTH_REASONS.invalidJwt);
  const claims = parsed.data;
  const skew = auth.maxClockSkewSeconds;

  if (nowSeconds > claims.exp + skew) return unauthorized(AUTH_REASONS.expiredJwt);
  if (claims.nbf != null && nowSeconds < claims.nbf - skew) return unauthorized(AUTH_REASONS.jwtNotYetValid);
  if (auth.issuer !== undefined && claims.iss !== auth.issuer) return unauthorized(AUTH_REASONS.issuerMismatch);
  if (auth.audience !== undefined) {
    const aud = claims.aud;
    const matches = typeof aud === 'string' ? aud === auth.audience : Array.isArray(aud) && aud.includes(auth.audience);
    if (!matches) return unauthorized(AUTH_REASONS.audienceMismatch);
  }
  return OK;
}
