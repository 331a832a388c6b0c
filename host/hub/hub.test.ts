import { describe, expect, it } from 'vitest';
import { createMemoryTransportPair } from '../../shared/rpc/memoryTransport.js';
import type { CloseInfo, Transport } from '../../shared/rpc/transport.js';
import { silentLogger } from '../../shared/util/logger.js';
import { MemoryAuditLog } from '../audit/auditLog.js';
import { Hub } from './hub.js';
import { approvalRequest, createTestHub, GatedAudit, MemoryEngine } from './testing/hubTestKit.js';

const initialize = { clientInfo: { name: 'x' } };

describe('Hub', () => {
  it('forwards requests and engine notifications unchanged, per client', async () => {
    const { attach } = createTestHub({
      serve: ({ conn, raw }) =>
        conn.onRequest('thread/list', () => {
          raw.send(JSON.stringify({ method: 'thread/started', params: { thread: { id: 't1' } }, emittedAtMs: 5 }));
          return { data: [], nextCursor: null };
        }),
    });
    const a = attach();
    await expect(a.conn.request('initialize', initialize)).resolves.toEqual({ userAgent: 'fake/0.169.0' });
    await expect(a.conn.request('thread/list', {})).resolves.toEqual({ data: [], nextCursor: null });
    expect(a.received).toContainEqual({ method: 'thread/started', params: { thread: { id: 't1' } }, emittedAtMs: 5 });
  });

  it('opens a client\'s engine connection with its first engine message, not before', async () => {
    const { attach, engine } = createTestHub();
    const cli = attach('cli');
    await expect(cli.conn.request('host/info')).resolves.toMatchObject({ hostName: 'test-host' });
    const monitorOnly = engine.connections.length;
    expect(engine.clients).toHaveLength(0);
    await cli.conn.request('initialize', initialize);
    expect(engine.clients).toHaveLength(1);
    expect(engine.connections).toHaveLength(monitorOnly + 1);
  });

  it('answers host/info itself with the host, engine, environments, audit state and clients', async () => {
    const { attach } = createTestHub();
    const cli = attach('cli', 'codex-host cli');
    attach('tui', 'codex-tui');
    attach('phone', 'Pixel', 'a'.repeat(32));
    const info = await cli.conn.request<{ hostName: string; features: string[]; engine: { state: string }; environments: unknown[]; audit: unknown; clients: { kind: string; name: string; environmentId: string }[] }>('host/info');
    expect(info.hostName).toBe('test-host');
    expect(info.features).toEqual(['core', 'environments']);
    expect(info.engine.state).toBe('running');
    expect(info.environments).toEqual([{ id: 'local', kind: 'local', name: 'test-host', state: 'running', version: '0.169.0', restarts: 0, busy: false }]);
    expect(info.audit).toEqual({ state: 'ok' });
    expect(info.clients.map((c) => `${c.kind}:${c.name}:${c.environmentId}`).sort()).toEqual(['cli:codex-host cli:local', 'phone:Pixel:local', 'tui:codex-tui:local']);
  });

  it('answers malformed input with JSON-RPC errors instead of silence', async () => {
    const { attach } = createTestHub();
    const a = attach();
    a.transport.send('{oops');
    a.send({ id: 7, method: 42 });
    a.send({ id: 8, method: 'host/nope' });
    await expect.poll(() => a.received.length).toBe(3);
    expect(a.received).toEqual([
      { id: null, error: { code: -32700, message: 'Parse error: message is not valid JSON' } },
      { id: 7, error: { code: -32600, message: 'Invalid request: method must be a string' } },
      { id: 8, error: { code: -32601, message: 'Method not found: host/nope' } },
    ]);
  });

  it('audits approvals: first answer applied, a second client answer late', async () => {
    const { attach, audit, engine } = createTestHub();
    const a = attach('phone', 'Phone', 'a'.repeat(32));
    const b = attach('tui', 'TUI');
    a.conn.onRequest('item/commandExecution/requestApproval', () => ({ decision: 'accept' }));
    let answerB!: () => void;
    const bMayAnswer = new Promise<void>((r) => (answerB = r));
    b.conn.onRequest('item/commandExecution/requestApproval', async () => {
      await bMayAnswer;
      return { decision: 'decline' };
    });
    await a.conn.request('initialize', initialize);
    await b.conn.request('initialize', initialize);
    for (const side of engine.clients) side.raw.send(approvalRequest(0, 'touch x'));
    await expect.poll(() => audit.entries.length).toBe(1);
    answerB();
    await expect.poll(() => audit.entries.length).toBe(2);
    expect(audit.entries.map((e) => [e.client.name, e.environmentId, e.decision, e.outcome, e.summary, e.threadId])).toEqual([
      ['Phone', 'local', 'accept', 'applied', 'touch x (in /w)', 'th'],
      ['TUI', 'local', 'decline', 'late', 'touch x (in /w)', 'th'],
    ]);
  });

  it('forwards an approval answer only after its audit line is written, keeping message order', async () => {
    const audit = new GatedAudit();
    const { attach, engine } = createTestHub({ audit });
    const a = attach('phone', 'p', 'a'.repeat(32));
    // The test answers by hand below.
    a.conn.onRequest('item/commandExecution/requestApproval', () => new Promise(() => {}));
    await a.conn.request('initialize', initialize);
    const side = await engine.client(0);
    side.raw.send(approvalRequest(3, 'ls'));
    await a.next((m) => m.id === 3 && m.method !== undefined);
    const before = side.received.length;
    a.send({ id: 3, result: { decision: 'accept' } });
    a.send({ id: 9, method: 'thread/list', params: {} });
    await audit.waitingFor(1);
    // host/info is answered by the hub itself, after it handled both messages above; anything
    // it had forwarded would have reached the engine before this answer reaches the client.
    await a.conn.request('host/info');
    expect(side.received.slice(before)).toEqual([]);
    audit.release();
    await expect.poll(() => side.received.length - before).toBe(2);
    expect(audit.written).toEqual(['accept']);
    expect(side.received.slice(before).map((t) => JSON.parse(t).id)).toEqual([3, 9]);
  });

  it('closes every client of the environment with 1012 and a reason when its engine restarts', async () => {
    const { attach, engine } = createTestHub();
    const a = attach();
    const b = attach();
    await a.conn.request('initialize', initialize);
    engine.restart();
    expect(await a.closed).toEqual({ code: 1012, reason: 'engine restarted; reconnect to continue' });
    expect((await b.closed).code).toBe(1012);
  });

  it('refuses clients over the limit with a reason', async () => {
    const { attach } = createTestHub({ limits: { maxClients: 1, reservedAdminSlots: 0 } });
    attach();
    const b = attach();
    expect(await b.closed).toEqual({ code: 1013, reason: 'too many clients (max 1)' });
  });

  it('rate-limits requests with a retryable -32001', async () => {
    const { attach } = createTestHub({ serve: ({ conn }) => conn.onRequest('thread/list', () => ({ data: [] })), limits: { requestsPerSecond: 1, requestBurst: 2 } });
    const a = attach();
    const results = await Promise.allSettled([1, 2, 3].map(() => a.conn.request('thread/list', {})));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
    expect((results[2] as PromiseRejectedResult).reason).toMatchObject({ code: -32001, message: 'Rate limit exceeded; retry later.' });
  });

  it('keeps host-admin methods away from phones and names the feature that is off', async () => {
    const { attach } = createTestHub();
    const a = attach('phone', 'p', 'a'.repeat(32));
    await expect(a.conn.request('host/info')).resolves.toMatchObject({ hostName: 'test-host' });
    await expect(a.conn.request('host/devices/list')).rejects.toMatchObject({ code: -32600, message: 'host/devices/list: not allowed for phone clients' });
    const c = attach('cli');
    await expect(c.conn.request('host/devices/list')).rejects.toMatchObject({ code: -32601, message: 'host/devices/list: remote access is off on this host', data: { feature: 'remote' } });
    await expect(c.conn.request('host/pairing/start')).rejects.toMatchObject({ code: -32601, message: 'host/pairing/start: remote access is off on this host' });
  });

  it('drops a client that stops reading, with a reason', async () => {
    const engine = new MemoryEngine();
    const hub = new Hub({ engine, audit: new MemoryAuditLog(), logger: silentLogger, hostVersion: '0', limits: { maxClientOutboundBytes: 1000 } });
    const [clientSide, hubSide] = createMemoryTransportPair();
    const closed = new Promise<CloseInfo>((r) => clientSide.onClose(r));
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
    hub.attach(stalled, { kind: 'phone', name: 'slow phone', id: 'a'.repeat(32) });
    clientSide.send(JSON.stringify({ id: 1, method: 'initialize', params: initialize }));
    const side = await engine.client(0);
    for (let i = 0; i < 20; i++) side.raw.send(JSON.stringify({ method: 'item/agentMessage/delta', params: { delta: 'x'.repeat(100) } }));
    expect(await closed).toEqual({ code: 1008, reason: 'client is not reading: more than 1000 bytes queued' });
    expect(hub.clientCount).toBe(0);
  });

  it('never shows a client the engine\'s internal address when its engine cannot be reached', async () => {
    const { attach, engine } = createTestHub();
    engine.failConnect = new Error('connect ws://127.0.0.1:39123/: ECONNREFUSED');
    const a = attach('phone', 'p', 'a'.repeat(32));
    a.send({ id: 1, method: 'initialize', params: initialize });
    const closed = await a.closed;
    expect(closed).toEqual({ code: 1013, reason: 'engine unavailable; try again later' });
    expect(closed.reason).not.toMatch(/127\.0\.0\.1|39123/);
  });
});
