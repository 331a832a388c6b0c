// The relay's own TLS (docs/relay.md "HTTPS"): HTTPS and WSS with a certificate from two PEM
// files, reloaded when they change (a bad replacement keeps the old one), and the raw-socket
// guard still ending a TLS connection that never sends a request.
import { copyFileSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createLineLogger } from '../../shared/util/logger.js';
import { makeTestCertificate } from '../testing/testCertificate.js';
import { startRelay, type Relay } from './relayServer.js';
import { RelayTlsError } from './relayTls.js';

let relay: Relay | undefined;
afterEach(async () => {
  await relay?.dispose();
  relay = undefined;
});

function get(url: string, ca: string): Promise<{ status: number; body: string; peerCert: string }> {
  return new Promise((resolve, reject) => {
    const req = https.get(url, { ca, agent: false }, (res) => {
      let body = '';
      const peerCert = (res.socket as tls.TLSSocket).getPeerCertificate().fingerprint256;
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, peerCert }));
    });
    req.on('error', reject);
  });
}

describe('the relay over TLS', () => {
  it('serves https and wss on its port, with wss:// and https:// addresses', async () => {
    const cert = makeTestCertificate();
    relay = await startRelay({ tls: { certFile: cert.certFile, keyFile: cert.keyFile } });
    expect(relay.url).toMatch(/^wss:\/\/127\.0\.0\.1:\d+$/);
    expect(relay.httpUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(await get(`${relay.httpUrl}/healthz`, cert.cert)).toMatchObject({ status: 200, body: 'ok\n' });

    // A controller of a host that is not registered: the WebSocket opens over TLS and is told "offline".
    const ws = new WebSocket(`${relay.url}/v1/connect?host=${'a'.repeat(32)}&device=${'b'.repeat(32)}`, { ca: cert.cert });
    const said: string[] = [];
    ws.on('message', (d) => said.push(String(d)));
    const closed = await new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: String(reason) })));
    expect(said).toEqual(['{"t":"offline"}']);
    expect(closed).toEqual({ code: 4404, reason: 'host offline' });
  });

  it('a plain-http request to the TLS port gets no answer, and a client that does not trust the certificate is refused', async () => {
    const cert = makeTestCertificate();
    relay = await startRelay({ tls: { certFile: cert.certFile, keyFile: cert.keyFile } });
    await expect(get(`${relay.httpUrl}/healthz`, makeTestCertificate().cert)).rejects.toThrow(/self-signed|unable to verify|certificate/);
    const port = relay.port;
    const text = await new Promise<string>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => s.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n'));
      let got = '';
      s.on('data', (c: Buffer) => (got += c.toString('latin1')));
      s.on('close', () => resolve(got));
    });
    expect(text).not.toContain('200');
  });

  it('loads a renewed certificate for new connections; a replacement that does not load keeps the old one', async () => {
    const first = makeTestCertificate({ commonName: 'first' });
    const lines: string[] = [];
    relay = await startRelay({ tls: { certFile: first.certFile, keyFile: first.keyFile }, logger: createLineLogger((l) => lines.push(l), 'info') });
    const before = await get(`${relay.httpUrl}/healthz`, first.cert);

    // A half-written renewal: the old certificate keeps serving.
    writeFileSync(first.certFile, '-----BEGIN CERTIFICATE-----\nnot yet\n');
    await expect.poll(() => lines.some((l) => l.includes('does not load; still using the previous one')), { timeout: 10_000 }).toBe(true);
    expect((await get(`${relay.httpUrl}/healthz`, first.cert)).peerCert).toBe(before.peerCert);

    // The renewal lands (both files replaced).
    const second = makeTestCertificate({ commonName: 'second' });
    copyFileSync(second.keyFile, first.keyFile);
    copyFileSync(second.certFile, first.certFile);
    await expect.poll(async () => (await get(`${relay!.httpUrl}/healthz`, second.cert).catch(() => undefined))?.peerCert, { timeout: 10_000 }).toBeDefined();
    const after = await get(`${relay.httpUrl}/healthz`, second.cert);
    expect(after.peerCert).not.toBe(before.peerCert);
    expect(lines.some((l) => l.includes('TLS certificate reloaded'))).toBe(true);
  }, 30_000);

  it('drops a TLS connection that never completes a request at the header deadline', async () => {
    const cert = makeTestCertificate();
    relay = await startRelay({ tls: { certFile: cert.certFile, keyFile: cert.keyFile }, httpHeadersTimeoutMs: 400 });
    const started = performance.now();
    const ended = await new Promise<number>((resolve) => {
      // The handshake completes; then nothing is sent.
      const s = tls.connect({ host: '127.0.0.1', port: relay!.port, ca: cert.cert }, () => {});
      s.on('error', () => {});
      s.on('close', () => resolve(performance.now() - started));
    });
    expect(ended).toBeGreaterThan(300);
    expect(ended).toBeLessThan(3000);
  });

  it('refuses to start with files that are missing or do not belong together', async () => {
    const a = makeTestCertificate();
    const b = makeTestCertificate();
    await expect(startRelay({ tls: { certFile: '/nonexistent/cert.pem', keyFile: a.keyFile } })).rejects.toThrow(RelayTlsError);
    await expect(startRelay({ tls: { certFile: a.certFile, keyFile: b.keyFile } })).rejects.toThrow(/do not load/);
  });
});
