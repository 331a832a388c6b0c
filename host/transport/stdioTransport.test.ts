import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { RpcConnection } from '../../shared/rpc/connection.js';
import type { CloseInfo } from '../../shared/rpc/transport.js';
import { StdioTransport } from './stdioTransport.js';

function pipes(maxLineBytes?: number) {
  const aToB = new PassThrough();
  const bToA = new PassThrough();
  return { a: new StdioTransport(bToA, aToB, { maxLineBytes }), b: new StdioTransport(aToB, bToA, { maxLineBytes }), aToB, bToA };
}

describe('StdioTransport', () => {
  it('carries JSON-RPC as one message per line, in order', async () => {
    const { a, b } = pipes();
    const server = new RpcConnection(b);
    server.onRequest('echo', (p) => p);
    const client = new RpcConnection(a);
    const results = await Promise.all([1, 2, 3].map((n) => client.request('echo', { n, text: 'line\nbreak inside a string' })));
    expect(results).toEqual([1, 2, 3].map((n) => ({ n, text: 'line\nbreak inside a string' })));
  });

  it('reassembles a message split across chunks and splits several in one chunk', async () => {
    const input = new PassThrough();
    const t = new StdioTransport(input, new PassThrough());
    const got: string[] = [];
    t.onMessage((m) => got.push(m));
    input.write('{"id":1,"res');
    input.write('ult":{}}\n{"method":"a"}\r\n\n{"method":"b"}\n');
    await new Promise((r) => setImmediate(r));
    expect(got).toEqual(['{"id":1,"result":{}}', '{"method":"a"}', '{"method":"b"}']);
  });

  it('closes with 1009 on a line over the bound instead of buffering it', async () => {
    const input = new PassThrough();
    const t = new StdioTransport(input, new PassThrough(), { maxLineBytes: 100 });
    const closes: CloseInfo[] = [];
    t.onClose((c) => closes.push(c));
    input.write('x'.repeat(150));
    await new Promise((r) => setImmediate(r));
    expect(closes).toEqual([{ code: 1009, reason: 'message exceeds 100 bytes' }]);
  });

  it('reports the end of input as a close', async () => {
    const { a, bToA } = pipes();
    const closes: CloseInfo[] = [];
    a.onClose((c) => closes.push(c));
    bToA.end();
    await new Promise((r) => setImmediate(r));
    expect(closes[0]).toEqual({ code: 1000, reason: 'end of input' });
  });
});
