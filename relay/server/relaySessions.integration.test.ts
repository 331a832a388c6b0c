import { describe, expect, it } from 'vitest';
import type { RelayOptions } from './limits.js';
import type { Relay } from './relayServer.js';
import { hostFrame as frameFromHost, openTestSession, type TestHost } from '../testing/relayTestClient.js';
import { useRelay } from '../testing/useRelay.js';

const fx = useRelay();

async function setup(options: RelayOptions = {}): Promise<{ relay: Relay; host: TestHost }> {
  const relay = await fx.start(options);
  return { relay, host: await fx.host() };
}

describe('session data', () => {
  it('forwards controller payloads to the host as sid || payload, bytes exact, in order', async () => {
    const { relay, host } = await setup();
    const s = await openTestSession(relay.url, host);
    const payloads = Array.from({ length: 50 }, (_, i) => Buffer.from(Array.from({ length: i * 97 }, (_, j) => (i * 31 + j) & 255)));
    for (const p of payloads) s.controller.ws.send(p);
    for (const p of payloads) {
      const frame = await host.peer.nextBinary();
      expect(frame.subarray(0, 16).toString('hex')).toBe(s.sid);
      expect(frame.subarray(16).equals(p)).toBe(true);
    }
  });

  it('forwards host payloads to the right controller without the sid, bytes exact, in order', async () => {
    const { relay, host } = await setup();
    const a = await openTestSession(relay.url, host);
    const b = await openTestSession(relay.url, host);
    const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    for (let i = 0; i < 20; i++) {
      host.peer.ws.send(frameFromHost(a.sid, all.subarray(i)));
      host.peer.ws.send(frameFromHost(b.sid, Buffer.from([i])));
    }
    host.peer.ws.send(frameFromHost(a.sid, new Uint8Array(0)));
    for (let i = 0; i < 20; i++) {
      expect((await a.controller.nextBinary()).equals(all.subarray(i))).toBe(true);
      expect([...(await b.controller.nextBinary())]).toEqual([i]);
    }
    expect(await a.controller.nextBinary()).toHaveLength(0);
  });

  it('drops and counts host frames for unknown sids, keeping the host connected', async () => {
    const { relay, host } = await setup();
    const s = await openTestSession(relay.url, host);
    host.peer.ws.send(frameFromHost('f'.repeat(32), Buffer.from('lost')));
    host.peer.ws.send(frameFromHost(s.sid, Buffer.from('kept')));
    expect((await s.controller.nextBinary()).toString()).toBe('kept');
    expect(relay.stats().unknownSidFrames).toBe(1);
  });

  it('delivers a ClientHello the controller sent before reading `ready`', async () => {
    const { relay, host } = await setup();
    const { WebSocket } = await import('ws');
    const ws = new WebSocket(`${relay.url}/v1/connect?host=${host.hostId}&device=${'d'.repeat(32)}`);
    ws.on('open', () => ws.send(Buffer.from([1, 1, 2])));
    const open = await host.peer.nextJson();
    const frame = await host.peer.nextBinary();
    expect(frame.subarray(0, 16).toString('hex')).toBe(open.sid);
    expect([...frame.subarray(16)]).toEqual([1, 1, 2]);
    ws.terminate();
  });
});

describe('session close', () => {
  it('tells the host `closed` when the controller goes away', async () => {
    const { relay, host } = await setup();
    const s = await openTestSession(relay.url, host);
    s.controller.ws.close(1000);
    expect(await host.peer.nextJson()).toEqual({ t: 'closed', sid: s.sid });
    expect(relay.stats().sessions).toBe(0);
  });

  it('closes the controller with the code and reason of a host `close` within 1 s', async () => {
    const { relay, host } = await setup();
    const s = await openTestSession(relay.url, host);
    const t0 = Date.now();
    host.peer.sendJson({ t: 'close', sid: s.sid, code: 4403, reason: 'expired' });
    expect(await s.controller.waitClosed(1000)).toEqual({ code: 4403, reason: 'expired' });
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(relay.stats().sessions).toBe(0);
    // The host asked for it: it is not told `closed` back, and stays registered.
    const s2 = await openTestSession(relay.url, host);
    expect(s2.sid).not.toBe(s.sid);
  });

  it.each([
    ['an RFC code', { t: 'close', sid: 'a'.repeat(32), code: 1000, reason: 'x' }],
    ['an unknown type', { t: 'hello' }],
    ['a reason over 123 bytes', { t: 'close', sid: 'a'.repeat(32), code: 4403, reason: 'é'.repeat(62) }],
  ])('closes the host with 4400 on a malformed control message (%s)', async (_name, msg) => {
    const { host } = await setup();
    host.peer.sendJson(msg);
    expect(await host.peer.waitClosed()).toEqual({ code: 4400, reason: 'malformed control message' });
  });

  it('closes the host with 4400 on invalid JSON and on a frame shorter than a sid', async () => {
    const { host } = await setup();
    host.peer.ws.send('{nope');
    expect(await host.peer.waitClosed()).toEqual({ code: 4400, reason: 'malformed control message' });
    const other = await fx.host();
    other.peer.ws.send(Buffer.alloc(15));
    expect(await other.peer.waitClosed()).toEqual({ code: 4400, reason: 'frame shorter than a sid' });
  });

  it('closes a controller that sends a text frame with 4400 and tells the host', async () => {
    const { relay, host } = await setup();
    const s = await openTestSession(relay.url, host);
    s.controller.ws.send('{"t":"hello"}');
    expect(await s.controller.waitClosed()).toEqual({ code: 4400, reason: 'text frames are not part of the protocol' });
    expect(await host.peer.nextJson()).toEqual({ t: 'closed', sid: s.sid });
  });

  it('closes every controller of a host whose connection closes, with 4404', async () => {
    const { relay, host } = await setup();
    const a = await openTestSession(relay.url, host);
    const b = await openTestSession(relay.url, host);
    host.peer.ws.close(1000);
    expect(await a.controller.waitClosed()).toEqual({ code: 4404, reason: 'host disconnected' });
    expect(await b.controller.waitClosed()).toEqual({ code: 4404, reason: 'host disconnected' });
    expect(relay.stats()).toMatchObject({ hosts: 0, sessions: 0 });
  });
});
