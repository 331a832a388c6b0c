/**
 * Red-team P8: anyone who knows a hostId (it is in every pairing link) can open sessions to it
 * and answer nothing after the host's ServerHello. Those sessions are *pending* until the
 * handshake is done; a host has at most `maxPendingSessionsPerHost` of them, and a new session
 * drops the oldest pending one, so a trusted device still gets a session however many strangers
 * try.
 */
import { describe, expect, it } from 'vitest';
import { hostFrame, randomDeviceId, type Received, type TestHost, type TestSession } from '../testing/relayTestClient.js';
import { useRelay, waitFor } from '../testing/useRelay.js';

// The strangers come from the test's one address: lift the per-address rates so that only the
// pending-session rule is under test (the rates are covered in relayLimits.integration.test.ts).
const fx = useRelay({ handshakeRate: { burst: 10_000, perSecond: 10_000 }, connectionRate: { burst: 10_000, perSecond: 10_000 } });

/**
 * The host side, reading past the `closed` messages that evictions interleave with everything
 * else (collected in `closed`, in order).
 */
function hostReader(h: TestHost) {
  const closed: string[] = [];
  const next = async (): Promise<Received> => {
    for (;;) {
      const m = await h.peer.next();
      if (!m.binary && m.json.t === 'closed') closed.push(String(m.json.sid));
      else return m;
    }
  };
  return {
    closed,
    async binary(): Promise<Buffer> {
      const m = await next();
      if (!m.binary) throw new Error(`host got ${JSON.stringify(m.json)}`);
      return m.data;
    },
    /** Opens a session of `h` (its `ready` and the host's `open` consumed). */
    async session(): Promise<TestSession> {
      const deviceId = randomDeviceId();
      const controller = await fx.connect(`/v1/connect?host=${h.hostId}&device=${deviceId}`);
      const ready = await controller.nextJson();
      const open = await next();
      if (open.binary || open.json.t !== 'open' || open.json.sid !== ready.sid) throw new Error('no open');
      return { controller, sid: String(ready.sid), deviceId };
    },
  };
}

type HostReader = ReturnType<typeof hostReader>;

/** A stranger's resume: a ClientHello-sized payload, answered by the host, then silence. */
async function strangerSession(h: TestHost, host: HostReader): Promise<TestSession> {
  const s = await host.session();
  s.controller.ws.send(Buffer.alloc(75, 1));
  await host.binary();
  h.peer.ws.send(hostFrame(s.sid, Buffer.alloc(130, 2)));
  await s.controller.nextBinary();
  return s;
}

/** The four handshake payloads of §4 (stand-ins of the real sizes), as a trusted device completes them. */
async function handshake(h: TestHost, host: HostReader, s: TestSession): Promise<void> {
  for (const [from, n] of [['c', 75], ['h', 130], ['c', 120], ['h', 150]] as const) {
    if (from === 'c') {
      s.controller.ws.send(Buffer.alloc(n, 1));
      expect((await host.binary()).length).toBe(16 + n);
    } else {
      h.peer.ws.send(hostFrame(s.sid, Buffer.alloc(n, 2)));
      expect((await s.controller.nextBinary()).length).toBe(n);
    }
  }
}

describe('pending sessions', () => {
  it('a trusted device gets a session while strangers hold 64 pending handshakes, and strangers are dropped with 4429', async () => {
    const r = await fx.start();
    const h = await fx.host();
    const host = hostReader(h);
    const strangers: TestSession[] = [];
    for (let i = 0; i < 64; i++) strangers.push(await strangerSession(h, host));
    // Only 16 are held; each one dropped to make room was closed 4429 and reported to the host.
    const dropped = strangers.slice(0, 64 - 16);
    for (const s of dropped) expect(await s.controller.waitClosed()).toEqual({ code: 4429, reason: 'too many pending sessions' });
    expect(host.closed).toEqual(dropped.map((s) => s.sid));
    expect(r.stats().sessions).toBe(16);

    const t0 = Date.now();
    const trusted = await host.session();
    await handshake(h, host, trusted);
    expect(Date.now() - t0).toBeLessThan(2_000);
    // Strangers keep coming; the established session is never the one dropped.
    for (let i = 0; i < 40; i++) await strangerSession(h, host);
    trusted.controller.ws.send(Buffer.from('still here'));
    expect((await host.binary()).subarray(16).toString()).toBe('still here');
    expect(r.stats().sessions).toBe(17);
  });

  it('fills maxSessionsPerHost only with established sessions: pending ones make room, established ones are refused', async () => {
    const r = await fx.start({ maxSessionsPerHost: 4, maxPendingSessionsPerHost: 2 });
    const h = await fx.host();
    const host = hostReader(h);
    const established: TestSession[] = [];
    for (let i = 0; i < 3; i++) {
      const s = await host.session();
      await handshake(h, host, s);
      established.push(s);
    }
    const stranger = await strangerSession(h, host);
    // Full (3 established + 1 pending): the next session drops the pending one, not an established one.
    const newcomer = await host.session();
    expect(await stranger.controller.waitClosed()).toEqual({ code: 4429, reason: 'too many pending sessions' });
    await handshake(h, host, newcomer);
    expect(host.closed).toEqual([stranger.sid]);
    await waitFor(() => r.stats().sessions === 4, 2_000, '4 sessions');
    // Now every session is established: a fifth is refused as before.
    const fifth = await fx.connect(`/v1/connect?host=${h.hostId}&device=${randomDeviceId()}`);
    expect(await fifth.waitClosed()).toEqual({ code: 4429, reason: 'too many sessions' });
    for (const s of established) expect(s.controller.ws.readyState).toBe(s.controller.ws.OPEN);
  });
});
