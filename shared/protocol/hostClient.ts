/**
 * The typed client of the host API (docs/host-api.md) over any `RpcConnection`: the CLI, the
 * renderer, the phone and other hosts call host/ methods and listen to host/ notifications
 * through it. `call` checks the params with the method map's schema before anything is sent
 * and parses the result with it; `on` parses each notification's params, so a listener only
 * ever sees well-formed values (a malformed notification is reported, not delivered).
 */
import type { RpcConnection, RequestOptions } from '../rpc/connection.js';
import { RpcError, RpcErrorCode } from '../rpc/rpcError.js';
import { errorMessage } from '../util/errors.js';
import type { Disposable } from '../util/lifecycle.js';
import { parseUnknown, SchemaParseError } from '../util/schema.js';
import { HOST_METHODS, type HostCallParams, type HostCallResult, type HostMethod } from './hostMethods.js';
import { HOST_NOTIFICATIONS, type HostNotification, type HostNotificationPayload } from './hostNotifications.js';

/** `call(m)` may omit the params of methods that take none. */
type ParamsArg<M extends HostMethod> = undefined extends HostCallParams<M> ? [params?: HostCallParams<M>, options?: RequestOptions] : [params: HostCallParams<M>, options?: RequestOptions];

export interface HostClientOptions {
  /** Told about notifications whose params do not match the map (they are not delivered). */
  readonly onProtocolError?: (reason: string) => void;
}

export class HostClient {
  readonly #conn: RpcConnection;
  readonly #o: HostClientOptions;

  constructor(connection: RpcConnection, options: HostClientOptions = {}) {
    this.#conn = connection;
    this.#o = options;
  }

  /** The connection underneath (for engine methods, which the host forwards unchanged). */
  get connection(): RpcConnection {
    return this.#conn;
  }

  /**
   * Calls a host/ method. Rejects with `RpcError`: -32602 before sending when the params do not
   * match, the host's error, a connection error, or -32055 when the result does not match.
   */
  async call<M extends HostMethod>(method: M, ...[params, options]: ParamsArg<M>): Promise<HostCallResult<M>> {
    const spec = HOST_METHODS[method];
    let checked: unknown;
    try {
      checked = parseUnknown(spec.params, params, `${method} params`);
    } catch (err) {
      if (err instanceof SchemaParseError) throw new RpcError(RpcErrorCode.InvalidParams, err.message);
      throw err;
    }
    const raw = await this.#conn.request(method, checked ?? undefined, options);
    try {
      return parseUnknown(spec.result, raw, `${method} result`) as HostCallResult<M>;
    } catch (err) {
      if (err instanceof SchemaParseError) throw new RpcError(RpcErrorCode.UnexpectedResult, `the host answered ${method} with an unexpected result (${err.issues.join('; ')})`);
      throw err;
    }
  }

  /** Listens to one host/ notification (after `subscribe`, the host sends it). */
  on<N extends HostNotification>(notification: N, listener: (params: HostNotificationPayload<N>) => void): Disposable {
    const schema = HOST_NOTIFICATIONS[notification].params;
    return this.#conn.onNotification(notification, (params) => {
      let parsed: HostNotificationPayload<N>;
      try {
        parsed = parseUnknown(schema, params, `${notification} params`) as HostNotificationPayload<N>;
      } catch (err) {
        this.#o.onProtocolError?.(errorMessage(err));
        return;
      }
      listener(parsed);
    });
  }

  /** Asks the host for the named notifications (default: every one this client may receive). */
  async subscribe(methods?: readonly HostNotification[]): Promise<readonly HostNotification[]> {
    const r = await this.call('host/notifications/subscribe', methods ? { methods: [...methods] } : {});
    return r.methods;
  }

  close(code = 1000, reason = ''): void {
    this.#conn.close(code, reason);
  }
}
