import { createHash, createSecretKey } from 'node:crypto';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import type { ListenerAuth } from './listenerOptions.js';
import { authorizeUpgrade } from './upgradeAuth.js';

const TOKEN = 'capability-token-value';
const capability: ListenerAuth = { mode: 'capability-token', tokenSha256: new Uint8Array(createHash('sha256').update(TOKEN).digest()) };
const SECRET = new TextEncoder().encode('0123456789abcdef0123456789abcdef');
const NOW_MS = 1_800_000_000_500; // half a second into a whole second: upstream floors to seconds
const NOW = Math.floor(NOW_MS / 1000);

function signed(overrides: Partial<Extract<ListenerAuth, { mode: 'signed-bearer-token' }>> = {}): ListenerAuth {
  return { mode: 'signed-bearer-token', sharedSecret: createSecretKey(SECRET), issuer: undefined, audience: undefined, maxClockSkewSeconds: 30, ...overrides };
}

async function jwt(claims: Record<string, unknown>): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(SECRET);
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('authorizeUpgrade: Authorization header parsing (upstream bearer_token_from_headers)', () => {
  it('answers each malformed header with upstream reason', async () => {
    const cases: Array<[Record<string, string>, string]> = [
      [{}, 'missing websocket bearer token'],
      [{ authorization: '' }, 'invalid authorization header'],
      [{ authorization: 'Bearer' }, 'invalid authorization header'],
      [{ authorization: 'Bearer ' }, 'invalid authorization header'],
      [{ authorization: `Bearer\t${TOKEN}` }, 'invalid authorization header'],
      [{ authorization: `Basic ${TOKEN}` }, 'invalid authorization header'],
      [{ authorization: `Bearer ${TOKEN}\u00e9` }, 'invalid authorization header'],
      [{ authorization: `Bearer ${TOKEN}x` }, 'invalid websocket bearer token'],
    ];
    for (const [headers, body] of cases) {
      expect(await authorizeUpgrade(headers, capability, NOW_MS)).toEqual({ ok: false, status: 401, body });
    }
  });

  it('accepts any case of the scheme and a padded token', async () => {
    for (const authorization of [`Bearer ${TOKEN}`, `bEaReR ${TOKEN}`, `Bearer    ${TOKEN}  \t`]) {
      expect(await authorizeUpgrade({ authorization }, capability, NOW_MS)).toEqual({ ok: true });
    }
  });

  it('uses the first Authorization header when several are given', async () => {
    expect(await authorizeUpgrade({ authorization: [`Bearer ${TOKEN}`, 'Bearer x'] }, capability, NOW_MS)).toEqual({ ok: true });
  });

  it('refuses any Origin with 403 and an empty body, whatever the mode', async () => {
    for (const auth of [capability, { mode: 'none' } as const]) {
      expect(await authorizeUpgrade({ ...bearer(TOKEN), origin: 'http://localhost' }, auth, NOW_MS)).toEqual({ ok: false, status: 403, body: '' });
    }
    expect(await authorizeUpgrade({}, { mode: 'none' }, NOW_MS)).toEqual({ ok: true });
  });
});

describe('authorizeUpgrade: JWT claim rules at their boundaries', () => {
  const reject = (body: string) => ({ ok: false, status: 401, body });

  it('uses now > exp + skew for expiry and now < nbf - skew for not-yet-valid', async () => {
    const auth = signed();
    expect(await authorizeUpgrade(bearer(await jwt({ exp: NOW - 30 })), auth, NOW_MS)).toEqual({ ok: true });
    expect(await authorizeUpgrade(bearer(await jwt({ exp: NOW - 31 })), auth, NOW_MS)).toEqual(reject('expired websocket jwt'));
    expect(await authorizeUpgrade(bearer(await jwt({ exp: NOW + 60, nbf: NOW + 30 })), auth, NOW_MS)).toEqual({ ok: true });
    expect(await authorizeUpgrade(bearer(await jwt({ exp: NOW + 60, nbf: NOW + 31 })), auth, NOW_MS)).toEqual(reject('websocket jwt is not valid yet'));
    const strict = signed({ maxClockSkewSeconds: 0 });
    expect(await authorizeUpgrade(bearer(await jwt({ exp: NOW })), strict, NOW_MS)).toEqual({ ok: true });
    expect(await authorizeUpgrade(bearer(await jwt({ exp: NOW - 1 })), strict, NOW_MS)).toEqual(reject('expired websocket jwt'));
  });

  it('checks claim types like upstream deserialization does', async () => {
    const auth = signed({ issuer: 'iss', audience: 'aud' });
    const base = { exp: NOW + 60, iss: 'iss', aud: 'aud' };
    expect(await authorizeUpgrade(bearer(await jwt(base)), auth, NOW_MS)).toEqual({ ok: true });
    for (const bad of [{ exp: NOW + 60.5 }, { exp: String(NOW + 60) }, { iss: 7 }, { aud: [1] }, { nbf: 'soon' }]) {
      expect(await authorizeUpgrade(bearer(await jwt({ ...base, ...bad })), auth, NOW_MS)).toEqual(reject('invalid websocket jwt'));
    }
    // null counts as absent: a missing issuer/audience is a mismatch, a null nbf is fine.
    expect(await authorizeUpgrade(bearer(await jwt({ ...base, iss: null })), auth, NOW_MS)).toEqual(reject('websocket jwt issuer mismatch'));
    expect(await authorizeUpgrade(bearer(await jwt({ ...base, aud: [] })), auth, NOW_MS)).toEqual(reject('websocket jwt audience mismatch'));
    expect(await authorizeUpgrade(bearer(await jwt({ ...base, nbf: null })), auth, NOW_MS)).toEqual({ ok: true });
  });

  it('does not check issuer or audience when none is configured', async () => {
    expect(await authorizeUpgrade(bearer(await jwt({ exp: NOW + 60, iss: 'anyone', aud: 'anything' })), signed(), NOW_MS)).toEqual({ ok: true });
  });

  it('rejects a non-JSON payload', async () => {
    const header = Buffer.from('{"alg":"HS256"}').toString('base64url');
    const payload = Buffer.from('not json').toString('base64url');
    const { createHmac } = await import('node:crypto');
    const sig = createHmac('sha256', SECRET).update(`${header}.${payload}`).digest('base64url');
    expect(await authorizeUpgrade(bearer(`${header}.${payload}.${sig}`), signed(), NOW_MS)).toEqual(reject('invalid websocket jwt'));
  });
});
