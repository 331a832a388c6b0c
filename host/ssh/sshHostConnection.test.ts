import { describe, expect, it } from 'vitest';
import { createMemoryTransportPair } from '../../shared/rpc/memoryTransport.js';
import { Emitter } from '../../shared/util/lifecycle.js';
import type { RemoteEngineInfo } from './remoteEngine.js';
import type { ResolvedSshHost } from './resolvedHost.js';
import type { SshSession } from './ssh2Client.js';
import { SshEnginePort } from './sshEnginePort.js';
import { SshHostConnection, type RemoteEngineHandle, type SshHostStatus } from './sshHostConnection.js';
import { SshError } from './sshErrors.js';

const host: ResolvedSshHost = {
  alias: 'devbox',
  hostName: '10.0.0.1',
  port: 22,
  user: 'alice',
  identityFiles: [],
  identitiesOnly: false,
  agentSocket: undefined,
  proxyJump: [],
  knownHostsFiles: [],
  hostKeyAlias: undefined,
  connectTimeoutMs: undefined,
  passwordAuthentication: true,
  kbdInteractiveAuthentication: true,
  pubkeyAuthentication: true,
  source: 'openssh',
};
const info: RemoteEngineInfo = { shell: '/bin/bash', user: 'alice', codexPath: '/usr/bin/codex', codexVersion: '0.169.0', dir: '/tmp/codex-host-ab-1', socketPath: '/tmp/codex-host-ab-1/engine.sock', pid: 7, pathEnv: '/usr/bin', codexHome: undefined };

class FakeSession implements SshSession {
  readonly closed = new Emitter<string>();
  isClosed = false;
  exec(): never {
    throw new Error('not used');
  }
  forwardOut(): never {
    throw new Error('not used');
  }
  onClose(l: (r: string) => void) {
    return this.closed.on(l);
  }
  close() {
    this.drop('closed by us');
  }
  drop(reason: string) {
    if (this.isClosed) return;
    this.isClosed = true;
    this.closed.fire(reason);
  }
}

/** Manual timers: `fire()` runs the next scheduled retry. */
function timers() {
  const queue: { fn: () => void; ms: number }[] = [];
  return { queue, setTimer: (fn: () => void, ms: number) => queue.push({ fn, ms }), clearTimer: () => queue.splice(0), fire: () => queue.shift()?.fn() };
}

async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 1));
  expect(cond()).toBe(true);
}

function setup(overrides: { connect?: () => Promise<SshSession>; startEngine?: (prev: RemoteEngineInfo | undefined) => Promise<RemoteEngineHandle> } = {}) {
  const t = timers();
  const sessions: FakeSession[] = [];
  const stops: string[] = [];
  const previous: (RemoteEngineInfo | undefined)[] = [];
  const engine: RemoteEngineHandle = { info, openTransport: async () => createMemoryTransportPair()[0], stop: async () => void stops.push('stop') };
  const conn = new SshHostConnection({
    alias: 'devbox',
    resolve: async () => host,
    connect: overrides.connect ?? (async (_h, onPhase) => {
      onPhase('connecting');
      onPhase('authenticating');
      const s = new FakeSession();
      sessions.push(s);
      return s;
    }),
    startEngine: async (_s, prev, onPhase) => {
      previous.push(prev);
      onPhase('checking-codex');
      onPhase('starting-engine');
      return overrides.startEngine ? overrides.startEngine(prev) : engine;
    },
    backoff: { initialMs: 100, maxMs: 1000, random: () => 1 },
    setTimer: t.setTimer,
    clearTimer: t.clearTimer,
  });
  const seen: SshHostStatus[] = [];
  conn.onStatus((s) => seen.push(s));
  return { conn, t, sessions, stops, previous, seen, port: new SshEnginePort(conn) };
}

describe('SshHostConnection', () => {
  it('reports every phase and ends connected; the engine port is running', async () => {
    const { conn, seen, port } = setup();
    const states: string[] = [];
    port.onStateChange((s) => states.push(s));
    conn.start();
    await until(() => conn.status.state === 'connected');
    expect([...new Set(seen.map((s) => s.phase).filter(Boolean))]).toEqual(['resolving', 'connecting', 'authenticating', 'checking-codex', 'starting-engine', 'ready']);
    expect(conn.status.remote).toEqual({ codexVersion: '0.169.0', shell: '/bin/bash', user: 'alice' });
    expect(conn.status.target).toMatchObject({ hostName: '10.0.0.1', port: 22, user: 'alice' });
    expect(states).toEqual(['starting', 'running']);
    expect(port.version).toBe('0.169.0');
    await expect(port.connect()).resolves.toBeDefined();
  });

  it('on a lost connection: reports disconnected, fires onRestart, retries with backoff and reuses the engine', async () => {
    const { conn, t, sessions, previous, port } = setup();
    let restarts = 0;
    port.onRestart(() => restarts++);
    conn.start();
    await until(() => conn.status.state === 'connected');
    sessions[0]!.drop('the host stopped answering keep-alives');
    expect(conn.status).toMatchObject({ state: 'disconnected', lastError: { code: 'disconnected', message: 'Disconnected: the host stopped answering keep-alives' }, retryInMs: 100, disconnects: 1 });
    expect(port.state).toBe('restarting');
    expect(restarts).toBe(1);
    await expect(port.connect()).rejects.toThrow('devbox is disconnected: Disconnected: the host stopped answering keep-alives');
    t.fire();
    await until(() => conn.status.state === 'connected');
    expect(previous).toEqual([undefined, info]);
    expect(port.state).toBe('running');
  });

  it('backs off on retryable failures and stops retrying on permanent ones', async () => {
    let n = 0;
    const { conn, t } = setup({
      connect: async () => {
        n++;
        if (n <= 2) throw new SshError('connect', '127.0.0.1:22 refused the connection (is sshd running there?)');
        throw new SshError('host-key-changed', 'Host key changed — refusing to connect');
      },
    });
    conn.start();
    await until(() => conn.status.state === 'disconnected');
    expect(conn.status.retryInMs).toBe(100);
    t.fire();
    await until(() => conn.status.retryInMs === 200);
    t.fire();
    await until(() => conn.status.state === 'error');
    expect(conn.status.lastError).toMatchObject({ code: 'host-key-changed' });
    expect(t.queue).toHaveLength(0);
  });

  it('stop() stops the remote engine, closes the session and stays disabled', async () => {
    const { conn, sessions, stops, port, t } = setup();
    conn.start();
    await until(() => conn.status.state === 'connected');
    await conn.stop();
    expect(stops).toEqual(['stop']);
    expect(sessions[0]!.isClosed).toBe(true);
    expect(conn.status.state).toBe('disabled');
    expect(port.state).toBe('stopped');
    expect(t.queue).toHaveLength(0);
  });
});
