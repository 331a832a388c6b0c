/**
 * The hub (docs/architecture.md, docs/host-api.md): every client — desktop window, phone, other host,
 * remote TUI, CLI — speaks the app-server protocol to it as if it were `codex app-server`, and
 * gets its own engine connection in the environment it picked (`local` by default). The hub
 * knows who each client is, answers host/ methods through feature tables, sends host/
 * notifications to the connections that subscribed, audits approvals, signals "busy", bounds
 * everything (hubLimits.ts, clientAdmission.ts) and, when an environment's engine restarts,
 * closes that environment's clients with a clear reason so they can reconnect.
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { isAdminKind, type ClientIdentity } from '../../shared/protocol/clientIdentity.js';
import {
  LOCAL_ENVIRONMENT_ID,
  type AuditStatus,
  type EngineState,
  type EnvironmentInfo,
  type HostClientInfo,
  type HostInfo,
  type HostMethod,
} from '../../shared/protocol/hostMethods.js';
import type { HostFeature } from '../../shared/protocol/hostFeatures.js';
import { HOST_NOTIFICATIONS, type HostNotification, type HostNotificationParams, type HostNotificationPayload } from '../../shared/protocol/hostNotifications.js';
import type { CloseInfo, Transport } from '../../shared/rpc/transport.js';
import { errorMessage } from '../../shared/util/errors.js';
import { DisposableStore, Emitter, type Disposable } from '../../shared/util/lifecycle.js';
import type { Logger } from '../../shared/util/logger.js';
import { parseUnknown } from '../../shared/util/schema.js';
import type { AuditSink } from '../audit/auditLog.js';
import { admissionRefusal } from './clientAdmission.js';
import { ClientSession } from './clientSession.js';
import { EngineRegistry, type EnvironmentEntry } from './engineRegistry.js';
import type { EnginePort } from './enginePort.js';
import { EnvironmentRuntime } from './environmentRuntime.js';
import { HostFeatureRegistry, type HostConnection, type HostFeatureTables } from './hostFeatures.js';
import { coreFeature, environmentsFeature } from './hubFeatures.js';
import { HubCloseCode, resolveHubLimits, type HubLimitOverrides, type HubLimits } from './hubLimits.js';

/** host/info fields that features outside the hub know (listener address, relay, host id). */
export type HostInfoExtras = Partial<Pick<HostInfo, 'listener' | 'relay' | 'hostId' | 'remoteAccess' | 'warnings'>>;
/** Reads those fields at call time. */
export type HostInfoDescriber = () => HostInfoExtras;

export interface HubOptions {
  /** The host's own engine: environment `local`. More environments join through `hub.environments`. */
  readonly engine: EnginePort;
  readonly audit: AuditSink;
  readonly logger: Logger;
  readonly hostVersion: string;
  readonly hostName?: string;
  readonly limits?: HubLimitOverrides;
  /** Feature tables known up front (more can be registered with `registerFeatures`). */
  readonly features?: HostFeatureTables;
  readonly describe?: HostInfoDescriber;
  readonly now?: () => number;
  /** The platform host/info reports (default `process.platform`; tests run others). */
  readonly platform?: NodeJS.Platform;
}

/** A client attached or left (device UIs count sessions). */
export interface ClientChange {
  readonly change: 'attached' | 'left';
  readonly client: ClientIdentity;
}

/** A thread of one environment waits on a person, or its turn ended (phone notifications hang off it). */
export interface HubAttention {
  readonly kind: 'approval-needed' | 'turn-finished';
  readonly environmentId: string;
  readonly threadId: string;
}
/** A host/ notification as the hub sent it, with the params the host's admins see. */
export type HubNotification = { [N in HostNotification]: { readonly method: N; readonly params: HostNotificationPayload<N> } }[HostNotification];

/** host/info fields only the host's admins see (red-team P18). */
const ADMIN_ONLY_INFO = ['listener', 'warnings'] as const;

export class Hub {
  readonly limits: HubLimits;
  /** The environments; add one with `hub.environments.add({ id, kind, name, engine })`. */
  readonly environments = new EngineRegistry();
  readonly #features = new HostFeatureRegistry();
  readonly #o: HubOptions;
  readonly #hostName: string;
  readonly #sessions = new Set<ClientSession>();
  readonly #runtimes = new Map<string, EnvironmentRuntime>();
  readonly #busyChanged = new Emitter<boolean>();
  readonly #clientsChanged = new Emitter<ClientChange>();
  readonly #attention = new Emitter<HubAttention>();
  readonly #notified = new Emitter<HubNotification>();
  readonly #store = new DisposableStore();
  #busy = false;
  #stopping = false;

  constructor(options: HubOptions) {
    this.#o = options;
    this.#hostName = options.hostName ?? os.hostname();
    this.limits = resolveHubLimits(options.limits);
    this.#store.add(this.environments.onChanged(({ change, environment }) => (change === 'added' ? this.#addRuntime(environment) : this.#removeRuntime(environment.id))));
    this.#store.add(this.#features.register('core', coreFeature(this)));
    this.#store.add(this.#features.register('environments', environmentsFeature(this)));
    if (options.features) this.#store.add(this.#features.registerAll(options.features));
    this.#store.add(this.environments.add({ id: LOCAL_ENVIRONMENT_ID, kind: 'local', name: this.#hostName, engine: options.engine }));
    const audit = options.audit;
    if (audit.onProblemChanged) this.#store.add(audit.onProblemChanged(() => this.notify('host/auditLog/changed', (admin) => this.#auditStatus(admin))));
    void audit.check?.();
  }

  /** Turns features on with their complete handler tables; dispose to turn them off. */
  registerFeatures(tables: HostFeatureTables): Disposable {
    return this.#features.registerAll(tables);
  }

  /** Says this host cannot offer `feature`, and why (host/info `unavailable`, and its methods' error). */
  markFeatureUnavailable(feature: HostFeature, reason: string): Disposable {
    return this.#features.markUnavailable(feature, reason);
  }

  /** Any environment is running a turn (keep-awake hangs off this). */
  get busy(): boolean {
    return this.#busy;
  }

  onBusyChanged(listener: (busy: boolean) => void): Disposable {
    return this.#busyChanged.on(listener);
  }

  onClientsChanged(listener: (change: ClientChange) => void): Disposable {
    return this.#clientsChanged.on(listener);
  }

  /**
   * A thread started waiting on an approval or an answer, or its turn finished, in any
   * environment (seen on each environment's monitor connection, so also when no client is
   * subscribed to that thread).
   */
  onAttention(listener: (event: HubAttention) => void): Disposable {
    return this.#attention.on(listener);
  }

  /**
   * Every host/ notification the hub sends (admin view), whether or not a client subscribed, so
   * features inside the host follow what the hub already announces: keep-awake follows
   * `host/busy/changed` per environment and `host/remoteAccess/changed`.
   */
  onNotification(listener: (notification: HubNotification) => void): Disposable {
    return this.#notified.on(listener);
  }

  get clientCount(): number {
    return this.#sessions.size;
  }

  /** Clients currently attached, for host/info and the devices UI. */
  clients(): HostClientInfo[] {
    return [...this.#sessions].map((s) => ({ ...s.identity, connectedAt: s.connectedAt.toISOString(), environmentId: s.environmentId }));
  }

  /**
   * Attaches an authenticated client. Returns its session, or undefined when the hub refused it
   * (the transport is then closed with the reason: 1001 while stopping, 1013 naming the cap).
   */
  attach(
    transport: Transport,
    identity: Omit<ClientIdentity, 'id'> & { id?: string },
    options: {
      adoptClientName?: boolean;
      /** Binds the client to this environment (an endpoint for one environment): select cannot change it. */
      environmentId?: string;
    } = {},
  ): ClientSession | undefined {
    const full: ClientIdentity = { ...identity, id: identity.id ?? randomUUID() };
    if (this.#stopping) {
      transport.close(HubCloseCode.GoingAway, 'host is shutting down');
      return undefined;
    }
    const refusal = admissionRefusal(
      [...this.#sessions].map((s) => s.identity),
      full,
      this.limits,
    );
    if (refusal) {
      this.#o.logger.warn('client refused', { kind: full.kind, id: full.id, reason: refusal });
      transport.close(HubCloseCode.TryAgainLater, refusal);
      return undefined;
    }
    const session = new ClientSession({
      identity: full,
      client: transport,
      environment: (id) => this.#runtimes.get(id),
      hostCall: (method, params, connection) => this.#hostCall(method, params, connection),
      audit: this.#o.audit,
      limits: this.limits,
      logger: this.#o.logger.child('client'),
      now: this.#o.now,
      adoptClientName: options.adoptClientName,
      boundEnvironmentId: options.environmentId,
      onClosed: (s, info) => this.#onSessionClosed(s, info),
    });
    this.#sessions.add(session);
    this.#o.logger.info('client attached', { kind: full.kind, id: full.id, name: full.name });
    this.#clientsChanged.fire({ change: 'attached', client: full });
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

  /**
   * Sends a host/ notification to every connection that subscribed to it (only kinds allowed
   * to see it can). `params` may depend on whether the receiver is one of the host's admins.
   */
  notify<N extends HostNotification>(notification: N, params: HostNotificationParams<N> | ((forAdmin: boolean) => HostNotificationParams<N>)): void {
    const schema = HOST_NOTIFICATIONS[notification].params;
    const variants = new Map<boolean, unknown>();
    const paramsFor = (admin: boolean): unknown => {
      if (!variants.has(admin)) {
        const raw = typeof params === 'function' ? (params as (a: boolean) => HostNotificationParams<N>)(admin) : params;
        // Our own output is checked too: a drifted shape is a bug to log, not to send.
        variants.set(admin, parseUnknown(schema, raw, `${notification} params`));
      }
      return variants.get(admin);
    };
    try {
      for (const s of this.#sessions) if (!s.isClosed) s.notify(notification, paramsFor(isAdminKind(s.identity.kind)));
      if (this.#notified.size) this.#notified.fire({ method: notification, params: paramsFor(true) } as HubNotification);
    } catch (err) {
      this.#o.logger.error('host notification not sent', { notification, error: errorMessage(err) });
    }
  }

  /**
   * host/info as `viewer` may see it: the host's admins (and the host itself, without a
   * viewer) see every client, the listener address and the audit log's error; other kinds see
   * only themselves among the clients (red-team P18).
   */
  info(viewer?: ClientIdentity): HostInfo {
    const admin = !viewer || isAdminKind(viewer.kind);
    const local = this.environments.get(LOCAL_ENVIRONMENT_ID)?.engine ?? this.#o.engine;
    const extras: HostInfoExtras = { ...this.#o.describe?.() };
    if (!admin) for (const k of ADMIN_ONLY_INFO) delete extras[k];
    const clients = this.clients();
    return {
      hostName: this.#hostName,
      platform: this.#o.platform ?? process.platform,
      arch: process.arch,
      version: this.#o.hostVersion,
      ...extras,
      features: this.#features.on,
      ...(this.#features.unavailable.length ? { unavailable: this.#features.unavailable } : {}),
      engine: { state: local.state, ...(local.version ? { version: local.version } : {}), restarts: local.restarts },
      busy: this.#busy,
      environments: this.environmentList(admin),
      audit: this.#auditStatus(admin),
      clients: admin ? clients : clients.filter((c) => c.kind === viewer.kind && c.id === viewer.id),
    };
  }

  /** Every environment, with `lastError` only for the host's admins. */
  environmentList(forAdmin: boolean): EnvironmentInfo[] {
    return [...this.#runtimes.values()].map((r) => r.info(forAdmin));
  }

  /** For the `environments` feature (hubFeatures.ts). */
  environment(id: string, forAdmin: boolean): EnvironmentInfo | undefined {
    return this.#runtimes.get(id)?.info(forAdmin);
  }

  /** Closes every client (host shutdown) and stops watching the engines. */
  dispose(reason = 'host is shutting down'): void {
    this.#stopping = true;
    for (const s of [...this.#sessions]) s.close(HubCloseCode.GoingAway, reason);
    void this.#store.dispose();
    for (const r of this.#runtimes.values()) r.dispose();
    this.#runtimes.clear();
    this.#busyChanged.clear();
    this.#clientsChanged.clear();
    this.#attention.clear();
    this.#notified.clear();
  }

  #hostCall(method: HostMethod, params: unknown, connection: HostConnection): Promise<unknown> {
    return this.#features.call(method, params, connection);
  }

  #auditStatus(forAdmin: boolean): AuditStatus {
    const problem = this.#o.audit.problem;
    if (!problem) return { state: 'ok' };
    return forAdmin ? { state: 'unavailable', error: problem.slice(0, 500) } : { state: 'unavailable' };
  }

  #addRuntime(entry: EnvironmentEntry): void {
    const runtime = new EnvironmentRuntime(
      entry,
      {
        onRestart: (env) => this.#onEngineRestart(env),
        onStateChange: (env, state) => this.#onEngineState(env, state),
        onBusyChanged: (env, busy) => this.#onEnvironmentBusy(env, busy),
        onAttention: (env, e) => this.#attention.fire({ ...e, environmentId: env.id }),
        onInfoChange: () => this.#environmentsChanged(),
      },
      this.#o.logger.child(entry.id === LOCAL_ENVIRONMENT_ID ? 'engine' : `env ${entry.id}`),
      this.#o.hostVersion,
    );
    this.#runtimes.set(entry.id, runtime);
    this.#environmentsChanged();
  }

  #removeRuntime(id: string): void {
    const runtime = this.#runtimes.get(id);
    if (!runtime) return;
    this.#runtimes.delete(id);
    runtime.dispose();
    for (const s of [...this.#sessions]) if (s.environmentId === id) s.close(HubCloseCode.GoingAway, `environment "${id}" was removed from this host`);
    this.#updateBusy(runtime, false);
    this.#environmentsChanged();
  }

  #onEngineRestart(env: EnvironmentRuntime): void {
    let n = 0;
    for (const s of [...this.#sessions]) {
      if (s.environmentId !== env.id) continue;
      s.close(HubCloseCode.ServiceRestart, 'engine restarted; reconnect to continue');
      n++;
    }
    if (n) this.#o.logger.warn('engine restarted: closed its clients so they reconnect', { environment: env.id, clients: n });
    this.#environmentsChanged();
  }

  #onEngineState(env: EnvironmentRuntime, state: EngineState): void {
    this.notify('host/engine/changed', { environmentId: env.id, state, restarts: env.entry.engine.restarts });
    this.#environmentsChanged();
  }

  #onEnvironmentBusy(env: EnvironmentRuntime, busy: boolean): void {
    this.#updateBusy(env, busy);
    this.#environmentsChanged();
  }

  #updateBusy(env: EnvironmentRuntime, environmentBusy: boolean): void {
    const busy = [...this.#runtimes.values()].some((r) => r.busy);
    const changed = busy !== this.#busy;
    this.#busy = busy;
    this.notify('host/busy/changed', { busy, environmentId: env.id, environmentBusy });
    if (changed) this.#busyChanged.fire(busy);
  }

  #environmentsChanged(): void {
    if (this.#stopping) return;
    this.notify('host/environments/changed', (admin) => ({ environments: this.environmentList(admin) }));
  }

  #onSessionClosed(session: ClientSession, info: CloseInfo): void {
    this.#sessions.delete(session);
    this.#o.logger.info('client left', { kind: session.identity.kind, id: session.identity.id, code: info.code });
    this.#clientsChanged.fire({ change: 'left', client: session.identity });
  }
}
