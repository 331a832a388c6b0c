/**
 * In-memory engines and clients for the hub's unit tests (no processes, no sockets): each
 * engine connection is a memory transport pair whose far end a test scripts; every wait is an
 * awaited signal or a bounded poll, never a fixed sleep. The real engine is exercised in e2e/.
 */
import type { ClientKind } from '../../../shared/protocol/clientIdentity.js';
import type { EngineState } from '../../../shared/protocol/hostMethods.js';
import { RpcConnection } from '../../../shared/rpc/connection.js';
import { createMemoryTransportPair } from '../../../shared/rpc/memoryTransport.js';
import type { CloseInfo, Transport } from '../../../shared/rpc/transport.js';
import { Emitter } from '../../../shared/util/lifecycle.js';
import { silentLogger } from '../../../shared/util/logger.js';
import { MemoryAuditLog, type AuditSink } from '../../audit/auditLog.js';
import type { EnginePort } from '../enginePort.js';
import { Hub, type HubOptions } from '../hub.js';
import type { HubLimitOverrides } from '../hubLimits.js';

/** One engine connection as the engine sees it. */
export interface EngineSide {
  readonly conn: RpcConnection;
  readonly raw: Transport;
  /** Every text the hub sent on this connection. */
  readonly received: string[];
  /** The hub's own busy monitor (known once it sent `initialize`). */
  monitor: boolean;
}

/**
 * An engine for hub tests. Each `connect()` yields a connection whose far end answers
 * `initialize` and is then handed to `serve`.
 */
export class MemoryEngine implements EnginePort {
  state: EngineState = 'running';
  version = '0.169.0';
  restarts = 0;
  lastError: string | undefined;
  /** When set, `connect()` rejects with this. */
  failConnect: Error | undefined;
  /** Every connection, the hub's monitor included. */
  readonly connections: EngineSide[] = [];
  /** The connections of clients (initialized by something other than the hub's monitor). */
  readonly clients: EngineSide[] = [];
  readonly #states = new Emitter<EngineState>();
  readonly #restart = new Emitter<void>();
  readonly #connected = new Emitter<EngineSide>();

  constructor(private readonly serve: (side: EngineSide) => void = () => {}) {}

  connect(): Promise<Transport> {
    if (this.failConnect) return Promise.reject(this.failConnect);
    const [near, far] = createMemoryTransportPair();
    const side: EngineSide = { conn: new RpcConnection(far), raw: far, received: [], monitor: false };
    far.onMessage((t) => side.received.push(t));
    side.conn.onRequest('initialize', (params) => {
      side.monitor = (params as { clientInfo?: { title?: unknown } } | undefined)?.clientInfo?.title === 'Codex Host monitor';
      if (!side.monitor && !this.clients.includes(side)) {
        this.clients.push(side);
        this.#connected.fire(side);
      }
      return { userAgent: 'fake/0.169.0' };
    });
    this.connections.push(side);
    this.serve(side);
    return Promise.resolve(near);
  }

  /** Resolves with the `n`th client connection (0-based) once it sent `initialize`. */
  client(n: number): Promise<EngineSide> {
    const have = this.clients[n];
    if (have) return Promise.resolve(have);
    return new Promise((resolve) => {
      const sub = this.#connected.on(() => {
        const c = this.clients[n];
        if (c) {
          sub.dispose();
          resolve(c);
        }
      });
    });
  }

  setState(state: EngineState): void {
    this.state = state;
    this.#states.fire(state);
  }

  onStateChange(l: (s: EngineState) => void) {
    return this.#states.on(l);
  }

  onRestart(l: () => void) {
    return this.#restart.on(l);
  }

  /** The process died: every connection drops and the hub is told. */
  restart(): void {
    this.restarts++;
    this.#restart.fire();
    for (const c of this.connections) c.raw.close(1006, 'engine died');
  }
}

/** One hub client as a test drives it. */
export interface TestClient {
  readonly conn: RpcConnection;
  readonly transport: Transport;
  /** Every text the hub sent this client, parsed. */
  readonly received: Record<string, unknown>[];
  readonly closed: Promise<CloseInfo>;
  /** Resolves with the first received message (past or future) matching `predicate`. */
  next(predicate: (m: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
  /** Sends a raw JSON value. */
  send(value: unknown): void;
}

export interface TestHubOptions {
  readonly serve?: (side: EngineSide) => void;
  readonly limits?: HubLimitOverrides;
  readonly audit?: AuditSink;
  readonly hub?: Partial<HubOptions>;
}

export function createTestHub(o: TestHubOptions = {}) {
  const engine = new MemoryEngine(o.serve);
  const memoryAudit = new MemoryAuditLog();
  const hub = new Hub({ engine, audit: o.audit ?? memoryAudit, logger: silentLogger, hostVersion: '0.1.0', hostName: 'test-host', limits: o.limits, ...o.hub });
  const attach = (kind: ClientKind = 'tui', name = 'client', id?: string): TestClient => {
    const [clientSide, hubSide] = createMemoryTransportPair();
    const received: Record<string, unknown>[] = [];
    const arrived = new Emitter<Record<string, unknown>>();
    clientSide.onMessage((t) => {
      const m = JSON.parse(t) as Record<string, unknown>;
      received.push(m);
      arrived.fire(m);
    });
    const closed = new Promise<CloseInfo>((resolve) => clientSide.onClose(resolve));
    const conn = new RpcConnection(clientSide, { requestTimeoutMs: 2000 });
    hub.attach(hubSide, { kind, name, ...(id ? { id } : {}) });
    const next: TestClient['next'] = (predicate) => {
      const past = received.find(predicate);
      if (past) return Promise.resolve(past);
      return new Promise((resolve) => {
        const sub = arrived.on((m) => {
          if (!predicate(m)) return;
          sub.dispose();
          resolve(m);
        });
      });
    };
    return { conn, transport: clientSide, received, closed, next, send: (v) => clientSide.send(JSON.stringify(v)) };
  };
  return { engine, hub, audit: memoryAudit, attach };
}

/** Makes a client leave approval requests unanswered (the test answers them by hand). */
export function answersByHand(c: TestClient): TestClient {
  c.conn.onRequest('item/commandExecution/requestApproval', () => new Promise(() => {}));
  return c;
}

/** A command approval request as the engine sends it. */
export function approvalRequest(id: number | string, command: string, threadId = 'th'): string {
  return JSON.stringify({ id, method: 'item/commandExecution/requestApproval', params: { threadId, command, cwd: '/w' } });
}

/** An audit sink whose appends wait until the test releases (or fails) them. */
export class GatedAudit implements AuditSink {
  readonly written: string[] = [];
  readonly #waiting: { decision: string; resolve(): void; reject(e: Error): void }[] = [];
  readonly #called = new Emitter<void>();

  append(e: { decision: string }): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#waiting.push({ decision: e.decision, resolve, reject });
      this.#called.fire();
    });
  }

  /** Resolves once `n` appends are waiting. */
  waitingFor(n: number): Promise<void> {
    if (this.#waiting.length >= n) return Promise.resolve();
    return new Promise((resolve) => {
      const sub = this.#called.on(() => {
        if (this.#waiting.length < n) return;
        sub.dispose();
        resolve();
      });
    });
  }

  release(): void {
    for (const w of this.#waiting.splice(0)) {
      this.written.push(w.decision);
      w.resolve();
    }
  }

  fail(message: string): void {
    for (const w of this.#waiting.splice(0)) w.reject(new Error(message));
  }
}
