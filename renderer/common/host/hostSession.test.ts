import { describe, expect, it } from 'vitest';
import { RpcError } from '../../../shared/rpc/rpcError';
import { fakeHub } from '../testing/fakeEngine';
import { HostModel } from './hostModel';
import { HostSession, type SessionStatus } from './hostSession';

const CLIENT = { name: 'test_window', title: 'Test', version: '0' };
// A deadline, not a wait: the first host/info parse imports the schema chunk, slow on a loaded machine.
const until = async (cond: () => boolean, ms = 10_000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe('the host session', () => {
  it('initializes with the experimental API on (thread/resume initialTurnsPage needs it)', async () => {
    const hub = fakeHub();
    const session = new HostSession({ connect: hub.connect, clientInfo: CLIENT });
    session.start();
    await until(() => session.status.kind === 'online');
    expect(await hub.connections[0]!.initializeParams).toEqual({ clientInfo: CLIENT, capabilities: { experimentalApi: true, requestAttestation: false } });
    session.stop();
  });

  it('selects its environment before every initialize (an SSH host\'s session), and local sends no select', async () => {
    const order: string[] = [];
    const hub = fakeHub({ 'host/environment/select': (p) => (order.push(`select ${(p as { environmentId: string }).environmentId}`), { environment: {} }) });
    const session = new HostSession({ connect: hub.connect, clientInfo: CLIENT, environmentId: 'ssh:box', initialBackoffMs: 10, random: () => 0.5 });
    session.start();
    await until(() => session.status.kind === 'online');
    await hub.connections[0]!.initializeParams.then(() => order.push('initialize'));
    hub.connections[0]!.close();
    await until(() => hub.connections.length === 2 && session.status.kind === 'online');
    await hub.connections[1]!.initializeParams.then(() => order.push('initialize'));
    expect(order).toEqual(['select ssh:box', 'initialize', 'select ssh:box', 'initialize']);
    session.stop();

    const plain = fakeHub({ 'host/environment/select': () => order.push('unexpected') });
    const local = new HostSession({ connect: plain.connect, clientInfo: CLIENT, environmentId: 'local' });
    local.start();
    await until(() => local.status.kind === 'online');
    expect(order).not.toContain('unexpected');
    local.stop();
  });

  it('an environment the hub refuses to select is retried, not initialized in local', async () => {
    const hub = fakeHub({
      'host/environment/select': () => {
        throw new RpcError(-32602, 'host/environment/select: unknown environment "ssh:gone" (this host has: local)');
      },
    });
    const session = new HostSession({ connect: hub.connect, clientInfo: CLIENT, environmentId: 'ssh:gone', initialBackoffMs: 10, random: () => 0.5 });
    session.start();
    await until(() => session.status.kind === 'reconnecting');
    expect(session.status).toMatchObject({ kind: 'reconnecting', lastError: expect.stringContaining('unknown environment "ssh:gone"') });
    let initialized = false;
    void hub.connections[0]!.initializeParams.then(() => (initialized = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(initialized).toBe(false);
    session.stop();
  });

  it('reconnects after the transport closes, says so meanwhile, and tells listeners it is a reconnect', async () => {
    const hub = fakeHub();
    const statuses: SessionStatus['kind'][] = [];
    const connects: boolean[] = [];
    const session = new HostSession({ connect: hub.connect, clientInfo: CLIENT, initialBackoffMs: 10, random: () => 0.5 });
    session.onStatus((s) => statuses.push(s.kind));
    session.onConnected((e) => connects.push(e.reconnect));
    session.start();
    await until(() => connects.length === 1);
    hub.connections[0]!.close(1006, 'network gone');
    await until(() => connects.length === 2);
    expect(connects).toEqual([false, true]);
    expect(statuses).toEqual(['online', 'reconnecting', 'online']);
    session.stop();
  });

  it('stops retrying when the close is final (a refused token) and says why', async () => {
    const hub = fakeHub();
    const session = new HostSession({
      connect: hub.connect,
      clientInfo: CLIENT,
      initialBackoffMs: 10,
      finalClose: (info) => (info.code === 4401 ? 'This page’s link is not valid' : undefined),
    });
    session.start();
    await until(() => session.status.kind === 'online');
    hub.connections[0]!.close(4401, 'wrong token');
    await until(() => session.status.kind === 'refused');
    await new Promise((r) => setTimeout(r, 60));
    expect(hub.connections).toHaveLength(1);
    expect(session.status).toEqual({ kind: 'refused', reason: 'This page’s link is not valid' });
  });

  it('"Retry now" during an attempt in flight does not start a second one (they would race for the status)', async () => {
    const hub = fakeHub();
    let calls = 0;
    let release!: () => void;
    const session = new HostSession({
      connect: () => {
        calls += 1;
        if (calls === 1) return Promise.reject(new Error('network unreachable'));
        // The second attempt hangs until released, like a slow handshake.
        return new Promise((resolve, reject) => (release = () => void hub.connect().then(resolve, reject)));
      },
      clientInfo: CLIENT,
      initialBackoffMs: 5,
      random: () => 0.5,
    });
    session.start();
    await until(() => calls === 2);
    session.reconnectNow();
    session.reconnectNow();
    expect(calls).toBe(2);
    release();
    await until(() => session.status.kind === 'online');
    expect(calls).toBe(2);
    session.stop();
  });

  it('a close while initializing schedules one retry, not two (the close and the failed initialize both saw it)', async () => {
    let timers = 0;
    const hub = fakeHub({
      'host/environment/select': () => {
        hub.connections.at(-1)!.close(1006, 'dropped during the handshake');
        return new Promise(() => {});
      },
    });
    const session = new HostSession({
      connect: hub.connect,
      clientInfo: CLIENT,
      environmentId: 'ssh:box',
      timers: { setTimeout: () => ((timers += 1), timers), clearTimeout: () => {} },
    });
    session.start();
    await until(() => session.status.kind === 'reconnecting');
    await new Promise((r) => setTimeout(r, 20));
    expect(timers).toBe(1);
    expect(session.status).toMatchObject({ kind: 'reconnecting', attempt: 1, lastError: 'connection closed: dropped during the handshake', closeCode: 1006 });
    session.stop();
  });

  it('requests fail fast with a clear message while offline', async () => {
    const session = new HostSession({ connect: () => Promise.reject(new Error('cannot reach the host')), clientInfo: CLIENT, initialBackoffMs: 1000 });
    session.start();
    await until(() => session.status.kind === 'reconnecting');
    expect(session.status).toMatchObject({ kind: 'reconnecting', attempt: 1, lastError: 'cannot reach the host' });
    await expect(session.request('thread/list', {})).rejects.toThrow('thread/list: not connected to the host');
    session.stop();
  });
});

describe('the host model (one place that wires notifications and requests into stores)', () => {
  it('turns a server request into an approval card, sends the answer, and drops the card on serverRequest/resolved', async () => {
    const hub = fakeHub({
      'thread/list': () => ({ data: [], readStates: null, nextCursor: null, backwardsCursor: null }),
      'model/list': () => ({ data: [], nextCursor: null }),
      'host/info': () => ({
        hostName: 'box',
        platform: 'linux',
        version: '0.1.0',
        features: ['core', 'environments'],
        engine: { state: 'running', restarts: 0 },
        busy: false,
        environments: [{ id: 'local', kind: 'local', name: 'box', state: 'running', restarts: 0, busy: false }],
        audit: { state: 'ok' },
        clients: [],
      }),
    });
    const session = new HostSession({ connect: hub.connect, clientInfo: CLIENT });
    const model = new HostModel(session);
    session.start();
    await until(() => model.connection.getState().hostInfo !== undefined);
    expect(model.connection.getState().environments).toEqual([{ id: 'local', label: 'This computer', detail: 'box', kind: 'local' }]);
    const conn = hub.connections[0]!;
    const answer = conn.ask('item/commandExecution/requestApproval', { threadId: 'th', turnId: 'tu', itemId: 'it', command: 'ls', availableDecisions: ['accept', 'decline'] });
    await until(() => model.approvals.getState().pending.length === 1);
    model.approvals.getState().answer(model.approvals.getState().pending[0]!.requestId, { decision: 'accept' });
    expect(await answer).toEqual({ decision: 'accept' });
    conn.notify('serverRequest/resolved', { threadId: 'th', requestId: 1 });
    await until(() => model.approvals.getState().pending.length === 0);
    // a request this window does not know is refused, not left hanging
    await expect(conn.ask('item/tool/call', { threadId: 'th' })).rejects.toThrow('not supported by this window');
    model.dispose();
  });

  it('drops a card when its turn completes (no serverRequest/resolved needed), keeps the other turns’ cards, and replays none of a lost connection', async () => {
    const hub = fakeHub({
      'thread/list': () => ({ data: [], readStates: null, nextCursor: null, backwardsCursor: null }),
      'model/list': () => ({ data: [], nextCursor: null }),
    });
    const session = new HostSession({ connect: hub.connect, clientInfo: CLIENT, initialBackoffMs: 10, random: () => 0.5 });
    const model = new HostModel(session);
    session.start();
    await until(() => session.status.kind === 'online');
    const conn = hub.connections[0]!;
    void conn.ask('item/commandExecution/requestApproval', { threadId: 'th', turnId: 'tu-1', itemId: 'a', command: 'ls', availableDecisions: ['accept', 'cancel'] }).catch(() => undefined); // never answered: the connection ends
    void conn.ask('item/commandExecution/requestApproval', { threadId: 'th', turnId: 'tu-2', itemId: 'b', command: 'pwd', availableDecisions: ['accept', 'cancel'] }).catch(() => undefined); // never answered: the connection ends
    await until(() => model.approvals.getState().pending.length === 2);
    conn.notify('turn/completed', { threadId: 'th', turn: { id: 'tu-1', items: [], status: 'interrupted', error: null } });
    await until(() => model.approvals.getState().pending.length === 1);
    expect(model.approvals.getState().pending[0]!.turnId).toBe('tu-2');
    // another thread's turn of the same id leaves this card alone
    conn.notify('turn/completed', { threadId: 'other', turn: { id: 'tu-2', items: [], status: 'completed', error: null } });
    await new Promise((r) => setTimeout(r, 20));
    expect(model.approvals.getState().pending).toHaveLength(1);
    conn.close(1006, 'network gone');
    await until(() => model.approvals.getState().pending.length === 0);
    model.dispose();
  });
});
