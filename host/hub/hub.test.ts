import { describe, expect, it } from 'vitest';
import { RpcConnection } from '../../shared/rpc/connection.js';
import { createMemoryTransportPair } from '../../shared/rpc/memoryTransport.js';
import { type CloseInfo, type Transport } from '../../shared/rpc/transport.js';
import { Emitter } from '../../shared/util/lifecycle.js';
import type { EngineState } from '../../shared/protocol/hostMethods.js';
import { silentLogger } from '../../shared/util/logger.js';
import { MemoryAuditLog } from '../audit/auditLog.js';
import type { EnginePort } from './enginePort.js';
import { Hub } from './hub.js';

/**
 * An in-memory engine for hub unit tests: each connect() yields a connection whose far end is
 * handled by `serve`. The real engine is exercised in e2e/.
 */
class MemoryEngine implements EnginePort {
  state: EngineState = 'running';
  version = '0.169.0';
  restarts = 0;
  readonly states = new Emitter<EngineState>();
  readonly restartsEmitter = new Emitter<void>();
  readonly farEnds: Transport[] = [];
  constructor(private readonly serve: (conn: RpcConnection, raw: Transport) => void) {}
  connect(): Promise<Transport> {
    const [near, far] = createMemoryTransportPair();
    this.farEnds.push(far);
    this.serve(new RpcConnection(far), far);
    return Promise.resolve(near);
  }
  onStateChange(l: (s: EngineState) => void) {
    return this.states.on(l);
  }
  onRestart(l: () => void) {
    return this.restartsEmitter.on(l);
  }
  restart() {
    this.restarts++;
    this.restartsEmitter.fire();
    for (const f of this.farEnds) f.close(1006, 'engine died');
  }
}

const tick = (ms = 10) => new Promise((r) => setTimeout(r, ms));

function setup(serve: (conn: RpcConnection, raw: Transport) => void = () => {}, limits = {}) {
  const engine = new MemoryEngine((conn, raw) => {
    conn.onRequest('initialize', () => ({ userAgent: 'fake/0.169.0' }));
    serve(conn, raw);
  });
  const audit = new MemoryAuditLog();
  const hub = new Hub({ engine, audit, logger: silentLogger, hostVersion: '0.1.0', hostName: 'test-host', limits });
  const attach = (kind: 'tui' | 'phone' | 'cli' = 'tui', name = 'client') => {
    const [clientSide, hubSide] = createMemoryTransportPair();
    const raw: string[] = [];
    const closes: CloseInfo[] = [];
    clientSide.onMessage((t) => raw.push(t));
    clientSide.onClose((c) => closes.push(c));
    const conn = new RpcConnection(clientSide, { requestTimeoutMs: 2000 });
    hub.attach(hubSide, { kind, name });
    return { conn, raw, closes, transport: clientSide };
  };
  return { engine, audit, hub, attach };
}

describe('Hub', () => {
  it('forwards requests and engine notifications unchanged, per client', async () => {
    const { attach } = setup((conn, raw) => {
      conn.onRequest('thread/list', () => {
        raw.send(JSON.stringify({ method: 'thread/started', params: { thread: { id: 't1' } }, emittedAtMs: 5 }));
        return { data: [], nextCursor: null };
      });
    });
    const a = attach();
    await expect(a.conn.request('initialize', { clientInfo: { name: 'x' } })).resolves.toEqual({ userAgent: 'fake/0.169.0' });
    await expect(a.conn.request('thread/list', {})).resolves.toEqual({ data: [], nextCursor: null });
    expect(a.raw).toContain(JSON.stringify({ method: 'thread/started', params: { thread: { id: 't1' } }, emittedAtMs: 5 }));
  });

  it('answers host/info itself with the host, engine and connected clients', async () => {
    const { attach } = setup();
    const a = attach('tui', 'codex-tui');
    attach('phone', 'Pixel');
    await tick();
    const info = (await a.conn.request('host/info')) as { hostName: string; engine: { state: string }; clients: { kind: string; name: string }[] };
    expect(info.hostName).toBe('test-host');
    expect(info.engine.state).toBe('running');
    expect(info.clients.map((c) => `${c.kind}:${c.name}`).sort()).toEqual(['phone:Pixel', 'tui:codex-tui']);
  });

  it('answers malformed input with JSON-RPC errors instead of silence', async () => {
    const { attach } = setup();
    const a = attach();
    await tick();
    a.transport.send('{oops');
    a.transport.send(JSON.stringify({ id: 7, method: 42 }));
    a.transport.send(JSON.stringify({ id: 8, method: 'host/nope' }));
    await tick();
    expect(a.raw.map((t) => JSON.parse(t))).toEqual([
      { id: null, error: { code: -32700, message: 'Parse error: message is not valid JSON' } },
      { id: 7, error: { code: -32600, message: 'Invalid request: method must be a string' } },
      { id: 8, error: { code: -32601, message: 'Method not found: host/nope' } },
    ]);
  });

  it('audits approvals: first answer applied, a second client answer late', async () => {
    const farEnds: Transport[] = [];
    const { attach, audit } = setup((_c, raw) => farEnds.push(raw));
    const a = attach('phone', 'Phone');
    const b = attach('tui', 'TUI');
    a.conn.onRequest('item/commandExecution/requestApproval', () => ({ decision: 'accept' }));
    b.conn.onRequest('item/commandExecution/requestApproval', async () => {
      await tick(20);
      return { decision: 'decline' };
    });
    await tick();
    const req = JSON.stringify({ id: 0, method: 'item/commandExecution/requestApproval', params: { threadId: 'th', command: 'touch x', cwd: '/w' } });
    for (const f of farEnds) f.send(req);
    await tick(60);
    expect(audit.entries.map((e) => [e.client.name, e.decision, e.outcome, e.summary, e.threadId])).toEqual([
      ['Phone', 'accept', 'applied', 'touch x (in /w)', 'th'],
      ['TUI', 'decline', 'late', 'touch x (in /w)', 'th'],
    ]);
  });

  it('forwards an approval answer only after its audit line is written, keeping message order', async () => {
    const farEnds: Transport[] = [];
    const engine = new MemoryEngine((_c, raw) => farEnds.push(raw));
    let release!: () => void;
    const written: string[] = [];
    const slowAudit = {
      append: (e: { decision: string }) =>
        new Promise<void>((r) => {
          release = () => {
            written.push(e.decision);
            r();
          };
        }),
    };
    const hub = new Hub({ engine, audit: slowAudit as unknown as MemoryAuditLog, logger: silentLogger, hostVersion: '0' });
    const [clientSide, hubSide] = createMemoryTransportPair();
    hub.attach(hubSide, { kind: 'phone', name: 'p' });
    await tick();
    const engineSide = farEnds.at(-1)!;
    const seen: string[] = [];
    engineSide.onMessage((t) => seen.push(t));
    engineSide.send(JSON.stringify({ id: 3, method: 'item/commandExecution/requestApproval', params: { threadId: 't', command: 'ls' } }));
    await tick();
    clientSide.send(JSON.stringify({ id: 3, result: { decision: 'accept' } }));
    clientSide.send(JSON.stringify({ id: 9, method: 'thread/list', params: {} }));
    await tick(20);
    expect(seen).toEqual([]);
    release();
    await tick(20);
    expect(written).toEqual(['accept']);
    expect(seen.map((t) => JSON.parse(t).id)).toEqual([3, 9]);
  });

  it('closes every client with 1012 and a reason when the engine restarts', async () => {
    const { attach, engine } = setup();
    const a = attach();
    const b = attach();
    await tick();
    engine.restart();
    await tick();
    expect(a.closes).toEqual([{ code: 1012, reason: 'engine restarted; reconnect to continue' }]);
    expect(b.closes[0]?.code).toBe(1012);
  });

  it('refuses clients over the limit with a reason', async () => {
    const { attach } = setup(() => {}, { maxClients: 1 });
    attach();
    const b = attach();
    await tick();
    expect(b.closes).toEqual([{ code: 1013, reason: 'too many clients (max 1)' }]);
  });

  it('rate-limits requests with a retryable -32001', async () => {
    const { attach } = setup((conn) => conn.onRequest('thread/list', () => ({ data: [] })), { requestsPerSecond: 1, requestBurst: 2 });
    const a = attach();
    const results = await Promise.allSettled([1, 2, 3].map(() => a.conn.request('thread/list', {})));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
    expect((results[2] as PromiseRejectedResult).reason).toMatchObject({ code: -32001, message: 'Rate limit exceeded; retry later.' });
  });

  it('keeps host-admin methods away from phones', async () => {
    const { attach } = setup();
    const a = attach('phone');
    await expect(a.conn.request('host/info')).resolves.toMatchObject({ hostName: 'test-host' });
    await expect(a.conn.request('host/devices/list')).rejects.toMatchObject({ code: -32600, message: 'host/devices/list: not allowed for phone clients' });
    const c = attach('cli');
    await expect(c.conn.request('host/devices/list')).rejects.toMatchObject({ code: -32601, message: 'host/devices/list: not available on this host (remote access is off)' });
  });

  it('drops a client that stops reading, with a reason', async () => {
    const farEnds: Transport[] = [];
    const engine = new MemoryEngine((_c, raw) => farEnds.push(raw));
    const hub = new Hub({ engine, audit: new MemoryAuditLog(), logger: silentLogger, hostVersion: '0', limits: { maxClientOutboundBytes: 1000 } });
    const [clientSide, hubSide] = createMemoryTransportPair();
    const closes: CloseInfo[] = [];
    clientSide.onClose((c) => closes.push(c));
    // A socket whose send buffer keeps growing: the peer is not reading.
    let buffered = 0;
    const stalled: Transport = {
      send: (t) => {
        buffered += t.length;
        hubSide.send(t);
      },
      onMessage: (l) => hubSide.onMessage(l),
      onClose: (l) => hubSide.onClose(l),
      close: (c, r) => hubSide.close(c, r),
      get bufferedAmount() {
        return buffered;
      },
      get isClosed() {
        return hubSide.isClosed;
      },
    };
    hub.attach(stalled, { kind: 'phone', name: 'slow phone' });
    await tick();
    for (let i = 0; i < 20; i++) farEnds.at(-1)!.send(JSON.stringify({ method: 'item/agentMessage/delta', params: { delta: 'x'.repeat(100) } }));
    await tick(20);
    expect(closes).toEqual([{ code: 1008, reason: 'client is not reading: more than 1000 bytes queued' }]);
    expect(hub.clientCount).toBe(0);
  });
});
