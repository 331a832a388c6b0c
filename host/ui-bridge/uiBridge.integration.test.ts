/**
 * The bridge on a real loopback socket, in process: what it serves (and with which headers),
 * and every refusal a browser or a stray process can meet, with the accepted socket handed on
 * only after a valid hello (and without it).
 */
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Transport } from '../../shared/rpc/transport.js';
import { createLineLogger } from '../../shared/util/logger.js';
import type { StaticFile } from './staticSite.js';
import { startUiBridge, type UiBridge } from './uiBridge.js';

const TOKEN = 'T'.repeat(43);
const lines: string[] = [];
const logger = createLineLogger((l) => lines.push(l), 'debug');
const site = new Map<string, StaticFile>([
  ['/', { body: Buffer.from('<html>app</html>'), contentType: 'text/html; charset=utf-8', cacheControl: 'no-store' }],
  ['/index.html', { body: Buffer.from('<html>app</html>'), contentType: 'text/html; charset=utf-8', cacheControl: 'no-store' }],
  ['/assets/a.js', { body: Buffer.from('console.log(1)'), contentType: 'text/javascript; charset=utf-8', cacheControl: 'public, max-age=31536000, immutable' }],
]);

let bridge: UiBridge | undefined;
const accepted: { transport: Transport; messages: string[] }[] = [];

afterEach(async () => {
  await bridge?.dispose();
  bridge = undefined;
  accepted.length = 0;
  lines.length = 0;
});

async function start(limits: { maxConnections?: number; helloTimeoutMs?: number } = {}): Promise<UiBridge> {
  bridge = await startUiBridge({
    listen: { host: '127.0.0.1', port: 0 },
    token: TOKEN,
    site,
    maxPayloadBytes: 1024 * 1024,
    logger,
    limits,
    onConnection: (transport) => {
      const entry = { transport, messages: [] as string[] };
      transport.onMessage((t) => entry.messages.push(t));
      accepted.push(entry);
    },
  });
  return bridge;
}

function open(b: UiBridge, headers: Record<string, string> = { Origin: b.origin }): Promise<{ ws: WebSocket; closed: Promise<{ code: number; reason: string }> } | { status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${b.origin.replace('http', 'ws')}/ws`, { headers });
    const closed = new Promise<{ code: number; reason: string }>((r) => ws.on('close', (code, reason) => r({ code, reason: reason.toString() })));
    ws.on('open', () => resolve({ ws, closed }));
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    ws.on('error', (e) => reject(e));
  });
}

const until = async (cond: () => boolean, ms = 3000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('the browser bridge', () => {
  it('serves the built files with a strict CSP, and only those', async () => {
    const b = await start();
    const res = await fetch(`${b.origin}/`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('<html>app</html>');
    expect(res.headers.get('content-security-policy')).toContain(`connect-src ws://127.0.0.1:${b.port}/ws`);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('cache-control')).toBe('no-store');
    const asset = await fetch(`${b.origin}/assets/a.js`);
    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(asset.headers.get('cache-control')).toContain('immutable');
    for (const p of ['/../package.json', '/%2e%2e/etc/passwd', '/assets/', '/nope.js']) expect((await fetch(`${b.origin}${p}`)).status).toBe(404);
    expect((await fetch(`${b.origin}/`, { method: 'POST' })).status).toBe(405);
  });

  it('prints a URL with the token in the fragment only, and never logs the token', async () => {
    const b = await start();
    expect(b.url).toBe(`${b.origin}/#token=${TOKEN}`);
    const c = await open(b);
    if (!('ws' in c)) throw new Error('expected an upgrade');
    c.ws.send(JSON.stringify({ type: 'hello', token: 'wrong-token' }));
    await c.closed;
    expect(lines.join('\n')).not.toContain(TOKEN);
    expect(lines.join('\n')).not.toContain('wrong-token');
  });

  it('hands on a window after a valid hello; the hello itself never reaches the hub', async () => {
    const b = await start();
    const c = await open(b);
    if (!('ws' in c)) throw new Error('expected an upgrade');
    c.ws.send(JSON.stringify({ type: 'hello', token: TOKEN, environment: 'local' }));
    c.ws.send('{"id":1,"method":"initialize","params":{}}');
    await until(() => accepted.length === 1 && accepted[0]!.messages.length === 1);
    expect(accepted[0]!.messages).toEqual(['{"id":1,"method":"initialize","params":{}}']);
    c.ws.close();
  });

  it.each([
    ['a wrong token', { type: 'hello', token: 'nope' }, 4401],
    ['a malformed hello', { type: 'auth', token: TOKEN }, 4400],
    ['an unknown environment', { type: 'hello', token: TOKEN, environment: 'ssh:prod' }, 4404],
  ])('closes on %s with its close code and hands nothing on', async (_what, hello, code) => {
    const b = await start();
    const c = await open(b);
    if (!('ws' in c)) throw new Error('expected an upgrade');
    c.ws.send(JSON.stringify(hello));
    expect((await c.closed).code).toBe(code);
    expect(accepted).toHaveLength(0);
  });

  it('closes a window that sends no hello in time', async () => {
    const b = await start({ helloTimeoutMs: 100 });
    const c = await open(b);
    if (!('ws' in c)) throw new Error('expected an upgrade');
    expect((await c.closed).code).toBe(4408);
    expect(accepted).toHaveLength(0);
  });

  it('refuses before the upgrade: another origin or none (403), a foreign Host (421), past the cap (503)', async () => {
    const b = await start({ maxConnections: 1 });
    expect(await open(b, { Origin: 'http://evil.example' })).toMatchObject({ status: 403 });
    expect(await open(b, {})).toMatchObject({ status: 403 });
    expect(await open(b, { Origin: b.origin, Host: 'evil.example' })).toMatchObject({ status: 421 });
    const first = await open(b);
    expect('ws' in first).toBe(true);
    expect(await open(b)).toMatchObject({ status: 503, body: expect.stringContaining('too many windows') });
    if ('ws' in first) first.ws.close();
  });

  it('answers plain requests for a foreign Host with 421 (a DNS-rebinding page gets nothing)', async () => {
    const b = await start();
    const res = await new Promise<number>((resolve) => {
      void import('node:http').then(({ request }) => {
        const req = request({ host: '127.0.0.1', port: b.port, path: '/', headers: { Host: 'evil.example' } }, (r) => resolve(r.statusCode ?? 0));
        req.end();
      });
    });
    expect(res).toBe(421);
  });
});
