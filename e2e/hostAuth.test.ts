/**
 * The auth table of docs/engine.md §9, against the real `codex-host serve` process
 * (the listener module's own tests cover every row in-process; this proves the wiring:
 * flags → listener → hub → engine).
 */
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import type { HostProcess } from './fixtures/hostProcess.js';
import { useStack } from './fixtures/stack.js';
import { openWsDriver, UpgradeRejectedError } from './fixtures/wsDriver.js';

const stack = useStack({ label: 'host-auth', host: false });
let capHost: HostProcess;
let jwtHost: HostProcess;
const token = randomBytes(24).toString('base64url');
const secret = new Uint8Array(randomBytes(48));
const jwtKey = new TextEncoder().encode(Buffer.from(secret).toString('base64url'));

beforeAll(async () => {
  const tokenFile = join(stack.home.root, 'token');
  const secretFile = join(stack.home.root, 'secret');
  await writeFile(tokenFile, `  ${token}\n`, { mode: 0o600 });
  await writeFile(secretFile, Buffer.from(secret).toString('base64url'), { mode: 0o600 });
  [capHost, jwtHost] = await Promise.all([
    stack.startHost({ args: ['--listen', 'ws://127.0.0.1:0', '--ws-auth', 'capability-token', '--ws-token-file', tokenFile] }),
    stack.startHost({
      args: ['--listen', 'ws://127.0.0.1:0', '--ws-auth', 'signed-bearer-token', '--ws-shared-secret-file', secretFile, '--ws-issuer', 'issuer-a', '--ws-audience', 'codex-app-server'],
    }),
  ]);
});

async function attempt(url: string, headers: Record<string, string>): Promise<string> {
  try {
    const d = await openWsDriver(url, { headers });
    const r = (await d.initialize('auth-probe')) as { userAgent?: string };
    d.terminate();
    return r.userAgent ? '101 initialized' : '101 ?';
  } catch (err) {
    if (err instanceof UpgradeRejectedError) return `${err.status} ${err.body}`.trim();
    throw err;
  }
}

const now = () => Math.floor(Date.now() / 1000);
async function jwt(claims: Record<string, unknown>, alg = 'HS256'): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg }).sign(jwtKey);
}

describe('listener auth against the running host', () => {
  it('capability token: every header case', async () => {
    const url = capHost.listenUrl!;
    const rows: [Record<string, string>, string][] = [
      [{}, '401 missing websocket bearer token'],
      [{ Authorization: 'Bearer nope' }, '401 invalid websocket bearer token'],
      [{ Authorization: `Bearer ${token}` }, '101 initialized'],
      [{ Authorization: `bearer ${token}` }, '101 initialized'],
      [{ Authorization: `Bearer   ${token}  ` }, '101 initialized'],
      [{ Authorization: `Basic ${token}` }, '401 invalid authorization header'],
      [{ Authorization: `Bearer ${token}`, Origin: 'http://evil.example' }, '403'],
    ];
    for (const [headers, expected] of rows) expect([headers, await attempt(url, headers)]).toEqual([headers, expected]);
    expect(await attempt(`${url}/?token=${token}`, {})).toBe('401 missing websocket bearer token');
    const health = await fetch(`${url.replace('ws://', 'http://')}/readyz`);
    expect(health.status).toBe(200);
  });

  it('signed bearer token: every claim case', async () => {
    const url = jwtHost.listenUrl!;
    const base = { iss: 'issuer-a', aud: 'codex-app-server' };
    const rows: [string, Promise<string>, string][] = [
      ['valid', jwt({ ...base, exp: now() + 60 }), '101 initialized'],
      ['aud array', jwt({ iss: 'issuer-a', aud: ['other', 'codex-app-server'], exp: now() + 60 }), '101 initialized'],
      ['exp 60 s ago', jwt({ ...base, exp: now() - 60 }), '401 expired websocket jwt'],
      ['exp 10 s ago (skew 30)', jwt({ ...base, exp: now() - 10 }), '101 initialized'],
      ['nbf +60 s', jwt({ ...base, exp: now() + 120, nbf: now() + 60 }), '401 websocket jwt is not valid yet'],
      ['nbf +10 s', jwt({ ...base, exp: now() + 120, nbf: now() + 10 }), '101 initialized'],
      ['no exp', jwt({ ...base }), '401 invalid websocket jwt'],
      ['wrong iss', jwt({ ...base, iss: 'other', exp: now() + 60 }), '401 websocket jwt issuer mismatch'],
      ['missing iss', jwt({ aud: 'codex-app-server', exp: now() + 60 }), '401 websocket jwt issuer mismatch'],
      ['wrong aud', jwt({ ...base, aud: 'other', exp: now() + 60 }), '401 websocket jwt audience mismatch'],
      ['HS512', jwt({ ...base, exp: now() + 60 }, 'HS512'), '401 invalid websocket jwt'],
      ['opaque', Promise.resolve('not-a-jwt'), '401 invalid websocket jwt'],
    ];
    const wrongKey = await new SignJWT({ ...base, exp: now() + 60 }).setProtectedHeader({ alg: 'HS256' }).sign(new Uint8Array(randomBytes(48)));
    rows.push(['wrong signature', Promise.resolve(wrongKey), '401 invalid websocket jwt']);
    const none = `${Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url')}.${Buffer.from(JSON.stringify({ ...base, exp: now() + 60 })).toString('base64url')}.`;
    rows.push(['alg none', Promise.resolve(none), '401 invalid websocket jwt']);
    for (const [what, tok, expected] of rows) expect([what, await attempt(url, { Authorization: `Bearer ${await tok}` })]).toEqual([what, expected]);
  });
});
