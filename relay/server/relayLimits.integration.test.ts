import { describe, expect, it } from 'vitest';
import { completeTestHandshake, randomDeviceId, registerTestHost, TestPeer } from '../testing/relayTestClient.js';
import { sleep, useRelay } from '../testing/useRelay.js';

const fx = useRelay();

describe('frame size', () => {
  it('closes a controller that sends more than maxFrameBytes with 1009', async () => {
    await fx.start({ maxFrameBytes: 1024 });
    const h = await fx.host();
    const s = await fx.session(h);
    s.controller.ws.send(Buffer.alloc(1024, 1));
    expect((await h.peer.nextBinary()).length).toBe(16 + 1024);
    s.controller.ws.send(Buffer.alloc(1025));
    expect((await s.controller.waitClosed()).code).toBe(1009);
    expect(await h.peer.nextJson()).toEqual({ t: 'closed', sid: s.sid });
  });

  it('lets a host send sid + maxFrameBytes and closes it with 1009 beyond', async () => {
    await fx.start({ maxFrameBytes: 1024 });
    const h = await fx.host();
    const s = await fx.session(h);
    h.peer.ws.send(Buffer.concat([Buffer.from(s.sid, 'hex'), Buffer.alloc(1024, 7)]));
    expect((await s.controller.nextBinary()).length).toBe(1024);
    h.peer.ws.send(Buffer.alloc(16 + 1025));
    expect((await h.peer.waitClosed()).code).toBe(1009);
    expect((await s.controller.waitClosed()).code).toBe(4404);
  });

  it('accepts the default 1 MiB payload', async () => {
    await fx.start();
    const h = await fx.host();
    const s = await fx.session(h);
    const big = Buffer.alloc(1024 * 1024, 9);
    s.controller.ws.send(big);
    expect((await h.peer.nextBinary()).subarray(16).equals(big)).toBe(true);
  });
});

describe('sessions per host', () => {
  it('closes the 65th concurrent session of a host with 4429 (default limit 64)', async () => {
    const r = await fx.start({ handshakeRate: { burst: 1000, perSecond: 1000 }, connectionRate: { burst: 1000, perSecond: 1000 } });
    const h = await fx.host();
    const sessions = [];
    // Established sessions: pending ones would make room for the newcomer (see below).
    for (let i = 0; i < 64; i++) {
      const s = await fx.session(h);
      await completeTestHandshake(h, s);
      sessions.push(s);
    }
    expect(r.stats().sessions).toBe(64);
    const extra = await fx.connect(`/v1/connect?host=${h.hostId}&device=${randomDeviceId()}`);
    expect(await extra.waitClosed()).toEqual({ code: 4429, reason: 'too many sessions' });
    expect(extra.pending).toEqual([]);
    // A slot frees up when a controller leaves.
    sessions[0]!.controller.ws.close();
    expect((await h.peer.nextJson()).t).toBe('closed');
    await fx.session(h);
    for (const s of sessions) s.controller.ws.terminate();
  });
});

describe('rate limits', () => {
  it('closes connections beyond the per-address connection rate with 4429', async () => {
    const r = await fx.start({ connectionRate: { burst: 2, perSecond: 0.001 } });
    const a = await fx.connect('/v1/host');
    await fx.connect('/v1/host');
    const c = await fx.connect('/v1/host');
    expect(await c.waitClosed()).toEqual({ code: 4429, reason: 'rate limited' });
    expect((await a.nextJson()).t).toBe('challenge');
    expect(r.stats().rateLimited).toBe(1);
  });

  it('closes handshakes (registrations, session opens) beyond the per-address rate with 4429', async () => {
    const r = await fx.start({ handshakeRate: { burst: 2, perSecond: 0.001 } });
    const h = await fx.host(); // token 1
    await fx.session(h); // token 2
    const c = await fx.connect(`/v1/connect?host=${h.hostId}&device=${randomDeviceId()}`);
    expect(await c.waitClosed()).toEqual({ code: 4429, reason: 'rate limited' });
    await expect(registerTestHost(r.url)).rejects.toThrow(/closed 4429/);
  });
});

describe('liveness', () => {
  const fast = { pingIntervalMs: 100, idleTimeoutMs: 400, sweepIntervalMs: 25 } as const;

  it('keeps quiet peers that answer pings', async () => {
    const r = await fx.start(fast);
    const h = await fx.host();
    const s = await fx.session(h);
    await sleep(1000);
    expect(r.stats()).toMatchObject({ hosts: 1, sessions: 1 });
    s.controller.ws.send(Buffer.from([5]));
    expect([...(await h.peer.nextBinary()).subarray(16)]).toEqual([5]);
  });

  it('drops a silent controller and tells its host `closed`', async () => {
    const r = await fx.start(fast);
    const h = await fx.host();
    const s = await fx.session(h);
    s.controller.ws.pause(); // reads nothing, so answers no ping
    const t0 = Date.now();
    expect(await h.peer.nextJson(3000)).toEqual({ t: 'closed', sid: s.sid });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(300);
    expect(r.stats().sessions).toBe(0);
    s.controller.ws.terminate();
  });

  it('drops a silent host and closes its controllers with 4404', async () => {
    const r = await fx.start(fast);
    const h = await fx.host();
    const s = await fx.session(h);
    h.peer.ws.pause();
    expect(await s.controller.waitClosed(3000)).toEqual({ code: 4404, reason: 'host disconnected' });
    expect(r.stats().hosts).toBe(0);
  });

  it('closes a controller whose handshake does not finish within sessionHandshakeTimeoutMs with 4408', async () => {
    const r = await fx.start({ sessionHandshakeTimeoutMs: 400, sweepIntervalMs: 25 });
    const h = await fx.host();
    const quiet = await fx.session(h);
    const active = await fx.session(h);
    await completeTestHandshake(h, active);
    expect(await quiet.controller.waitClosed()).toEqual({ code: 4408, reason: 'handshake timeout' });
    expect(await h.peer.nextJson()).toEqual({ t: 'closed', sid: quiet.sid });
    await sleep(300);
    expect(r.stats().sessions).toBe(1);
  });
});

describe('backpressure', () => {
  it('closes a controller that does not read once its queue passes maxBufferedBytes, and tells the host', async () => {
    const r = await fx.start({ maxBufferedBytes: 256 * 1024 });
    const h = await fx.host();
    const s = await fx.session(h);
    s.controller.ws.pause();
    const frame = Buffer.concat([Buffer.from(s.sid, 'hex'), Buffer.alloc(512 * 1024)]);
    let closed: Record<string, unknown> | undefined;
    for (let i = 0; i < 400 && !closed; i++) {
      h.peer.ws.send(frame);
      await sleep(5);
      const m = h.peer.pending[0];
      if (m && !m.binary) closed = m.json;
    }
    expect(closed).toEqual({ t: 'closed', sid: s.sid });
    expect(r.stats()).toMatchObject({ slowConsumers: 1, sessions: 0, hosts: 1 });
    s.controller.ws.terminate();
  });
});

describe('connection cap', () => {
  it('refuses upgrades beyond maxConnections with HTTP 503', async () => {
    const r = await fx.start({ maxConnections: 2 });
    await fx.connect('/v1/host');
    await fx.connect('/v1/host');
    await expect(TestPeer.connect(`${r.url}/v1/host`)).rejects.toThrow('HTTP 503');
  });
});
