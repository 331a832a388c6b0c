import { describe, expect, it } from 'vitest';
import { generateIdentity, idFromPublicKey, signRegister } from '../../shared/crypto/identity.js';
import vectors from '../../shared/testing/remote-protocol-vectors.json' with { type: 'json' };
import { fromB64u, fromHex, toB64u } from '../../shared/util/encoding.js';
import { createLineLogger } from '../../shared/util/logger.js';
import { openTestSession, randomDeviceId, registerTestHost, TestPeer } from '../testing/relayTestClient.js';
import { useRelay } from '../testing/useRelay.js';
import { shortId } from './shortId.js';

const fx = useRelay();
const start = fx.start;
const connect = fx.connect;

describe('relay HTTP', () => {
  it('answers /healthz with 200, plain GETs of the WebSocket endpoints with 426, and unknown paths with 404', async () => {
    const r = await start();
    expect(r.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/);
    expect(r.httpUrl).toBe(r.url.replace('ws://', 'http://'));
    const health = await fetch(`${r.httpUrl}/healthz`);
    expect([health.status, await health.text()]).toEqual([200, 'ok\n']);
    expect((await fetch(`${r.httpUrl}/v1/host`)).status).toBe(426);
    expect((await fetch(`${r.httpUrl}/nope`)).status).toBe(404);
    await expect(TestPeer.connect(`${r.url}/v1/other`)).rejects.toThrow('HTTP 404');
  });

  it('lets a static handler serve other paths and 404s what it declines', async () => {
    const r = await start({
      staticHandler: (req, res) => {
        if (req.url !== '/pair') return false;
        res.writeHead(200, { 'content-type': 'text/html' }).end('<h1>pair</h1>');
        return true;
      },
    });
    const page = await fetch(`${r.httpUrl}/pair`);
    expect([page.status, await page.text()]).toEqual([200, '<h1>pair</h1>']);
    expect((await fetch(`${r.httpUrl}/other`)).status).toBe(404);
  });
});

describe('host registration', () => {
  it('registers a host that signs the challenge and reports it in stats', async () => {
    const r = await start();
    const identity = generateIdentity();
    const host = await registerTestHost(r.url, identity);
    expect(host.hostId).toBe(idFromPublicKey(identity.publicKey));
    expect(r.stats()).toMatchObject({ hosts: 1, sessions: 0, connections: 1 });
  });

  it('accepts the spec vector registration (fixed nonce) and opens a session with the vector sid', async () => {
    const r = await start({ randomBytes: (n) => fromHex(n === 32 ? vectors.inputs.register_nonce : vectors.inputs.sid) });
    const p = await connect('/v1/host');
    expect(await p.nextJson()).toEqual({ t: 'challenge', nonce: toB64u(fromHex(vectors.inputs.register_nonce)) });
    p.sendJson({ t: 'register', key: toB64u(fromHex(vectors.identities.host_key)), sig: toB64u(fromHex(vectors.register.signature)) });
    expect(await p.nextJson()).toEqual({ t: 'registered', host: vectors.identities.host_id });
    const c = await connect(`/v1/connect?host=${vectors.identities.host_id}&device=${vectors.identities.device_id}`);
    expect(await c.nextJson()).toEqual({ t: 'ready', sid: vectors.inputs.sid });
    expect(await p.nextJson()).toEqual({ t: 'open', sid: vectors.inputs.sid, device: vectors.identities.device_id });
    expect(r.stats()).toMatchObject({ hosts: 1, sessions: 1 });
  });

  it('sends a 32-byte base64url nonce in the challenge', async () => {
    await start();
    const p = await connect('/v1/host');
    const challenge = await p.nextJson();
    expect(challenge.t).toBe('challenge');
    expect(fromB64u(challenge.nonce as string)).toHaveLength(32);
  });

  it('closes with 4401 on a signature over the wrong nonce', async () => {
    await start();
    const p = await connect('/v1/host');
    await p.nextJson();
    const id = generateIdentity();
    const sig = signRegister(id, new Uint8Array(32));
    p.sendJson({ t: 'register', key: toB64u(id.publicKey), sig: toB64u(sig) });
    expect(await p.waitClosed()).toEqual({ code: 4401, reason: 'bad signature' });
    expect(fx.relay.stats().hosts).toBe(0);
  });

  it.each([
    ['not JSON', 'hello'],
    ['an extra field', JSON.stringify({ t: 'register', key: 'A'.repeat(43), sig: 'A'.repeat(86), x: 1 })],
    ['a short key', JSON.stringify({ t: 'register', key: 'AAAA', sig: 'A'.repeat(86) })],
    ['a non-canonical base64url key', JSON.stringify({ t: 'register', key: 'A'.repeat(42) + 'B', sig: 'A'.repeat(86) })],
  ])('closes with 4401 on a malformed register (%s)', async (_name, text) => {
    await start();
    const p = await connect('/v1/host');
    await p.nextJson();
    p.ws.send(text);
    expect(await p.waitClosed()).toEqual({ code: 4401, reason: 'malformed register' });
  });

  it('closes a host that does not register in time with 4408', async () => {
    await start({ registrationTimeoutMs: 200, sweepIntervalMs: 25 });
    const p = await connect('/v1/host');
    const t0 = Date.now();
    expect(await p.waitClosed()).toEqual({ code: 4408, reason: 'registration timeout' });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(150);
  });

  it('replaces an older registration of the same host: the old connection gets 4409, its sessions 4404', async () => {
    const r = await start();
    const identity = generateIdentity();
    const first = await registerTestHost(r.url, identity);
    const oldSession = await openTestSession(r.url, first);
    const second = await registerTestHost(r.url, identity);
    expect(await first.peer.waitClosed()).toEqual({ code: 4409, reason: 'replaced by a newer registration' });
    expect((await oldSession.controller.waitClosed()).code).toBe(4404);
    const s = await openTestSession(r.url, second);
    s.controller.ws.send(Buffer.from([1, 2, 3]));
    expect([...(await second.peer.nextBinary()).subarray(16)]).toEqual([1, 2, 3]);
    expect(r.stats()).toMatchObject({ hosts: 1, sessions: 1 });
  });
});

describe('controller connect', () => {
  it('tells a controller of an unknown host `offline` and closes with 4404', async () => {
    await start();
    const p = await connect(`/v1/connect?host=${'a'.repeat(32)}&device=${'b'.repeat(32)}`);
    expect(await p.nextJson()).toEqual({ t: 'offline' });
    expect(await p.waitClosed()).toEqual({ code: 4404, reason: 'host offline' });
  });

  it.each([
    ['no query', '', 'bad host id'],
    ['uppercase host', `?host=${'A'.repeat(32)}&device=${'b'.repeat(32)}`, 'bad host id'],
    ['short device', `?host=${'a'.repeat(32)}&device=abc`, 'bad device id'],
    ['repeated host', `?host=${'a'.repeat(32)}&host=${'c'.repeat(32)}&device=${'b'.repeat(32)}`, 'bad host id'],
  ])('closes with 4400 on a bad query (%s)', async (_name, query, reason) => {
    await start();
    const p = await connect(`/v1/connect${query}`);
    expect(await p.waitClosed()).toEqual({ code: 4400, reason });
    expect(p.pending).toEqual([]);
  });

  it('sends the host `open` and the controller `ready` with the same fresh 32-hex sid', async () => {
    const r = await start();
    const host = await registerTestHost(r.url);
    const deviceId = randomDeviceId();
    const c = await connect(`/v1/connect?host=${host.hostId}&device=${deviceId}`);
    const ready = await c.nextJson();
    const open = await host.peer.nextJson();
    expect(ready).toEqual({ t: 'ready', sid: expect.stringMatching(/^[0-9a-f]{32}$/) });
    expect(open).toEqual({ t: 'open', sid: ready.sid, device: deviceId });
    const other = await openTestSession(r.url, host);
    expect(other.sid).not.toBe(ready.sid);
    expect(r.stats().sessions).toBe(2);
  });
});

describe('relay logs', () => {
  it('never contain a host id, device id or sid in full, only short hashes', async () => {
    const lines: string[] = [];
    const r = await start({ logger: createLineLogger((l) => lines.push(l), 'debug') });
    const host = await registerTestHost(r.url);
    const s = await openTestSession(r.url, host);
    s.controller.ws.send(Buffer.from('x'));
    await host.peer.nextBinary();
    host.peer.sendJson({ t: 'close', sid: s.sid, code: 4403, reason: 'expired' });
    await s.controller.waitClosed();
    const s2 = await openTestSession(r.url, host);
    s2.controller.ws.close();
    await host.peer.nextJson();
    host.peer.ws.close();
    await host.peer.waitClosed();
    await r.dispose();
    const all = lines.join('\n');
    expect(all).toContain(shortId(host.hostId));
    expect(all).toContain(shortId(s.sid));
    for (const id of [host.hostId, s.deviceId, s.sid, s2.deviceId, s2.sid]) expect(all).not.toContain(id);
  });
});

describe('relay shutdown', () => {
  it('closes hosts and controllers with 1001 and refuses new connections', async () => {
    const r = await start();
    const host = await registerTestHost(r.url);
    const s = await openTestSession(r.url, host);
    await r.dispose();
    expect((await host.peer.waitClosed()).code).toBe(1001);
    expect(await s.controller.waitClosed()).toEqual({ code: 1001, reason: 'relay shutting down' });
    await expect(TestPeer.connect(`${r.url}/v1/host`)).rejects.toThrow();
  });
});
