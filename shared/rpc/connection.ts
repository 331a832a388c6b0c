/**
 * One JSON-RPC connection over any `Transport` (style.md G3, G5): id allocation, a bounded
 * pending map with a timeout on every request, cancellation, handlers for incoming requests
 * and notifications, and one close semantics (every pending request is rejected with
 * `ConnectionClosed`). It speaks the engine's dialect: no `"jsonrpc"` field unless asked for,
 * integer or string ids, extra top-level fields such as `emittedAtMs` tolerated.
 */
import { parseMessage, type RpcId, type RpcMessage } from './messages.js';
import { RpcError, RpcErrorCode } from './rpcError.js';
import { type CloseInfo, type Transport } from './transport.js';
import { Emitter, type Disposable } from '../util/lifecycle.js';
import { errorMessage } from '../util/errors.js';

/** The part of AbortSignal both Node and browsers have (shared/ sees no DOM types). */
export interface AbortSignalLike {
  readonly aborted: boolean;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

export interface RpcConnectionOptions {
  /** Default timeout of `request`, in ms. */
  readonly requestTimeoutMs?: number;
  /** At most this many requests awaiting a response; more reject with `TooManyPending`. */
  readonly maxPendingRequests?: number;
  /** At most this many incoming requests being handled at once; more get -32001. */
  readonly maxConcurrentIncoming?: number;
  /** Add `"jsonrpc":"2.0"` to outgoing messages (the remote protocol's records carry it). */
  readonly includeJsonRpcVersion?: boolean;
  /** Called with messages that could not be classified, for logging. */
  readonly onProtocolError?: (reason: string) => void;
}

export interface RequestOptions {
  readonly timeoutMs?: number;
  readonly signal?: AbortSignalLike;
}

export interface IncomingRequestContext {
  readonly id: RpcId;
  readonly method: string;
}

type RequestHandler = (params: unknown, ctx: IncomingRequestContext) => unknown;
type NotificationHandler = (params: unknown, method: string) => void;

interface Pending {
  readonly method: string;
  resolve(v: unknown): void;
  reject(e: RpcError): void;
  cleanup(): void;
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;
export const DEFAULT_MAX_PENDING_REQUESTS = 1024;
export const DEFAULT_MAX_CONCURRENT_INCOMING = 64;
/** How long a connection made over a closing transport waits for the real close before saying 1006. */
const CLOSE_INFO_WAIT_MS = 2000;

export class RpcConnection {
  readonly #transport: Transport;
  readonly #opts: Required<Omit<RpcConnectionOptions, 'onProtocolError'>> & Pick<RpcConnectionOptions, 'onProtocolError'>;
  readonly #pending = new Map<RpcId, Pending>();
  readonly #requestHandlers = new Map<string, RequestHandler>();
  readonly #notificationHandlers = new Map<string, Emitter<{ params: unknown; method: string }>>();
  readonly #closeEmitter = new Emitter<CloseInfo>();
  readonly #subscriptions: Disposable[] = [];
  #nextId = 1;
  #incoming = 0;
  #closeInfo: CloseInfo | undefined;
  #closeWait: ReturnType<typeof setTimeout> | undefined;
  #resolveClosed: (info: CloseInfo) => void = () => {};
  readonly closed: Promise<CloseInfo>;

  constructor(transport: Transport, options: RpcConnectionOptions = {}) {
    this.#transport = transport;
    this.#opts = {
      requestTimeoutMs: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
      maxPendingRequests: options.maxPendingRequests ?? DEFAULT_MAX_PENDING_REQUESTS,
      maxConcurrentIncoming: options.maxConcurrentIncoming ?? DEFAULT_MAX_CONCURRENT_INCOMING,
      includeJsonRpcVersion: options.includeJsonRpcVersion ?? false,
      onProtocolError: options.onProtocolError,
    };
    let resolveClosed!: (i: CloseInfo) => void;
    this.closed = new Promise((r) => (resolveClosed = r));
    this.#subscriptions.push(
      transport.onMessage((text) => this.#onText(text)),
      transport.onClose((info) => {
        this.#handleClose(info);
        resolveClosed(info);
      }),
    );
    this.#resolveClosed = resolveClosed;
    if (transport.isClosed) this.#awaitClose();
  }

  /**
   * The transport is closing before we saw its close (a server that refuses a client closes
   * right after the upgrade, often in the same packet): wait for the real code and reason
   * (e.g. 1013 "too many cli clients") instead of inventing one; 1006 only if none arrives.
   */
  #awaitClose(): void {
    if (this.#closeInfo || this.#closeWait !== undefined) return;
    const known = this.#transport.closeInfo;
    if (known) {
      this.#handleClose(known);
      this.#resolveClosed(known);
      return;
    }
    this.#closeWait = setTimeout(() => {
      const info = { code: 1006, reason: 'transport already closed' };
      this.#handleClose(info);
      this.#resolveClosed(info);
    }, CLOSE_INFO_WAIT_MS);
  }

  get isClosed(): boolean {
    return this.#closeInfo !== undefined;
  }

  get pendingCount(): number {
    return this.#pending.size;
  }

  /** Sends a request and resolves with its result; rejects with `RpcError` (server error, timeout, close, abort). */
  request<R = unknown>(method: string, params?: unknown, options: RequestOptions = {}): Promise<R> {
    if (this.#closeInfo) return Promise.reject(closedError(this.#closeInfo));
    if (this.#pending.size >= this.#opts.maxPendingRequests) {
      return Promise.reject(new RpcError(RpcErrorCode.TooManyPending, `${method}: too many requests pending (${this.#pending.size})`));
    }
    if (options.signal?.aborted) return Promise.reject(new RpcError(RpcErrorCode.RequestCancelled, `${method}: cancelled`));
    const id = this.#nextId++;
    return new Promise<R>((resolve, reject) => {
      const timeoutMs = options.timeoutMs ?? this.#opts.requestTimeoutMs;
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        cleanup();
        reject(new RpcError(RpcErrorCode.RequestTimeout, `${method}: no response within ${timeoutMs} ms`));
      }, timeoutMs);
      const onAbort = () => {
        this.#pending.delete(id);
        cleanup();
        reject(new RpcError(RpcErrorCode.RequestCancelled, `${method}: cancelled`));
      };
      const cleanup = () => {
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
      };
      options.signal?.addEventListener('abort', onAbort, { once: true });
      this.#pending.set(id, { method, resolve: resolve as (v: unknown) => void, reject, cleanup });
      if (this.#transport.isClosed) {
        // Closing: the close (with its real reason) rejects this request in a moment.
        this.#awaitClose();
        return;
      }
      try {
        this.#send(params === undefined ? { id, method } : { id, method, params });
      } catch (err) {
        this.#pending.delete(id);
        cleanup();
        reject(err instanceof RpcError ? err : new RpcError(RpcErrorCode.ConnectionClosed, `${method}: ${errorMessage(err)}`));
      }
    });
  }

  /** Sends a notification (no response). Throws if the connection is closed. */
  notify(method: string, params?: unknown): void {
    this.#send(params === undefined ? { method } : { method, params });
  }

  /**
   * Handles incoming requests for `method` ('*' = any method without its own handler). The
   * handler's return value (or promise) is the result; throw `RpcError` for a specific error.
   */
  onRequest(method: string, handler: RequestHandler): Disposable {
    this.#requestHandlers.set(method, handler);
    return { dispose: () => this.#requestHandlers.get(method) === handler && this.#requestHandlers.delete(method) };
  }

  /** Listens to notifications for `method` ('*' = every notification). */
  onNotification(method: string, handler: NotificationHandler): Disposable {
    let e = this.#notificationHandlers.get(method);
    if (!e) this.#notificationHandlers.set(method, (e = new Emitter()));
    return e.on(({ params, method: m }) => handler(params, m));
  }

  onClose(listener: (info: CloseInfo) => void): Disposable {
    if (this.#closeInfo) {
      const info = this.#closeInfo;
      queueMicrotask(() => listener(info));
      return { dispose() {} };
    }
    return this.#closeEmitter.on(listener);
  }

  close(code = 1000, reason = ''): void {
    this.#transport.close(code, reason);
  }

  #send(message: Record<string, unknown>): void {
    if (this.#closeInfo) throw closedError(this.#closeInfo);
    const out = this.#opts.includeJsonRpcVersion ? { jsonrpc: '2.0', ...message } : message;
    this.#transport.send(JSON.stringify(out));
  }

  #onText(text: string): void {
    const msg = parseMessage(text);
    if (msg.kind === 'invalid') {
      this.#opts.onProtocolError?.(msg.reason);
      return;
    }
    this.#dispatch(msg);
  }

  #dispatch(msg: RpcMessage): void {
    switch (msg.kind) {
      case 'result':
      case 'error': {
        if (msg.id === null) {
          this.#opts.onProtocolError?.(`error without id: ${msg.kind === 'error' ? msg.error.message : ''}`);
          return;
        }
        const p = this.#pending.get(msg.id);
        if (!p) return; // late answer to a timed-out or cancelled request
        this.#pending.delete(msg.id);
        p.cleanup();
        if (msg.kind === 'result') p.resolve(msg.result);
        else p.reject(RpcError.fromObject(msg.error));
        return;
      }
      case 'notification': {
        const payload = { params: msg.params, method: msg.method };
        this.#notificationHandlers.get(msg.method)?.fire(payload);
        this.#notificationHandlers.get('*')?.fire(payload);
        return;
      }
      case 'request':
        void this.#handleRequest(msg.id, msg.method, msg.params);
    }
  }

  async #handleRequest(id: RpcId, method: string, params: unknown): Promise<void> {
    const handler = this.#requestHandlers.get(method) ?? this.#requestHandlers.get('*');
    if (!handler) {
      this.#reply(id, undefined, new RpcError(RpcErrorCode.MethodNotFound, `Method not found: ${method}`));
      return;
    }
    if (this.#incoming >= this.#opts.maxConcurrentIncoming) {
      this.#reply(id, undefined, new RpcError(RpcErrorCode.ServerOverloaded, 'Server overloaded; retry later.'));
      return;
    }
    this.#incoming++;
    try {
      const result = await handler(params, { id, method });
      this.#reply(id, result === undefined ? null : result);
    } catch (err) {
      if (err instanceof RpcError) this.#reply(id, undefined, err);
      else {
        this.#opts.onProtocolError?.(`handler for ${method} threw: ${errorMessage(err)}`);
        this.#reply(id, undefined, new RpcError(RpcErrorCode.InternalError, 'Internal error'));
      }
    } finally {
      this.#incoming--;
    }
  }

  #reply(id: RpcId, result: unknown, error?: RpcError): void {
    if (this.#closeInfo) return;
    this.#send(error ? { id, error: error.toObject() } : { id, result });
  }

  #handleClose(info: CloseInfo): void {
    if (this.#closeInfo) return;
    this.#closeInfo = info;
    if (this.#closeWait !== undefined) clearTimeout(this.#closeWait);
    const err = closedError(info);
    for (const p of this.#pending.values()) {
      p.cleanup();
      p.reject(err);
    }
    this.#pending.clear();
    for (const s of this.#subscriptions) s.dispose();
    this.#closeEmitter.fire(info);
    this.#closeEmitter.clear();
    this.#notificationHandlers.clear();
  }
}

function closedError(info: CloseInfo): RpcError {
  return new RpcError(RpcErrorCode.ConnectionClosed, `connection closed (${info.code}${info.reason ? `: ${info.reason}` : ''})`, {
    closeCode: info.code,
    closeReason: info.reason,
  });
}
