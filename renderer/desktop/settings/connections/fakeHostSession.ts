/**
 * A stand-in for the window's session in unit and view tests of the Connections tabs: host/
 * methods answer from handlers the test installs (an unknown method is -32601, as the hub
 * says), and the test fires notifications and reconnects. Every call is recorded.
 */
import { RpcError, RpcErrorCode } from '../../../../shared/rpc/rpcError';
import { Emitter, type Disposable } from '../../../../shared/util/lifecycle';
import type { HostSessionLike } from './hostCalls';

type Handler = (params: unknown) => unknown;

export class FakeHostSession implements HostSessionLike {
  readonly calls: { method: string; params: unknown }[] = [];
  readonly #handlers = new Map<string, Handler>();
  readonly #notifications = new Emitter<{ method: string; params: unknown }>();
  readonly #connected = new Emitter<{ reconnect: boolean }>();

  /** Answers `method` with `handler(params)` (throw in it to answer with an error). */
  on(method: string, handler: Handler): this {
    this.#handlers.set(method, handler);
    return this;
  }

  async requestHost(method: `host/${string}`, params?: unknown): Promise<unknown> {
    this.calls.push({ method, params });
    await Promise.resolve();
    const h = this.#handlers.get(method);
    if (!h) throw new RpcError(RpcErrorCode.MethodNotFound, `${method}: not handled by this fake`);
    return h(params);
  }

  callsOf(method: string): unknown[] {
    return this.calls.filter((c) => c.method === method).map((c) => c.params);
  }

  notify(method: string, params: unknown): void {
    this.#notifications.fire({ method, params });
  }

  reconnect(): void {
    this.#connected.fire({ reconnect: true });
  }

  onNotification(listener: (method: string, params: unknown) => void): Disposable {
    return this.#notifications.on(({ method, params }) => listener(method, params));
  }

  onConnected(listener: (e: { readonly reconnect: boolean }) => void): Disposable {
    return this.#connected.on(listener);
  }
}
