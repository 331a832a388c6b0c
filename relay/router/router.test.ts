import { describe, expect, it } from 'vitest';
import { toHex } from '../../shared/util/encoding.js';
import { createInMemorySessionRouter, type ControllerEndpoint, type HostEndpoint } from './router.js';

/** Records what the router writes, as the socket side would see it. */
function recorder() {
  const log: string[] = [];
  const host = (name: string): HostEndpoint => ({
    open: (sid, device) => log.push(`${name} open ${sid} ${device}`),
    data: (sid, payload) => log.push(`${name} data ${toHex(sid)} ${toHex(payload)}`) > 0,
    onWritable: (callback) => queueMicrotask(callback),
    closed: (sid) => log.push(`${name} closed ${sid}`),
    close: (code, reason) => log.push(`${name} close ${code} ${reason}`),
  });
  const controller = (name: string): ControllerEndpoint => ({
    data: (payload) => log.push(`${name} data ${toHex(payload)}`),
    close: (code, reason) => log.push(`${name} close ${code} ${reason}`),
  });
  return { log, host, controller };
}

function counterRandom() {
  let n = 0;
  return (len: number) => {
    const b = new Uint8Array(len);
    b[len - 1] = ++n;
    return b;
  };
}

const SID1 = '00000000000000000000000000000001';
const SID2 = '00000000000000000000000000000002';

describe('in-memory session router', () => {
  it('opens sessions, routes both ways and reports the controller leaving', async () => {
    const r = recorder();
    const router = createInMemorySessionRouter({ maxSessionsPerHost: 4, randomBytes: counterRandom() });
    const reg = await router.registerHost('h1', r.host('H'));
    const opened = await router.openSession('h1', 'd1', r.controller('C'));
    if (!opened.ok) throw new Error('not opened');
    opened.session.toHost(Uint8Array.of(0xaa));
    expect(reg.toController(SID1, Uint8Array.of(0xbb))).toBe(true);
    expect(reg.toController(SID2, Uint8Array.of(0xcc))).toBe(false);
    opened.session.end();
    opened.session.end();
    opened.session.toHost(Uint8Array.of(0xdd));
    expect(r.log).toEqual([`H open ${SID1} d1`, `H data ${SID1} aa`, 'C data bb', `H closed ${SID1}`]);
    expect(router.stats()).toEqual({ hosts: 1, sessions: 0 });
  });

  it('answers offline for an unknown host and too_many_sessions past the limit', async () => {
    const r = recorder();
    const router = createInMemorySessionRouter({ maxSessionsPerHost: 1, randomBytes: counterRandom() });
    expect(await router.openSession('h1', 'd1', r.controller('C'))).toEqual({ ok: false, reason: 'offline' });
    await router.registerHost('h1', r.host('H'));
    expect((await router.openSession('h1', 'd1', r.controller('C1'))).ok).toBe(true);
    expect(await router.openSession('h1', 'd2', r.controller('C2'))).toEqual({ ok: false, reason: 'too_many_sessions' });
  });

  it('drops the oldest pending session to make room, never an established one', async () => {
    const r = recorder();
    const router = createInMemorySessionRouter({ maxSessionsPerHost: 3, maxPendingSessionsPerHost: 2, randomBytes: counterRandom() });
    await router.registerHost('h1', r.host('H'));
    const first = await router.openSession('h1', 'd1', r.controller('C1'));
    if (!first.ok) throw new Error('not opened');
    first.session.established();
    await router.openSession('h1', 'd2', r.controller('C2'));
    await router.openSession('h1', 'd3', r.controller('C3'));
    r.log.length = 0;
    // Two pending (C2, C3) and the cap is 2: C2, the oldest pending, makes room.
    expect((await router.openSession('h1', 'd4', r.controller('C4'))).ok).toBe(true);
    expect(r.log).toEqual([`H closed ${SID2}`, 'C2 close 4429 too many pending sessions', `H open 00000000000000000000000000000004 d4`]);
    expect(router.stats()).toEqual({ hosts: 1, sessions: 3 });
  });

  it('closes a session on the host`s request without telling the host `closed`', async () => {
    const r = recorder();
    const router = createInMemorySessionRouter({ maxSessionsPerHost: 4, randomBytes: counterRandom() });
    const reg = await router.registerHost('h1', r.host('H'));
    const opened = await router.openSession('h1', 'd1', r.controller('C'));
    expect(reg.closeSession(SID1, 4403, 'expired')).toBe(true);
    expect(reg.closeSession(SID1, 4403, 'expired')).toBe(false);
    if (opened.ok) opened.session.end();
    expect(r.log).toEqual([`H open ${SID1} d1`, 'C close 4403 expired']);
  });

  it('replaces an older registration: sessions closed 4404, old host 4409, unregister of the old one is harmless', async () => {
    const r = recorder();
    const router = createInMemorySessionRouter({ maxSessionsPerHost: 4, randomBytes: counterRandom() });
    const old = await router.registerHost('h1', r.host('H1'));
    await router.openSession('h1', 'd1', r.controller('C'));
    await router.registerHost('h1', r.host('H2'));
    old.unregister(4404, 'host disconnected');
    expect(router.stats()).toEqual({ hosts: 1, sessions: 0 });
    expect(await router.openSession('h1', 'd2', r.controller('C2'))).toMatchObject({ ok: true });
    expect(r.log).toEqual([
      `H1 open ${SID1} d1`,
      'C close 4404 host reconnected',
      'H1 close 4409 replaced by a newer registration',
      `H2 open ${SID2} d2`,
    ]);
  });

  it('passes the host`s backpressure to the controller side and wakes it when the host drains', async () => {
    const r = recorder();
    let full = true;
    const waiters: Array<() => void> = [];
    const host: HostEndpoint = { ...r.host('H'), data: () => !full, onWritable: (cb) => waiters.push(cb) };
    const router = createInMemorySessionRouter({ maxSessionsPerHost: 4, randomBytes: counterRandom() });
    await router.registerHost('h1', host);
    const opened = await router.openSession('h1', 'd1', r.controller('C'));
    if (!opened.ok) throw new Error('not opened');
    expect(opened.session.toHost(Uint8Array.of(1))).toBe(false);
    let woken = 0;
    opened.session.onHostWritable(() => woken++);
    full = false;
    for (const w of waiters) w();
    expect(woken).toBe(1);
    expect(opened.session.toHost(Uint8Array.of(2))).toBe(true);
    // An ended session never blocks its controller.
    full = true;
    opened.session.end();
    expect(opened.session.toHost(Uint8Array.of(3))).toBe(true);
    opened.session.onHostWritable(() => woken++);
    await Promise.resolve();
    expect(woken).toBe(2);
  });

  it('retries a sid that collides with an open session of the same host', async () => {
    const r = recorder();
    let calls = 0;
    const router = createInMemorySessionRouter({ maxSessionsPerHost: 4, randomBytes: (n) => new Uint8Array(n).fill(calls++ < 2 ? 0 : 1) });
    await router.registerHost('h1', r.host('H'));
    const a = await router.openSession('h1', 'd', r.controller('A'));
    const b = await router.openSession('h1', 'd', r.controller('B'));
    expect(a.ok && b.ok && a.session.sid !== b.session.sid).toBe(true);
  });
});
