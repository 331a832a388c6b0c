import { describe, expect, it } from 'vitest';
import { RpcConnection } from './connection.js';
import { createMemoryTransportPair } from './memoryTransport.js';
import { RpcError, RpcErrorCode } from './rpcError.js';
import type { CloseInfo, Transport } from './transport.js';

function pair(opts = {}) {
  const [a, b] = createMemoryTransportPair();
  return { client: new RpcConnection(a, opts), server: new RpcConnection(b, opts), a, b };
}

describe('RpcConnection', () => {
  it('answers a request with the handler result, in the engine dialect (no jsonrpc field)', async () => {
    const { client, server, b } = pair();
    const seen: string[] = [];
    b.onMessage((t) => seen.push(t));
    server.onRequest('thread/list', (params) => ({ data: [], echo: params }));
    await expect(client.request('thread/list', { limit: 2 })).resolves.toEqual({ data: [], echo: { limit: 2 } });
    expect(JSON.parse(seen[0]!)).toEqual({ id: 1, method: 'thread/list', params: { limit: 2 } });
  });

  it('rejects with the server error code and message', async () => {
    const { client, server } = pair();
    server.onRequest('x', () => {
      throw new RpcError(-32600, 'Not initialized');
    });
    await expect(client.request('x')).rejects.toMatchObject({ code: -32600, message: 'Not initialized' });
  });

  it('hides internal exception details behind a fixed -32603 message', async () => {
    const { client, server } = pair();
    server.onRequest('x', () => {
      throw new Error('secret path /home/me/.ssh/id');
    });
    const err = await client.request('x').catch((e: RpcError) => e);
    expect(err).toMatchObject({ code: RpcErrorCode.InternalError, message: 'Internal error' });
  });

  it('answers requests beyond maxConcurrentIncoming with -32001 until a slot frees', async () => {
    const [a, b] = createMemoryTransportPair();
    const client = new RpcConnection(a);
    const server = new RpcConnection(b, { maxConcurrentIncoming: 2 });
    const gates: (() => void)[] = [];
    server.onRequest('slow', () => new Promise((resolve) => gates.push(() => resolve('done'))));
    const first = client.request('slow');
    const second = client.request('slow');
    await expect(client.request('slow')).rejects.toMatchObject({ code: RpcErrorCode.ServerOverloaded, message: 'Server overloaded; retry later.' });
    expect(gates).toHaveLength(2);
    gates[0]!();
    await expect(first).resolves.toBe('done');
    // The finished request gave its slot back.
    const third = client.request('slow');
    await expect.poll(() => gates.length).toBe(3);
    gates[1]!();
    gates[2]!();
    await expect(Promise.all([second, third])).resolves.toEqual(['done', 'done']);
  });

  it('answers unknown methods with method-not-found', async () => {
    const { client } = pair();
    await expect(client.request('nope')).rejects.toMatchObject({ code: RpcErrorCode.MethodNotFound });
  });

  it('times out a request that never gets an answer', async () => {
    const { client, server } = pair();
    server.onRequest('slow', () => new Promise(() => {}));
    await expect(client.request('slow', undefined, { timeoutMs: 30 })).rejects.toMatchObject({ code: RpcErrorCode.RequestTimeout });
    expect(client.pendingCount).toBe(0);
  });

  it('cancels a request through an AbortSignal', async () => {
    const { client, server } = pair();
    server.onRequest('slow', () => new Promise(() => {}));
    const ac = new AbortController();
    const p = client.request('slow', undefined, { signal: ac.signal });
    ac.abort();
    await expect(p).rejects.toMatchObject({ code: RpcErrorCode.RequestCancelled });
  });

  it('rejects every pending request when the connection closes', async () => {
    const { client, server, b } = pair();
    server.onRequest('slow', () => new Promise(() => {}));
    const p1 = client.request('slow');
    const p2 = client.request('slow');
    await new Promise((r) => setTimeout(r, 5));
    b.close(1012, 'engine restarted');
    await expect(p1).rejects.toMatchObject({ code: RpcErrorCode.ConnectionClosed, data: { closeCode: 1012, closeReason: 'engine restarted' } });
    await expect(p2).rejects.toMatchObject({ code: RpcErrorCode.ConnectionClosed });
    await expect(client.request('again')).rejects.toMatchObject({ code: RpcErrorCode.ConnectionClosed });
  });

  it('bounds the number of pending requests', async () => {
    const { client, server } = pair({ maxPendingRequests: 2 });
    server.onRequest('slow', () => new Promise(() => {}));
    void client.request('slow').catch(() => {});
    void client.request('slow').catch(() => {});
    await expect(client.request('slow')).rejects.toMatchObject({ code: RpcErrorCode.TooManyPending });
  });

  it('accepts string ids and notifications with emittedAtMs from the engine', async () => {
    const [a, b] = createMemoryTransportPair();
    const client = new RpcConnection(a);
    const got: unknown[] = [];
    client.onNotification('turn/started', (p) => got.push(p));
    const answers: string[] = [];
    b.onMessage((t) => answers.push(t));
    client.onRequest('item/commandExecution/requestApproval', () => ({ decision: 'accept' }));
    b.send(JSON.stringify({ method: 'turn/started', params: { threadId: 't' }, emittedAtMs: 1 }));
    b.send(JSON.stringify({ id: 'startup-1', method: 'item/commandExecution/requestApproval', params: {} }));
    await new Promise((r) => setTimeout(r, 5));
    expect(got).toEqual([{ threadId: 't' }]);
    expect(JSON.parse(answers[0]!)).toEqual({ id: 'startup-1', result: { decision: 'accept' } });
  });

  it('adds jsonrpc 2.0 when asked (remote protocol records)', async () => {
    const { client, b } = pair({ includeJsonRpcVersion: true });
    const seen: string[] = [];
    b.onMessage((t) => seen.push(t));
    client.notify('initialized');
    await new Promise((r) => setTimeout(r, 5));
    expect(JSON.parse(seen[0]!)).toEqual({ jsonrpc: '2.0', method: 'initialized' });
  });

  it('reports unparseable input instead of crashing', async () => {
    const reasons: string[] = [];
    const [a, b] = createMemoryTransportPair();
    new RpcConnection(a, { onProtocolError: (r) => reasons.push(r) });
    b.send('{not json');
    b.send('[1,2]');
    b.send(JSON.stringify({ id: 4.5, method: 'x' }));
    await new Promise((r) => setTimeout(r, 5));
    expect(reasons).toEqual(['invalid JSON', 'message must be a JSON object', 'id must be an integer or a string']);
  });

  it('reports the real close of a transport that was already closing when the connection was made', async () => {
    // Like a WebSocket whose server refused the client right after the upgrade: the close
    // frame arrived with the 101, so the socket is closing but its close event comes later.
    const closes = new Set<(i: CloseInfo) => void>();
    const closing: Transport = {
      send: () => {
        throw new Error('socket closing');
      },
      onMessage: () => ({ dispose() {} }),
      onClose: (l) => {
        closes.add(l);
        return { dispose: () => closes.delete(l) };
      },
      close() {},
      bufferedAmount: 0,
      isClosed: true,
    };
    const conn = new RpcConnection(closing);
    const pending = conn.request('host/info');
    for (const l of closes) l({ code: 1013, reason: 'too many cli clients (max 16)' });
    await expect(pending).rejects.toMatchObject({ code: RpcErrorCode.ConnectionClosed, message: 'connection closed (1013: too many cli clients (max 16))' });
    await expect(conn.closed).resolves.toEqual({ code: 1013, reason: 'too many cli clients (max 16)' });
  });

  it('uses the close a transport already reported, at once', async () => {
    const [a, b] = createMemoryTransportPair();
    b.close(1013, 'too many clients (max 64)');
    await expect.poll(() => a.isClosed).toBe(true);
    const conn = new RpcConnection(a);
    await expect(conn.request('x')).rejects.toMatchObject({ message: 'connection closed (1013: too many clients (max 64))' });
  });
});
