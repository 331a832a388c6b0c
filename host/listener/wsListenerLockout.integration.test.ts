/**
 * Red-team P3: unauthenticated sockets must not lock anyone out of the listener (the remote-TUI
 * listener and, through the same code, the local control endpoint). Each test sends what the
 * red-team sent (idle TCP connections, a slow-loris header drip) and asserts what a user sees: an
 * authenticated client still connects, and the idle sockets are cut at 10 s, not at Node's 30 s.
 */
import { createHash } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { silentLogger } from '../../shared/util/logger.js';
import { parseListenerOptions } from './listenerOptions.js';
import { LISTENER_LIMITS, startWsListener, type WsListener } from './wsListener.js';

const TOKEN = 'lockout-test-token-5d1e';
const running: WsListener[] = [];
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await Promise.all(running.splice(0).map((l) => l.dispose()));
});

async function start(): Promise<WsListener> {
  const config = {
    ...parseListenerOptions({ listen: 'ws://127.0.0.1:0' }),
    auth: { mode: 'capability-token' as const, tokenSha256: new Uint8Array(createHash('sha256').update(TOKEN).digest()) },
  };
  const listener = await startWsListener({
    config,
    maxPayloadBytes: 64 * 1024,
    logger: silentLogger,
    heartbeatIntervalMs: 0,
    onConnection: (ws) => ws.on('message', (data) => ws.send(data)),
  });
  running.push(listener);
  return listener;
}

/** `n` TCP connections (from `localAddress`) that send nothing; resolves once all are connected. */
async function idleSockets(port: number, n: number, localAddress = '127.0.0.1'): Promise<Socket[]> {
  const opened = await Promise.all(
    Array.from({ length: n }, () => new Promise<Socket>((resolve, reject) => {
      const s = connect({ port, host: '127.0.0.1', localAddress }, () => resolve(s));
      s.on('error', () => {});
      s.once('error', reject);
    })),
  );
  sockets.push(...opened);
  return opened;
}

/** An authenticated client: resolves with the echo of one message, or rejects with why it failed. */
function legitClient(url: string, timeoutMs = 3_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers: { Authorization: `Bearer ${TOKEN}` } });
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error('timed out'));
    }, timeoutMs);
    ws.once('open', () => ws.send('ping'));
    ws.once('message', (data) => {
      clearTimeout(timer);
      resolve(String(data));
      ws.close();
    });
    ws.once('unexpected-response', (_req, res) => {
      clearTimeout(timer);
      reject(new Error(`HTTP ${res.statusCode}`));
    });
    ws.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

const closedWithin = (s: Socket, ms: number): Promise<number> =>
  new Promise((resolve, reject) => {
    const t0 = Date.now();
    if (s.destroyed) return resolve(0);
    const t = setTimeout(() => reject(new Error('still open')), ms);
    s.once('close', () => {
      clearTimeout(t);
      resolve(Date.now() - t0);
    });
  });

describe('listener: unauthenticated sockets cannot lock anyone out (red-team P3)', () => {
  it('an authenticated client connects every time while 100 idle sockets are held, round after round', async () => {
    const listener = await start();
    for (let round = 0; round < 3; round++) {
      await idleSockets(listener.port, 100);
      for (let i = 0; i < 5; i++) await expect(legitClient(listener.url)).resolves.toBe('ping');
    }
  });

  it('cuts an idle socket at the 10 s header deadline, not at 30 s, and a slow-loris drip with it', async () => {
    expect(LISTENER_LIMITS.headersTimeoutMs).toBe(10_000);
    const listener = await start();
    const [idle] = await idleSockets(listener.port, 1);
    const [drip] = await idleSockets(listener.port, 1);
    drip!.write('GET / HTTP/1.1\r\nHost: x\r\n');
    const dripping = setInterval(() => drip!.writable && drip!.write(`X-Drip-${Date.now()}: 1\r\n`), 2_000);
    try {
      const [idleMs, dripMs] = await Promise.all([closedWithin(idle!, 12_500), closedWithin(drip!, 12_500)]);
      expect(idleMs).toBeGreaterThanOrEqual(9_500);
      expect(idleMs).toBeLessThanOrEqual(11_500);
      expect(dripMs).toBeLessThanOrEqual(11_500);
    } finally {
      clearInterval(dripping);
    }
    // Meanwhile nothing else was affected.
    await expect(legitClient(listener.url)).resolves.toBe('ping');
  }, 20_000);

  it('caps unauthenticated sockets per address and in total, dropping the oldest to make room', async () => {
    const listener = await start();
    const countOpen = async (held: Socket[], want: number) => {
      const deadline = Date.now() + 3_000;
      const open = () => held.filter((s) => !s.destroyed && !s.readableEnded).length;
      while (open() > want && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      return open();
    };
    // One address: it keeps only its newest maxPendingSocketsPerAddress idle sockets.
    const one = await idleSockets(listener.port, 100);
    expect(await countOpen(one, LISTENER_LIMITS.maxPendingSocketsPerAddress)).toBe(LISTENER_LIMITS.maxPendingSocketsPerAddress);
    // Many addresses (127.0.0.x are all this machine): the total stays at maxConnections + spare.
    const many: Socket[] = [...one];
    for (let i = 2; i < 12; i++) many.push(...(await idleSockets(listener.port, 16, `127.0.0.${i}`)));
    const cap = LISTENER_LIMITS.maxConnections + LISTENER_LIMITS.spareHttpSockets;
    expect(await countOpen(many, cap)).toBe(cap);
    await expect(legitClient(listener.url)).resolves.toBe('ping');
  });
});
