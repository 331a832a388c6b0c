import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { Logger } from '../../shared/util/logger.js';
import { parseListenerOptions, type RawListenerOptions } from './listenerOptions.js';
import { startWsListener, WsListenerError, type StartWsListenerOptions, type WsListener } from './wsListener.js';

// ---- fixtures -------------------------------------------------------------------------------

const dir = mkdtempSync(join(tmpdir(), 'ws-listener-'));
const TOKEN = 'cap-token-7f3c9a1e5b2d4f60';
const SECRET = 'fedcba9876543210fedcba9876543210-secret';
const tokenFile = join(dir, 'token');
const secretFile = join(dir, 'secret');
writeFileSync(tokenFile, `${TOKEN}\n`);
writeFileSync(secretFile, `${SECRET}\n`);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface LogLine {
  level: string;
  msg: string;
  fields: Record<string, unknown> | undefined;
}
function captureLogger(lines: LogLine[]): Logger {
  const at = (level: string) => (msg: string, fields?: Record<string, unknown>) => void lines.push({ level, msg, fields });
  const logger: Logger = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), child: () => logger };
  return logger;
}

const running: WsListener[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((l) => l.dispose()));
});

/** Starts a real listener on 127.0.0.1:0 whose connections echo every message back. */
async function start(raw: RawListenerOptions, extra: Partial<StartWsListenerOptions> = {}, logs: LogLine[] = []): Promise<WsListener> {
  const listener = await startWsListener({
    config: parseListenerOptions({ listen: 'ws://127.0.0.1:0', ...raw }),
    maxPayloadBytes: 64 * 1024,
    logger: captureLogger(logs),
    onConnection: (ws) => ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary })),
    ...extra,
  });
  running.push(listener);
  return listener;
}

type Attempt = { status: 101; echo: string } | { status: number; body: string };

/** Connects with a real ws client; on 101 checks a round trip, otherwise returns status and body. */
function attempt(url: string, headers: Record<string, string> = {}, path = '/'): Promise<Attempt> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url + path, { headers });
    ws.once('open', () => ws.send('{"id":"initialize"}'));
    ws.once('message', (data) => {
      resolve({ status: 101, echo: String(data) });
      ws.close();
    });
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    ws.once('error', (err) => reject(err));
  });
}
const OK: Attempt = { status: 101, echo: '{"id":"initialize"}' };
const r401 = (body: string): Attempt => ({ status: 401, body });

/** Sends raw bytes and returns the raw HTTP response text (until the server closes or 101 arrives). */
function rawHttp(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(request.replace(/\n/g, '\r\n')));
    let text = '';
    socket.on('data', (d) => {
      text += d.toString('latin1');
      if (text.startsWith('HTTP/1.1 101') && text.includes('\r\n\r\n')) socket.destroy();
    });
    socket.on('close', () => resolve(text));
    socket.on('error', reject);
  });
}
const UPGRADE = 'Connection: Upgrade\nUpgrade: websocket\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\nSec-WebSocket-Version: 13\n';

function statusAndBody(raw: string): { status: number; body: string; head: string } {
  const [head = '', body = ''] = raw.split('\r\n\r\n');
  return { status: Number(head.split(' ')[1]), body, head: head.toLowerCase() };
}

// ---- capability token -----------------------------------------------------------------------

describe('wsListener with --ws-auth capability-token (docs/engine.md §9 rows)', () => {
  let listener: WsListener;
  const logs: LogLine[] = [];
  beforeAll(async () => {
    listener = await startWsListener({
      config: parseListenerOptions({ listen: 'ws://127.0.0.1:0', wsAuth: 'capability-token', wsTokenFile: tokenFile }),
      maxPayloadBytes: 64 * 1024,
      logger: captureLogger(logs),
      onConnection: (ws) => ws.on('message', (d) => ws.send(d)),
    });
  });
  afterAll(() => listener.dispose());

  it('binds a real port on 127.0.0.1', () => {
    expect(listener.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/);
    expect(listener.port).toBeGreaterThan(0);
  });

  it('no header → 401 missing; wrong → 401 invalid; right → 101', async () => {
    expect(await attempt(listener.url)).toEqual(r401('missing websocket bearer token'));
    expect(await attempt(listener.url, { authorization: 'Bearer wrong' })).toEqual(r401('invalid websocket bearer token'));
    expect(await attempt(listener.url, { authorization: `Bearer ${TOKEN}` })).toEqual(OK);
  });

  it('lowercase bearer → 101; padded spaces → 101; upgrade on any path → 101', async () => {
    expect(await attempt(listener.url, { authorization: `bearer ${TOKEN}` })).toEqual(OK);
    const padded = await rawHttp(listener.port, `GET / HTTP/1.1\nHost: x\n${UPGRADE}Authorization: Bearer    ${TOKEN}   \n\n`);
    expect(statusAndBody(padded).status).toBe(101);
    expect(await attempt(listener.url, { authorization: `Bearer ${TOKEN}` }, '/any/path?x=1')).toEqual(OK);
  });

  it('Basic → 401 invalid authorization header; ?token= → 401 missing', async () => {
    expect(await attempt(listener.url, { authorization: `Basic ${TOKEN}` })).toEqual(r401('invalid authorization header'));
    expect(await attempt(listener.url, {}, `/?token=${TOKEN}`)).toEqual(r401('missing websocket bearer token'));
  });

  it('right token + Origin → 403 with an empty body', async () => {
    expect(await attempt(listener.url, { authorization: `Bearer ${TOKEN}`, origin: 'http://127.0.0.1' })).toEqual({ status: 403, body: '' });
  });

  it('answers 401 as text/plain and logs a WARN with the peer address and reason, never the token', async () => {
    logs.length = 0;
    const raw = await rawHttp(listener.port, `GET / HTTP/1.1\nHost: x\n${UPGRADE}Authorization: Bearer ${TOKEN}-wrong\n\n`);
    const res = statusAndBody(raw);
    expect(res.status).toBe(401);
    expect(res.head).toContain('content-type: text/plain; charset=utf-8');
    expect(res.body).toBe('invalid websocket bearer token');
    const warn = logs.find((l) => l.level === 'warn');
    expect(warn?.msg).toBe('rejecting websocket client during upgrade');
    expect(warn?.fields).toMatchObject({ reason: 'invalid websocket bearer token' });
    expect(String(warn?.fields?.['peerAddr'])).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(JSON.stringify(logs)).not.toContain(TOKEN);
  });
});

// ---- signed bearer token --------------------------------------------------------------------

describe('wsListener with --ws-auth signed-bearer-token (docs/engine.md §9 rows)', () => {
  const secret = new TextEncoder().encode(SECRET);
  const ISS = 'codex-host-tests';
  const AUD = 'codex-app-server';
  const now = () => Math.floor(Date.now() / 1000);
  let listener: WsListener;
  beforeAll(async () => {
    listener = await startWsListener({
      config: parseListenerOptions({
        listen: 'ws://127.0.0.1:0',
        wsAuth: 'signed-bearer-token',
        wsSharedSecretFile: secretFile,
        wsIssuer: ISS,
        wsAudience: AUD,
        wsMaxClockSkewSeconds: 30,
      }),
      maxPayloadBytes: 64 * 1024,
      logger: captureLogger([]),
      onConnection: (ws) => ws.on('message', (d) => ws.send(d)),
    });
  });
  afterAll(() => listener.dispose());

  const sign = (claims: Record<string, unknown>, alg = 'HS256', key = secret) => new SignJWT(claims).setProtectedHeader({ alg, typ: 'JWT' }).sign(key);
  const valid = () => ({ iss: ISS, aud: AUD, exp: now() + 300 });
  const withJwt = async (token: string) => attempt(listener.url, { authorization: `Bearer ${token}` });
  const without = (claims: Record<string, unknown>, key: string) => Object.fromEntries(Object.entries(claims).filter(([k]) => k !== key));

  it('valid → 101; aud as an array containing ours → 101', async () => {
    expect(await withJwt(await sign(valid()))).toEqual(OK);
    expect(await withJwt(await sign({ ...valid(), aud: ['other', AUD] }))).toEqual(OK);
  });

  it('exp 60 s ago → expired; exp 10 s ago → 101 (skew 30)', async () => {
    expect(await withJwt(await sign({ ...valid(), exp: now() - 60 }))).toEqual(r401('expired websocket jwt'));
    expect(await withJwt(await sign({ ...valid(), exp: now() - 10 }))).toEqual(OK);
  });

  it('nbf +60 s → not valid yet; nbf +10 s → 101', async () => {
    expect(await withJwt(await sign({ ...valid(), nbf: now() + 60 }))).toEqual(r401('websocket jwt is not valid yet'));
    expect(await withJwt(await sign({ ...valid(), nbf: now() + 10 }))).toEqual(OK);
  });

  it('no exp → invalid websocket jwt', async () => {
    expect(await withJwt(await sign(without(valid(), 'exp')))).toEqual(r401('invalid websocket jwt'));
  });

  it('wrong or missing iss → issuer mismatch', async () => {
    expect(await withJwt(await sign({ ...valid(), iss: 'someone-else' }))).toEqual(r401('websocket jwt issuer mismatch'));
    expect(await withJwt(await sign(without(valid(), 'iss')))).toEqual(r401('websocket jwt issuer mismatch'));
  });

  it('wrong or missing aud → audience mismatch', async () => {
    expect(await withJwt(await sign({ ...valid(), aud: 'other' }))).toEqual(r401('websocket jwt audience mismatch'));
    expect(await withJwt(await sign(without(valid(), 'aud')))).toEqual(r401('websocket jwt audience mismatch'));
  });

  it('wrong signature, alg none, HS512 with the right secret, opaque token → invalid websocket jwt', async () => {
    const wrongKey = new TextEncoder().encode('another-secret-of-at-least-32-bytes!!');
    expect(await withJwt(await sign(valid(), 'HS256', wrongKey))).toEqual(r401('invalid websocket jwt'));
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    expect(await withJwt(`${b64({ alg: 'none', typ: 'JWT' })}.${b64(valid())}.`)).toEqual(r401('invalid websocket jwt'));
    expect(await withJwt(await sign(valid(), 'HS512'))).toEqual(r401('invalid websocket jwt'));
    expect(await withJwt('opaque-token-not-a-jwt')).toEqual(r401('invalid websocket jwt'));
  });

  it('skew 0: exp 2 s ago → expired', async () => {
    const strict = await start({ wsAuth: 'signed-bearer-token', wsSharedSecretFile: secretFile, wsMaxClockSkewSeconds: '0' });
    const token = await sign({ exp: now() - 2 });
    expect(await attempt(strict.url, { authorization: `Bearer ${token}` })).toEqual(r401('expired websocket jwt'));
    expect(await attempt(strict.url, { authorization: `Bearer ${await sign({ exp: now() + 60 })}` })).toEqual(OK);
  });
});

// ---- HTTP surface, bounds, lifecycle --------------------------------------------------------

describe('wsListener HTTP surface', () => {
  it('answers /readyz and /healthz 200 with an empty body without auth', async () => {
    const listener = await start({ wsAuth: 'capability-token', wsTokenFile: tokenFile });
    const base = listener.url.replace('ws://', 'http://');
    for (const path of ['/readyz', '/healthz']) {
      const res = await fetch(base + path);
      expect(res.status).toBe(200);
      expect(await res.text()).toBe('');
    }
    const head = statusAndBody(await rawHttp(listener.port, 'HEAD /healthz HTTP/1.1\nHost: x\nConnection: close\n\n'));
    expect(head.status).toBe(200);
    const post = statusAndBody(await rawHttp(listener.port, 'POST /readyz HTTP/1.1\nHost: x\nContent-Length: 0\nConnection: close\n\n'));
    expect(post.status).toBe(405);
  });

  it('refuses Origin-bearing requests with 403 on every path, health paths included', async () => {
    const listener = await start({});
    const base = listener.url.replace('ws://', 'http://');
    for (const path of ['/readyz', '/healthz', '/']) {
      const raw = await rawHttp(listener.port, `GET ${path} HTTP/1.1\nHost: x\nOrigin: http://evil.example\nConnection: close\n\n`);
      expect(statusAndBody(raw)).toMatchObject({ status: 403, body: '' });
    }
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
  });

  it('answers a plain GET with 400 and axum text; checks the upgrade headers in axum order', async () => {
    const listener = await start({});
    const res = await fetch(listener.url.replace('ws://', 'http://') + '/');
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await res.text()).toBe("Connection header did not include 'upgrade'");
    const cases: Array<[string, number, string]> = [
      ['POST / HTTP/1.1\nHost: x\nContent-Length: 0\nConnection: close\n\n', 405, 'Request method must be `GET`'],
      ['GET / HTTP/1.1\nHost: x\nConnection: Upgrade\n\n', 400, "`Upgrade` header did not include 'websocket'"],
      ['GET / HTTP/1.1\nHost: x\nConnection: Upgrade\nUpgrade: websocket\n\n', 400, '`Sec-WebSocket-Key` header missing'],
      [
        'GET / HTTP/1.1\nHost: x\nConnection: Upgrade\nUpgrade: websocket\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\nSec-WebSocket-Version: 8\n\n',
        400,
        "`Sec-WebSocket-Version` header did not include '13'",
      ],
    ];
    for (const [request, status, body] of cases) {
      expect(statusAndBody(await rawHttp(listener.port, request))).toMatchObject({ status, body });
    }
  });

  it('answers an upgrade to /readyz with 200, like the real server', async () => {
    const listener = await start({ wsAuth: 'capability-token', wsTokenFile: tokenFile });
    const raw = await rawHttp(listener.port, `GET /readyz HTTP/1.1\nHost: x\n${UPGRADE}\n`);
    expect(statusAndBody(raw)).toMatchObject({ status: 200, body: '' });
  });

  it('rejects oversized request headers with 431', async () => {
    const listener = await start({});
    const raw = await rawHttp(listener.port, `GET / HTTP/1.1\nHost: x\nX-Big: ${'a'.repeat(20_000)}\n${UPGRADE}\n`);
    expect(statusAndBody(raw).status).toBe(431);
  });
});

describe('wsListener bounds and lifecycle', () => {
  it('caps simultaneous connections with HTTP 503 and frees the slot on close', async () => {
    const listener = await start({}, { maxConnections: 2 });
    const open = async () => {
      const ws = new WebSocket(listener.url);
      await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
      return ws;
    };
    const a = await open();
    await open();
    expect(await attempt(listener.url)).toEqual({ status: 503, body: 'too many websocket connections (limit 2); try again later' });
    a.close();
    await new Promise((resolve) => a.once('close', resolve));
    for (let i = 0; i < 100 && listener.connectionCount() > 1; i++) await new Promise((r) => setTimeout(r, 20));
    expect(await attempt(listener.url)).toEqual(OK);
  });

  it('closes a connection that sends an oversized message with 1009', async () => {
    const listener = await start({}, { maxPayloadBytes: 1024 });
    const ws = new WebSocket(listener.url);
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    ws.send('x'.repeat(2048));
    expect(await closed).toBe(1009);
  });

  it('fails clearly when the port is taken', async () => {
    const first = await start({});
    const config = parseListenerOptions({ listen: `ws://127.0.0.1:${first.port}` });
    const second = startWsListener({ config, maxPayloadBytes: 1024, logger: captureLogger([]), onConnection: () => {} });
    await expect(second).rejects.toBeInstanceOf(WsListenerError);
    await expect(second).rejects.toThrow(`listen ws://127.0.0.1:${first.port}: address already in use`);
  });

  it('drops a client that stops answering pings, keeps one that answers', async () => {
    const listener = await start({}, { heartbeatIntervalMs: 100 });
    const silent = new WebSocket(listener.url, { autoPong: false });
    const healthy = new WebSocket(listener.url);
    await Promise.all([silent, healthy].map((ws) => new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject))));
    const silentClosed = new Promise<void>((resolve) => silent.once('close', () => resolve()));
    await silentClosed;
    expect(healthy.readyState).toBe(WebSocket.OPEN);
    healthy.close();
  });

  it('closes connected clients with 1001 and releases the port on close()', async () => {
    const listener = await startWsListener({
      config: parseListenerOptions({ listen: 'ws://127.0.0.1:0' }),
      maxPayloadBytes: 1024,
      logger: captureLogger([]),
      onConnection: () => {},
    });
    const ws = new WebSocket(listener.url);
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    const code = new Promise<number>((resolve) => ws.once('close', (c) => resolve(c)));
    await listener.dispose();
    expect(await code).toBe(1001);
    const again = await start({ listen: `ws://127.0.0.1:${listener.port}` });
    expect(again.port).toBe(listener.port);
  });

  it('hands onConnection the peer address', async () => {
    const seen: Array<{ remoteAddress: string; authorized: true }> = [];
    const listener = await start({}, { onConnection: (ws, info) => (seen.push(info), ws.close()) });
    const ws = new WebSocket(listener.url);
    await new Promise((resolve) => ws.once('close', resolve));
    expect(seen).toEqual([{ remoteAddress: '127.0.0.1', remotePort: expect.any(Number), authorized: true }]);
  });
});
