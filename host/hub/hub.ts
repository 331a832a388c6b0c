/**
 * The hub (design.md §1): every client — desktop window, phone, other host, remote TUI, CLI —
 * speaks the app-server protocol to it as if it were `codex app-server`, and gets its own
 * engine connection. The hub knows who each client is, answers host/ methods, audits approvals,
 * signals "busy", bounds everything (hubLimits.ts) and, when the engine restarts, closes every
 * client with a clear reason so it can reconnect.
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { ClientIdentity } from '../../shared/protocol/clientIdentity.js';
import type { HostInfo, HostMethod, HostParams, HostResult } from '../../shared/protocol/hostMethods.js';
import { RpcError, RpcErrorCode } from '../../shared/rpc/rpcError.js';
import type { Disposable, Transport } from '../../shared/rpc/transport.js';
import type { Logger } from '../../shared/util/logger.js';
import type { AuditSink } from '../audit/auditLog.js';
import { ApprovalTracker } from './approvalTracker.js';
import { BusyTracker } from './busyTracker.js';
import { ClientSession, type HostMethodHandler } from './clientSession.js';
import type { EnginePort } from './enginePort.js';
import { DEFAULT_HUB_LIMITS, HubCloseCode, type HubLimits } from './hubLimits.js';

/**
 * Handlers for host/ methods other than host/info (which the hub answers itself), typed from
 * the method map: a handler with the wrong params or result shape does not compile. Methods
 * without a handler (a feature that is off) answer "not available".
 */
export type ExtraHostHandlers = {
  [M in Exclude<HostMethod, 'host/info'>]?: (params: HostParams<M>, client: ClientIdentity) => Promise<HostResult<M>> | HostResult<M>;
};

export interface HubOptions {
  readonly engine: EnginePort;
  readonly audit: AuditSink;
  readonly logger: Logger;
  readonly hostVersion: string;
  readonly hostName?: string;
  readonly limits?: Partial<HubLimits>;
  readonly hostHandlers?: ExtraHostHandlers;
  /** Extra fields for host/info (listener address, relay, host id), read at call time. */
  readonly describe?: () => Partial<Pick<HostInfo, 'listener' | 'relay' | 'hostId' | 'warnings'>>;
  readonly now?: () => number;
}

export class Hub {
  readonly limits: HubLimits;
  readonly #o: HubOptions;
  readonly #sessions = new Set<ClientSession>();
  readonly #approvals = new ApprovalTracker();
  readonly #busy: BusyTracker;
  readonly #subs: Disposable[] = [];
  #handlers: ExtraHostHandlers;
  #stopping = false;

  constructor(options: HubOptions) {
    this.#o = options;
    this.limits = { ...DEFAULT_HUB_LIMITS, ...options.limits };
    this.#handlers = { ...options.hostHandlers };
    this.#busy = new BusyTracker(options.engine, options.logger.child('monitor'), options.hostVersion);
    this.#subs.push(options.engine.onRestart(() => this.#onEngineRestart()));
  }

  /** Adds host/ handlers after construction (features built on top of the hub). */
  registerHostHandlers(handlers: ExtraHostHandlers): void {
    this.#handlers = { ...this.#handlers, ...handlers };
  }

  get busy(): boolean {
    return this.#busy.busy;
  }

  onBusyChanged(listener: (busy: boolean) => void): Disposable {
    return this.#busy.onBusyChanged(listener);
  }

  get clientCount(): number {
    return this.#sessions.size;
  }

  /** Clients currently attached, for host/info and the devices UI. */
  clients(): { kind: ClientIdentity['kind']; id: string; name: string; connectedAt: string }[] {
    return [...this.#sessions].map((s) => ({ ...s.identity, connectedAt: s.connectedAt.toISOString() }));
  }

  /**
   * Attaches an authenticated client. Returns its session, or undefined when the hub refused it
   * (the transport is then closed with the reason).
   */
  attach(transport: Transport, identity: Omit<ClientIdentity, 'id'> & { id?: string }, options: { adoptClientName?: boolean } = {}): ClientSession | undefined {
    const full: ClientIdentity = { ...identity, id: identity.id ?? randomUUID() };
    if (this.#stopping) {
      transport.close(HubCloseCode.GoingAway, 'host is shutting down');
      return undefined;
    }
    if (this.#sessions.size >= this.limits.maxClients) {
      transport.close(HubCloseCode.TryAgainLater, `too many clients (max ${this.limits.maxClients})`);
      return undefined;
    }
    const session = new ClientSession({
      identity: full,
      client: transport,
      openEngine: () => this.#o.engine.connect(),
      hostHandler: (m) => this.#hostHandler(m),
      approvals: this.#approvals,
      audit: this.#o.audit,
      limits: this.limits,
      logger: this.#o.logger.child('client'),
      now: this.#o.now,
      adoptClientName: options.adoptClientName,
      onClosed: (s, info) => {
        this.#sessions.delete(s);
        this.#o.logger.info('client left', { kind: s.identity.kind, id: s.identity.id, code: info.code });
      },
    });
    this.#sessions.add(session);
    this.#o.logger.info('client attached', { kind: full.kind, id: full.id, name: full.name });
    return session;
  }

  /** Closes the clients for which `match` is true (e.g. a revoked device's sessions). */
  closeClients(match: (identity: ClientIdentity) => boolean, code: number, reason: string): number {
    let n = 0;
    for (const s of this.#sessions) {
      if (match(s.identity)) {
        s.close(code, reason);
        n++;
      }
    }
    return n;
  }

  info(): HostInfo {
    const e = this.#o.engine;
    return {
      hostName: this.#o.hostName ?? os.hostname(),
      platform: process.platform,
      version: this.#o.hostVersion,
      ...this.#o.describe?.(),
      engine: { state: e.state, ...(e.version ? { version: e.version } : {}), restarts: e.restarts },
      busy: this.#busy.busy,
      clients: this.clients(),
    };
  }

  /** Closes every client (host shutdown) and stops watching the engine. */
  stop(reason = 'host is shutting down'): void {
    this.#stopping = true;
    for (const s of [...this.#sessions]) s.close(HubCloseCode.GoingAway, reason);
    this.#busy.dispose();
    for (const d of this.#subs) d.dispose();
  }

  #hostHandler(method: HostMethod): HostMethodHandler {
    if (method === 'host/info') return () => this.info();
    const h = (this.#handlers as Record<string, HostMethodHandler | undefined>)[method];
    if (!h) return () => Promise.reject(new RpcError(RpcErrorCode.MethodNotFound, `${method}: not available on this host (remote access is off)`));
    return h;
  }

  #onEngineRestart(): void {
    this.#approvals.reset();
    const n = this.#sessions.size;
    for (const s of [...this.#sessions]) s.close(HubCloseCode.ServiceRestart, 'engine restarted; reconnect to continue');
    if (n) this.#o.logger.warn('engine restarted: closed clients so they reconnect', { clients: n });
  }
}
