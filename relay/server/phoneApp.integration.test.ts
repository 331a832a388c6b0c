// The phone app as the relay serves it (docs/relay.md "Serving the phone app"): exactly the
// built files, the app at / and /pair, strict headers on every answer, gzip when asked for.
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { loadPhoneApp, PHONE_APP_CSP, phoneAppHandler, PhoneAppError } from './phoneApp.js';
import { startRelay, type Relay } from './relayServer.js';

let relay: Relay | undefined;
afterEach(async () => {
  await relay?.dispose();
  relay = undefined;
});

async function build(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'phone-app-'));
  await mkdir(path.join(dir, 'assets'));
  await writeFile(path.join(dir, 'index.html'), `<!doctype html><title>Codex</title>${' '.repeat(600)}`);
  await writeFile(path.join(dir, 'sw.js'), 'self.addEventListener("push", () => {});');
  await writeFile(path.join(dir, 'manifest.webmanifest'), '{"name":"Codex"}');
  await writeFile(path.join(dir, 'assets', 'index-abc123.js'), `console.log(1);${'x'.repeat(2000)}`);
  await writeFile(path.join(dir, '.secret'), 'no');
  return dir;
}

function request(url: string, init: { method?: string; headers?: Record<string, string> } = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: init.method ?? 'GET', headers: init.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the phone app on the relay', () => {
  it('answers the app at / and /pair, the built files by exact path, and nothing else', async () => {
    relay = await startRelay({ staticHandler: phoneAppHandler(await loadPhoneApp(await build())) });
    for (const p of ['/', '/pair', '/index.html', '/pair?x=1']) {
      const r = await request(`${relay.httpUrl}${p}`);
      expect(r.status, p).toBe(200);
      expect(r.body.toString()).toContain('<title>Codex</title>');
      expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(r.headers['cache-control']).toBe('no-cache');
    }
    const asset = await request(`${relay.httpUrl}/assets/index-abc123.js`);
    expect([asset.status, asset.headers['cache-control']]).toEqual([200, 'public, max-age=31536000, immutable']);
    const sw = await request(`${relay.httpUrl}/sw.js`);
    expect([sw.status, sw.headers['service-worker-allowed'], sw.headers['cache-control']]).toEqual([200, '/', 'no-cache']);
    expect((await request(`${relay.httpUrl}/manifest.webmanifest`)).headers['content-type']).toBe('application/manifest+json');
    for (const p of ['/.secret', '/assets', '/../package.json', '/pair/', '/PAIR', '/healthz/x']) expect((await request(`${relay.httpUrl}${p}`)).status, p).toBe(404);
    // The relay's own endpoints are untouched.
    expect((await request(`${relay.httpUrl}/healthz`)).status).toBe(200);
    expect((await request(`${relay.httpUrl}/v1/connect`)).status).toBe(426);
  });

  it('sends a strict CSP and hardening headers, refuses other methods, and gzips for clients that ask', async () => {
    relay = await startRelay({ staticHandler: phoneAppHandler(await loadPhoneApp(await build())) });
    const r = await request(`${relay.httpUrl}/pair`);
    expect(r.headers['content-security-policy']).toBe(PHONE_APP_CSP);
    expect(PHONE_APP_CSP).toContain("script-src 'self'");
    expect(PHONE_APP_CSP).not.toContain('unsafe');
    expect(r.headers).toMatchObject({ 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer', 'x-frame-options': 'DENY' });
    const post = await request(`${relay.httpUrl}/pair`, { method: 'POST' });
    expect([post.status, post.headers.allow]).toEqual([405, 'GET, HEAD']);
    const head = await request(`${relay.httpUrl}/`, { method: 'HEAD' });
    expect([head.status, head.body.length]).toEqual([200, 0]);
    const gz = await request(`${relay.httpUrl}/assets/index-abc123.js`, { headers: { 'accept-encoding': 'gzip, br' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).toString()).toMatch(/^console\.log\(1\);x+$/);
    expect(gz.headers.vary).toBe('Accept-Encoding');
  });

  it('a folder without a build says how to make one', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'phone-app-empty-'));
    await expect(loadPhoneApp(dir)).rejects.toThrow(PhoneAppError);
    await expect(loadPhoneApp(dir)).rejects.toThrow(/the phone app is not built .*run `npm run build` first/);
  });
});
