import { describe, expect, it } from 'vitest';
import type { RelayOptions } from './limits.js';
import type { Relay } from './relayServer.js';
import { completeTestHandshake, hostFrame as fromHost, type TestHost, type TestSession } from '../testing/relayTestClient.js';
import { sleep, useRelay } from '../testing/useRelay.js';

const fx = useRelay();

async function setup(options: RelayOptions): Promise<{ r: Relay; h: TestHost }> {
  const r = await fx.start(options);
  return { r, h: await fx.host() };
}

const session = (_r: Relay, h: TestHost): Promise<TestSession> => fx.session(h);

const CHUNK = Buffer.alloc(64 * 1024, 7);

/** The host answers once on `s`, so the session is past its pre-answer budget and handshake deadline. */
async function answer(h: TestHost, s: TestSession): Promise<void> {
  h.peer.ws.send(fromHost(s.sid, Buffer.from('hello')));
  expect((await s.controller.nextBinary()).toString()).toBe('hello');
}

/**
 * Sends 64 KiB frames from `s` until the relay stops reading it (the controller's own send
 * queue grows), or until it is closed. Returns the bytes sent.
 */
async function flood(s: TestSession, until: () => boolean): Promise<number> {
  let sent = 0;
  for (let i = 0; i < 2048 && !until(); i++) {
    if (s.controller.ws.readyState !== s.controller.ws.OPEN) break;
    s.controller.ws.send(CHUNK);
    sent += CHUNK.length;
    if (i % 8 === 7) await sleep(2);
  }
  return sent;
}

describe('host backpressure', () => {
  it('stops reading a controller that floods a host that does not read, never closing the host, and loses nothing', async () => {
    const { r, h } = await setup({ maxBufferedBytes: 256 * 1024 });
    const flooder = await session(r, h);
    const other = await session(r, h);
    await answer(h, flooder);
    await answer(h, other);
    h.peer.ws.pause();
    const sent = await flood(flooder, () => r.stats().hostBackpressurePauses > 0 && flooder.controller.ws.bufferedAmount > 4 * 1024 * 1024);
    expect(r.stats()).toMatchObject({ hosts: 1, sessions: 2, slowConsumers: 0 });
    expect(r.stats().hostBackpressurePauses).toBeGreaterThan(0);
    // The relay stopped reading the flooder: its data waits on its own side, not in the relay.
    expect(flooder.controller.ws.bufferedAmount).toBeGreaterThan(4 * 1024 * 1024);

    // The host catches up: every flooded byte arrives, then the other session's frame.
    other.controller.ws.send(Buffer.from('still here'));
    h.peer.ws.resume();
    let flooded = 0;
    let sawOther = false;
    while (flooded < sent || !sawOther) {
      const frame = await h.peer.nextBinary(10_000);
      const sid = frame.subarray(0, 16).toString('hex');
      if (sid === other.sid) {
        expect(frame.subarray(16).toString()).toBe('still here');
        sawOther = true;
      } else {
        expect(sid).toBe(flooder.sid);
        expect(frame.subarray(16).equals(CHUNK)).toBe(true);
        flooded += CHUNK.length;
      }
    }
    expect(flooded).toBe(sent);

    // Both sessions still work in both directions, and nobody was closed.
    h.peer.ws.send(fromHost(other.sid, Buffer.from('to other')));
    expect((await other.controller.nextBinary()).toString()).toBe('to other');
    flooder.controller.ws.send(Buffer.from('after'));
    expect((await h.peer.nextBinary()).subarray(16).toString()).toBe('after');
    expect(r.stats()).toMatchObject({ hosts: 1, sessions: 2, slowConsumers: 0 });
  }, 60_000);

  it('closes a controller stalled by its host for idleTimeoutMs with 1008, and only that controller', async () => {
    const { r, h } = await setup({ maxBufferedBytes: 64 * 1024, pingIntervalMs: 100, idleTimeoutMs: 800, sweepIntervalMs: 25 });
    const flooder = await session(r, h);
    const other = await session(r, h);
    await answer(h, flooder);
    await answer(h, other);
    h.peer.ws.pause();
    // A host that sends but does not read stays alive in the relay's eyes.
    const keepAlive = setInterval(() => h.peer.ws.ping(), 50);
    try {
      const t0 = Date.now();
      await flood(flooder, () => r.stats().hostBackpressurePauses > 0 && flooder.controller.ws.bufferedAmount > 1024 * 1024);
      expect(await flooder.controller.waitClosed(10_000)).toEqual({ code: 1008, reason: 'host is not keeping up' });
      expect(Date.now() - t0).toBeGreaterThanOrEqual(700);
      expect(r.stats()).toMatchObject({ hosts: 1, sessions: 1, slowConsumers: 0 });
    } finally {
      clearInterval(keepAlive);
    }
    // The host drains, is told `closed` for the flooder, and its other session works.
    h.peer.ws.resume();
    for (;;) {
      const m = await h.peer.next(10_000);
      if (!m.binary) {
        expect(m.json).toEqual({ t: 'closed', sid: flooder.sid });
        break;
      }
    }
    other.controller.ws.send(Buffer.from('ping'));
    const frame = await h.peer.nextBinary();
    expect(frame.subarray(0, 16).toString('hex')).toBe(other.sid);
    expect(frame.subarray(16).toString()).toBe('ping');
  }, 60_000);
});

describe('bytes before the host answers', () => {
  it('closes a controller with 1008 once it sends more than maxBytesBeforeHostReply unanswered', async () => {
    const { r, h } = await setup({ maxBytesBeforeHostReply: 4096 });
    const s = await session(r, h);
    for (let i = 0; i < 3; i++) s.controller.ws.send(Buffer.alloc(2000, i));
    expect(await s.controller.waitClosed()).toEqual({ code: 1008, reason: 'too much data before the host answered' });
    expect((await h.peer.nextBinary()).subarray(16)).toEqual(Buffer.alloc(2000, 0));
    expect((await h.peer.nextBinary()).subarray(16)).toEqual(Buffer.alloc(2000, 1));
    expect(await h.peer.nextJson()).toEqual({ t: 'closed', sid: s.sid });
    expect(r.stats()).toMatchObject({ hosts: 1, sessions: 0 });
  });

  it('lifts the bound once the host has answered on the session', async () => {
    const { r, h } = await setup({ maxBytesBeforeHostReply: 4096 });
    const s = await session(r, h);
    s.controller.ws.send(Buffer.alloc(75, 1));
    expect((await h.peer.nextBinary()).length).toBe(16 + 75);
    await answer(h, s);
    for (let i = 0; i < 5; i++) s.controller.ws.send(Buffer.alloc(2000, i));
    for (let i = 0; i < 5; i++) expect((await h.peer.nextBinary()).subarray(16)).toEqual(Buffer.alloc(2000, i));
    expect(r.stats().sessions).toBe(1);
  });
});

describe('session handshake deadline', () => {
  it('holds until the handshake is done: two payloads each way (remote-protocol.md §4)', async () => {
    const { r, h } = await setup({ sessionHandshakeTimeoutMs: 400, sweepIntervalMs: 25 });
    const silent = await session(r, h);
    const unanswered = await session(r, h);
    const hostOnly = await session(r, h);
    // One payload each way is a stranger's resume: ClientHello answered by a ServerHello, then nothing.
    const oneEachWay = await session(r, h);
    const done = await session(r, h);
    unanswered.controller.ws.send(Buffer.from([1]));
    await h.peer.nextBinary();
    await answer(h, hostOnly);
    oneEachWay.controller.ws.send(Buffer.from([1]));
    await h.peer.nextBinary();
    await answer(h, oneEachWay);
    await completeTestHandshake(h, done);
    for (const s of [silent, unanswered, hostOnly, oneEachWay]) {
      expect(await s.controller.waitClosed()).toEqual({ code: 4408, reason: 'handshake timeout' });
    }
    const closed = new Set<unknown>();
    while (closed.size < 4) {
      const m = await h.peer.next();
      if (!m.binary) closed.add(m.json.sid);
    }
    expect(closed).toEqual(new Set([silent.sid, unanswered.sid, hostOnly.sid, oneEachWay.sid]));
    await sleep(500);
    expect(r.stats().sessions).toBe(1);
    done.controller.ws.send(Buffer.from([2]));
    expect([...(await h.peer.nextBinary()).subarray(16)]).toEqual([2]);
  });
});
