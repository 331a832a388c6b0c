/**
 * Red-team P12: a server that answers the WebSocket upgrade with anything but 101 (a listener or
 * control endpoint with another token: 401; an engine that is not ready: 503) must produce one
 * clear error from `openWsTransport`, never an unhandled 'error' event that would print a stack
 * trace in the CLI or take the host down.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { openWsTransport } from './wsTransport.js';

const servers: Server[] = [];
const upgraded: Duplex[] = [];
afterEach(async () => {
  for (const s of upgraded.splice(0)) s.destroy();
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

/** A server that answers every upgrade with `status` and `body`. */
async function refusing(status: number, body: string, endBody = true): Promise<string> {
  const server = createServer();
  server.on('upgrade', (_req, socket: Duplex) => {
    upgraded.push(socket);
    const head = `HTTP/1.1 ${status} X\r\ncontent-type: text/plain\r\ncontent-length: ${Buffer.byteLength(body) + (endBody ? 0 : 10)}\r\n\r\n`;
    socket.write(head + body);
    if (endBody) socket.end();
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Any 'uncaughtException' while `run` runs (an unhandled 'error' event becomes one). */
async function uncaughtDuring(run: () => Promise<unknown>): Promise<Error[]> {
  const seen: Error[] = [];
  const listener = (err: Error) => seen.push(err);
  process.on('uncaughtException', listener);
  try {
    await run().catch(() => {});
    await new Promise((r) => setTimeout(r, 100));
  } finally {
    process.off('uncaughtException', listener);
  }
  return seen;
}

describe('openWsTransport on a refused upgrade', () => {
  it('rejects with one line naming the status, and raises nothing else', async () => {
    const url = await refusing(401, 'invalid authorization token');
    const seen = await uncaughtDuring(async () => {
      await expect(openWsTransport(url, { headers: { Authorization: 'Bearer secret-token' } })).rejects.toThrow(
        new Error(`connect ${url}/: the server answered HTTP 401 (Unauthorized): invalid authorization token`),
      );
    });
    expect(seen).toEqual([]);
  });

  it('says so for an empty body, and for a 503 of an engine that is not ready', async () => {
    await expect(openWsTransport(await refusing(503, ''))).rejects.toThrow(/: the server answered HTTP 503 \(Service Unavailable\)$/);
  });

  it('quotes a hostile body as one short printable line', async () => {
    const url = await refusing(403, `\u001b[31mred\r\nline two\u0007${'x'.repeat(5000)}`);
    const err = await openWsTransport(url).then(
      () => new Error('opened'),
      (e: unknown) => e as Error,
    );
    expect(err.message).toMatch(/: the server answered HTTP 403 \(Forbidden\): \[31mred line two x+$/);
    expect(err.message).not.toMatch(/[\u0000-\u001f]/);
    expect(err.message.length).toBeLessThan(300);
  });

  it('does not wait forever for a body that never ends', async () => {
    const t0 = Date.now();
    await expect(openWsTransport(await refusing(401, 'partial', false))).rejects.toThrow(/HTTP 401 \(Unauthorized\): partial$/);
    expect(Date.now() - t0).toBeLessThan(4_000);
  });

  it('still reports a refused connection as one error', async () => {
    const url = await refusing(401, '');
    const port = new URL(url).port;
    const s = servers.pop()!;
    await new Promise((r) => s.close(r));
    await expect(openWsTransport(`ws://127.0.0.1:${port}`)).rejects.toThrow(/^connect ws:\/\/127\.0\.0\.1:\d+\/: connect ECONNREFUSED/);
  });
});
