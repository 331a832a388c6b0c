/**
 * Environments in the hub (docs/host-api.md): a client picks one before `initialize`;
 * approvals, busy state and host/info are kept per environment, so two engines that both
 * number their server requests from 0 never mix them up.
 */
import { describe, expect, it } from 'vitest';
import { RpcConnection } from '../../shared/rpc/connection.js';
import { createMemoryTransportPair } from '../../shared/rpc/memoryTransport.js';
import { answersByHand, approvalRequest, createTestHub, MemoryEngine } from './testing/hubTestKit.js';

const initialize = { clientInfo: { name: 'x' } };

function twoEnvironments() {
  const t = createTestHub();
  const second = new MemoryEngine();
  second.version = '0.171.0';
  const removal = t.hub.environments.add({ id: 'ssh:build-box', kind: 'ssh', name: 'build-box', engine: second });
  return { ...t, second, removal };
}


describe('hub environments', () => {
  it('lists each environment with its kind, state and last error (the error only for admins)', async () => {
    const { attach, second } = twoEnvironments();
    second.setState('failed');
    second.lastError = 'ssh: connect ECONNREFUSED 10.0.0.5:22';
    const cli = attach('cli');
    await expect(cli.conn.request('host/environments/list')).resolves.toEqual({
      environments: [
        { id: 'local', kind: 'local', name: 'test-host', state: 'running', version: '0.169.0', restarts: 0, busy: false },
        { id: 'ssh:build-box', kind: 'ssh', name: 'build-box', state: 'failed', version: '0.171.0', restarts: 0, busy: false, lastError: 'ssh: connect ECONNREFUSED 10.0.0.5:22' },
      ],
    });
    const phone = attach('phone', 'p', 'a'.repeat(32));
    const forPhone = (await phone.conn.request('host/environments/list')) as { environments: object[] };
    expect(forPhone.environments[1]).toEqual({ id: 'ssh:build-box', kind: 'ssh', name: 'build-box', state: 'failed', version: '0.171.0', restarts: 0, busy: false });
  });

  it('routes a connection to the environment it selected before initialize (default local)', async () => {
    const { attach, engine, second } = twoEnvironments();
    const a = attach('tui', 'in local');
    const b = attach('tui', 'in build-box');
    await expect(b.conn.request('host/environment/select', { environmentId: 'ssh:build-box' })).resolves.toMatchObject({ environment: { id: 'ssh:build-box', kind: 'ssh', state: 'running' } });
    await a.conn.request('initialize', initialize);
    await b.conn.request('initialize', initialize);
    expect(engine.clients).toHaveLength(1);
    expect(second.clients).toHaveLength(1);
    const cli = attach('cli');
    const info = (await cli.conn.request('host/info')) as { clients: { name: string; environmentId: string }[] };
    expect(info.clients.filter((c) => c.name.startsWith('in ')).map((c) => [c.name, c.environmentId]).sort()).toEqual([
      ['in build-box', 'ssh:build-box'],
      ['in local', 'local'],
    ]);
  });

  it('answers an unknown environment with an error naming it, and the connection stays usable', async () => {
    const { attach, engine } = createTestHub();
    const a = attach('tui');
    await expect(a.conn.request('host/environment/select', { environmentId: 'nowhere' })).rejects.toMatchObject({
      code: -32602,
      message: 'host/environment/select: unknown environment "nowhere" (this host has: local)',
      data: { environmentId: 'nowhere' },
    });
    await expect(a.conn.request('host/environment/select', { environmentId: 'not an id!' })).rejects.toMatchObject({ code: -32602, message: expect.stringContaining('environmentId') });
    await expect(a.conn.request('initialize', initialize)).resolves.toEqual({ userAgent: 'fake/0.169.0' });
    expect(engine.clients).toHaveLength(1);
  });

  it('refuses select once the connection uses its engine, and keeps it there', async () => {
    const { attach, engine, second } = twoEnvironments();
    const a = attach('tui');
    await a.conn.request('initialize', initialize);
    await expect(a.conn.request('host/environment/select', { environmentId: 'ssh:build-box' })).rejects.toMatchObject({
      code: -32600,
      message: 'host/environment/select: this connection already works in environment "local"; choose the environment before initialize, or open a new connection for another one',
    });
    await a.conn.request('initialize', initialize);
    expect(engine.clients).toHaveLength(1);
    expect(second.connections.filter((c) => !c.monitor)).toHaveLength(0);
  });

  it('keeps approvals apart when two engines both use server request id 0', async () => {
    const { attach, engine, second, audit } = twoEnvironments();
    const a = answersByHand(attach('tui', 'local client'));
    const b = answersByHand(attach('tui', 'remote client'));
    await b.conn.request('host/environment/select', { environmentId: 'ssh:build-box' });
    await a.conn.request('initialize', initialize);
    await b.conn.request('initialize', initialize);
    (await engine.client(0)).raw.send(approvalRequest(0, 'make local', 'thread-local'));
    (await second.client(0)).raw.send(approvalRequest(0, 'make remote', 'thread-remote'));
    await a.next((m) => m.id === 0 && m.method !== undefined);
    await b.next((m) => m.id === 0 && m.method !== undefined);
    a.send({ id: 0, result: { decision: 'accept' } });
    b.send({ id: 0, result: { decision: 'decline' } });
    await expect.poll(() => audit.entries.length).toBe(2);
    expect(audit.entries.map((e) => [e.environmentId, e.client.name, e.summary, e.decision, e.outcome]).sort()).toEqual([
      ['local', 'local client', 'make local (in /w)', 'accept', 'applied'],
      ['ssh:build-box', 'remote client', 'make remote (in /w)', 'decline', 'applied'],
    ]);
  });

  it('an engine restart closes and resets only its own environment', async () => {
    const { attach, engine, second, audit } = twoEnvironments();
    const a = answersByHand(attach('tui', 'local client'));
    const b = attach('tui', 'remote client');
    await b.conn.request('host/environment/select', { environmentId: 'ssh:build-box' });
    await a.conn.request('initialize', initialize);
    await b.conn.request('initialize', initialize);
    const local = await engine.client(0);
    local.raw.send(approvalRequest(0, 'still pending'));
    await a.next((m) => m.id === 0 && m.method !== undefined);
    second.restart();
    expect(await b.closed).toEqual({ code: 1012, reason: 'engine restarted; reconnect to continue' });
    // The local client and its pending approval are untouched.
    await expect(a.conn.request('host/info')).resolves.toMatchObject({ environments: [{ id: 'local', restarts: 0 }, { id: 'ssh:build-box', restarts: 1 }] });
    a.send({ id: 0, result: { decision: 'accept' } });
    await expect.poll(() => audit.entries.length).toBe(1);
    expect(audit.entries[0]).toMatchObject({ environmentId: 'local', summary: 'still pending (in /w)', outcome: 'applied' });
    expect(local.received.some((t) => JSON.parse(t).id === 0 && 'result' in JSON.parse(t))).toBe(true);
  });

  it('closes the clients of an environment that is removed, with a reason', async () => {
    const { attach, removal } = twoEnvironments();
    const b = attach('tui');
    await b.conn.request('host/environment/select', { environmentId: 'ssh:build-box' });
    await b.conn.request('initialize', initialize);
    removal.dispose();
    expect(await b.closed).toEqual({ code: 1001, reason: 'environment "ssh:build-box" was removed from this host' });
  });

  it('notifies subscribed clients when environments change, engines change state and a turn runs', async () => {
    const { hub, attach, engine } = createTestHub();
    const cli = attach('cli');
    const phone = attach('phone', 'p', 'a'.repeat(32));
    const tui = attach('tui');
    await expect(cli.conn.request('host/notifications/subscribe')).resolves.toEqual({
      methods: ['host/engine/changed', 'host/busy/changed', 'host/auditLog/changed', 'host/environments/changed', 'host/devices/changed', 'host/pairing/claimed', 'host/pairing/expired', 'host/remoteAccess/changed', 'host/remotes/changed', 'host/listener/changed', 'host/push/changed', 'host/ssh/changed', 'host/ssh/prompt', 'host/ssh/prompt/closed', 'host/ssh/projects/changed', 'host/power/changed'],
    });
    await expect(phone.conn.request('host/notifications/subscribe')).resolves.toEqual({ methods: ['host/engine/changed', 'host/busy/changed', 'host/environments/changed', 'host/ssh/projects/changed'] });
    await expect(phone.conn.request('host/notifications/subscribe', { methods: ['host/devices/changed'] })).rejects.toMatchObject({
      code: -32600,
      message: 'host/notifications/subscribe: host/devices/changed: not allowed for phone clients',
    });

    const other = new MemoryEngine();
    other.lastError = 'ssh: host key mismatch for 10.0.0.5';
    other.state = 'failed';
    hub.environments.add({ id: 'ssh:other', kind: 'ssh', name: 'other', engine: other });
    const forCli = await cli.next((m) => m.method === 'host/environments/changed');
    const forPhone = await phone.next((m) => m.method === 'host/environments/changed');
    expect((forCli.params as { environments: { id: string; lastError?: string }[] }).environments.map((e) => [e.id, e.lastError])).toEqual([
      ['local', undefined],
      ['ssh:other', 'ssh: host key mismatch for 10.0.0.5'],
    ]);
    expect(JSON.stringify(forPhone)).not.toContain('10.0.0.5');

    engine.setState('restarting');
    await expect(phone.next((m) => m.method === 'host/engine/changed')).resolves.toEqual({ method: 'host/engine/changed', params: { environmentId: 'local', state: 'restarting', restarts: 0 } });
    engine.setState('running');

    // A turn starts: the monitor sees the broadcast thread/status/changed.
    await expect.poll(() => engine.connections.some((c) => c.monitor)).toBe(true);
    const monitor = engine.connections.find((c) => c.monitor)!;
    monitor.raw.send(JSON.stringify({ method: 'thread/status/changed', params: { threadId: 't', status: { type: 'active' } } }));
    await expect(cli.next((m) => m.method === 'host/busy/changed')).resolves.toEqual({ method: 'host/busy/changed', params: { busy: true, environmentId: 'local', environmentBusy: true } });
    expect(hub.busy).toBe(true);
    // A client that did not subscribe gets no host/ notification.
    await tui.conn.request('host/info');
    expect(tui.received.filter((m) => typeof m.method === 'string' && (m.method as string).startsWith('host/'))).toEqual([]);
  });
});

describe('a client bound to one environment (an endpoint such as `remotes connect --listen`)', () => {
  it('works in that environment without selecting it, and cannot select another', async () => {
    const { hub, engine, second } = twoEnvironments();
    const [clientSide, hubSide] = createMemoryTransportPair();
    const conn = new RpcConnection(clientSide, { requestTimeoutMs: 2000 });
    hub.attach(hubSide, { kind: 'tui', name: 'bound' }, { environmentId: 'ssh:build-box' });
    await expect(conn.request('host/environment/select', { environmentId: 'local' })).rejects.toMatchObject({
      code: -32600,
      message: 'host/environment/select: this endpoint serves environment "ssh:build-box" only',
    });
    await expect(conn.request('host/environment/select', { environmentId: 'ssh:build-box' })).resolves.toMatchObject({ environment: { id: 'ssh:build-box' } });
    await conn.request('initialize', initialize);
    expect(second.clients).toHaveLength(1);
    expect(engine.clients).toHaveLength(0);
    expect(hub.clients().find((c) => c.name === 'bound')?.environmentId).toBe('ssh:build-box');
  });
});
