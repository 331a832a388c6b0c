/**
 * Host features and their handler tables (docs/host-api.md). A feature registers all its
 * methods at once, typed from the method map as `{ [M in MethodsOf<F>]: HostHandler<M> }`:
 * a table that misses a method, or returns the wrong shape, does not compile (see
 * hostFeatures.test.ts), and `register` checks the same at run time. A method whose feature is
 * not registered answers -32601 naming the feature ("host/pairing/start: remote access is off
 * on this host"), never a generic message.
 */
import type { ClientIdentity } from '../../shared/protocol/clientIdentity.js';
import { featureOffMessage, HOST_FEATURE_NAMES, type HostFeature } from '../../shared/protocol/hostFeatures.js';
import { HOST_METHODS, type HostMethod, type HostParams, type HostResult, type MethodsOf } from '../../shared/protocol/hostMethods.js';
import type { HostNotification } from '../../shared/protocol/hostNotifications.js';
import { RpcError, RpcErrorCode } from '../../shared/rpc/rpcError.js';
import { toDisposable, type Disposable } from '../../shared/util/lifecycle.js';

/** The client connection a host/ call arrived on, as far as handlers may touch it. */
export interface HostConnection {
  readonly client: ClientIdentity;
  /** The environment this connection's engine messages go to. */
  readonly environmentId: string;
  /** Picks the environment; throws `RpcError` once the engine connection is in use. */
  selectEnvironment(environmentId: string): void;
  /** Starts sending these notifications on this connection. */
  subscribe(notifications: readonly HostNotification[]): void;
}

export type HostHandler<M extends HostMethod> = (params: HostParams<M>, connection: HostConnection) => Promise<HostResult<M>> | HostResult<M>;

/** Every method of feature `F`, each with its handler. */
export type HostFeatureTable<F extends HostFeature> = { readonly [M in MethodsOf<F>]: HostHandler<M> };

/** Complete tables for some features (what a host extension brings). */
export type HostFeatureTables = { readonly [F in HostFeature]?: HostFeatureTable<F> };

type AnyHandler = (params: unknown, connection: HostConnection) => unknown;

export class HostFeatureRegistry {
  readonly #tables = new Map<HostFeature, ReadonlyMap<string, AnyHandler>>();
  readonly #unavailable = new Map<HostFeature, string>();

  /**
   * Says that this host cannot offer `feature` at all (e.g. `remotes` on Windows): its methods
   * answer -32601 `<method>: <reason>` instead of "is off", and host/info lists it with the
   * reason. Dispose to take the statement back.
   */
  markUnavailable(feature: HostFeature, reason: string): Disposable {
    if (this.#tables.has(feature)) throw new Error(`host feature ${feature} is on; it cannot be unavailable`);
    this.#unavailable.set(feature, reason);
    return toDisposable(() => {
      if (this.#unavailable.get(feature) === reason) this.#unavailable.delete(feature);
    });
  }

  /** The features marked unavailable, with their reasons. */
  get unavailable(): { feature: HostFeature; reason: string }[] {
    return [...this.#unavailable].map(([feature, reason]) => ({ feature, reason }));
  }

  /** Turns `feature` on with its complete table; dispose to turn it off again. */
  register<F extends HostFeature>(feature: F, table: HostFeatureTable<F>): Disposable {
    if (this.#tables.has(feature)) throw new Error(`host feature ${feature} is already on`);
    if (this.#unavailable.has(feature)) throw new Error(`host feature ${feature} is unavailable on this host`);
    const handlers = new Map<string, AnyHandler>(Object.entries(table as Record<string, AnyHandler>));
    const expected = methodsOf(feature);
    const missing = expected.filter((m) => typeof handlers.get(m) !== 'function');
    const extra = [...handlers.keys()].filter((m) => !expected.includes(m as HostMethod));
    if (missing.length || extra.length) {
      throw new Error(`host feature ${feature}: ${[missing.length ? `no handler for ${missing.join(', ')}` : '', extra.length ? `not its methods: ${extra.join(', ')}` : ''].filter(Boolean).join('; ')}`);
    }
    this.#tables.set(feature, handlers);
    return toDisposable(() => {
      if (this.#tables.get(feature) === handlers) this.#tables.delete(feature);
    });
  }

  /** Registers several complete tables at once (all or none). */
  registerAll(tables: HostFeatureTables): Disposable {
    const done: Disposable[] = [];
    try {
      for (const feature of HOST_FEATURE_NAMES) {
        const table = tables[feature];
        if (table) done.push(this.register(feature, table as HostFeatureTable<typeof feature>));
      }
    } catch (err) {
      for (const d of done) d.dispose();
      throw err;
    }
    return toDisposable(() => {
      for (const d of done.reverse()) d.dispose();
    });
  }

  isOn(feature: HostFeature): boolean {
    return this.#tables.has(feature);
  }

  /** The features that are on, in declaration order. */
  get on(): HostFeature[] {
    return HOST_FEATURE_NAMES.filter((f) => this.#tables.has(f));
  }

  /** Runs `method`'s handler (params already parsed); rejects naming the feature when it is off. */
  async call(method: HostMethod, params: unknown, connection: HostConnection): Promise<unknown> {
    const feature = HOST_METHODS[method].feature;
    const handler = this.#tables.get(feature)?.get(method);
    if (!handler) {
      const reason = this.#unavailable.get(feature);
      if (reason !== undefined) throw new RpcError(RpcErrorCode.MethodNotFound, `${method}: ${reason}`, { feature, reason });
      throw new RpcError(RpcErrorCode.MethodNotFound, featureOffMessage(method, feature), { feature });
    }
    return handler(params, connection);
  }
}

function methodsOf(feature: HostFeature): HostMethod[] {
  return (Object.keys(HOST_METHODS) as HostMethod[]).filter((m) => HOST_METHODS[m].feature === feature);
}
