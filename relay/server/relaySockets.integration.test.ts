/**
 * Red-team P4: raw TCP sockets that never finish an HTTP request must not lock anyone out of the
 * relay or use up its process's file descriptors (the embedded relay runs inside the host). Sent:
 * what the red-team sent, idle sockets by the hundred; asserted: a host still registers and a
 * controller still reaches it, the sockets are cut at the header deadline, and no more than
 * `maxSockets` are ever held.
 */
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { EMBEDDED_RELAY_LIMITS, RELAY_LIMITS } from './limits.js';
import { useRelay, waitFor } from '../testing/useRelay.js';

const fx = useRelay();
const raw: Socket[] = [];
afterEach(() => {
  for (const s of raw.splice(0)) s.destroy();
});

/**
 * `n` idle TCP connections to the relay, from `addresses` source addresses (127.0.0.x) in turn,
 * opened in batches (so the kernel's accept queue does not overflow). Resolves with the ones
 * that connected.
 */
async function idle(n: number, addresses = 1): Promise<Socket[]> {
  const port = fx.relay.port;
  const connected: Socket[] = [];
  for (let done = 0; done < n; done += 100) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(100, n - done) }, (_, i) => new Promise<Socket | undefined>((resolve) => {
        const s = connect({ port, host: '127.0.0.1', localAddress: `127.0.0.${1 + ((done + i) % addresses)}` });
        raw.push(s);
        s.on('error', () => {});
        s.once('connect', () => resolve(s));
        s.once('close', () => resolve(undefined));
      })),
    );
    for (const s of batch) if (s) connected.push(s);
  }
  return connected;
}

describe('relay raw sockets (red-team P4)', () => {
  it('a host registers and its controller connects while hundreds of idle sockets are open', async () => {
    await fx.start();
    await idle(600);
    const h = await fx.host();
    const s = await fx.session(h);
    s.controller.ws.send(Buffer.from('hi'));
    expect((await h.peer.nextBinary()).subarray(16).toString()).toBe('hi');
    // One address keeps only its newest maxPendingSocketsPerAddress idle sockets.
    await waitFor(() => fx.relay.stats().pendingSockets <= RELAY_LIMITS.maxPendingSocketsPerAddress, 3_000, 'per-address cap');
  });

  it('with the embedded limits, never holds more than maxSockets, and still serves its host', async () => {
    await fx.start(EMBEDDED_RELAY_LIMITS);
    const h = await fx.host();
    const connected = await idle(1100, 70);
    expect(connected.length).toBeGreaterThan(1000);
    const cap = EMBEDDED_RELAY_LIMITS.maxSockets!;
    // Wait until the relay has accepted every one of them (the kernel queues them first).
    let most = 0;
    await waitFor(() => {
      const { sockets, socketsDropped } = fx.relay.stats();
      most = Math.max(most, sockets);
      return sockets + socketsDropped >= connected.length;
    }, 10_000, 'every socket accepted');
    expect(most).toBeLessThanOrEqual(cap);
    expect(fx.relay.stats().sockets).toBe(cap);
    const s = await fx.session(h);
    h.peer.ws.send(Buffer.concat([Buffer.from(s.sid, 'hex'), Buffer.from('ok')]));
    expect((await s.controller.nextBinary()).toString()).toBe('ok');
  });

  it('cuts sockets that send no complete request at httpHeadersTimeoutMs (its own sweep, not Node\'s 30 s)', async () => {
    await fx.start({ httpHeadersTimeoutMs: 600 });
    const [quiet, drip] = await idle(2);
    drip!.write('GET /healthz HTTP/1.1\r\n');
    const dripping = setInterval(() => drip!.writable && drip!.write('X-Drip: 1\r\n'), 100);
    const t0 = Date.now();
    try {
      await waitFor(() => quiet!.destroyed || quiet!.readableEnded, 3_000, 'idle socket cut');
      await waitFor(() => drip!.destroyed || drip!.readableEnded, 3_000, 'drip socket cut');
    } finally {
      clearInterval(dripping);
    }
    expect(Date.now() - t0).toBeLessThan(2_000);
    expect(fx.relay.stats().sockets).toBe(0);
    expect((await fetch(`${fx.relay.httpUrl}/healthz`)).status).toBe(200);
  });

  it('refuses limits where the socket cap is below the WebSocket cap', async () => {
    await expect(fx.start({ maxSockets: 10, maxConnections: 20 })).rejects.toThrow('startRelay: options: maxSockets must be at least maxConnections');
  });
});
