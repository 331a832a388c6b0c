/**
 * The renderer's link to one hub (one environment): it opens a transport with the factory it
 * is given, initializes, and when the transport closes it reconnects with backoff, so stores
 * can re-load what they show (`onConnected` fires again, with `reconnect: true`). A close the
 * far side marks as final (a refused token) stops the retries: the status says why.
 * Notifications and server requests of whichever connection is current reach the listeners
 * registered here, so stores subscribe once for the life of the window.
 */
import { RpcError, RpcErrorCode } from '../../../shared/rpc/rpcError';
import type { CloseInfo, Disposable, Transport } from '../../../shared/rpc/transport';
import { Emitter } from '../../../shared/util/lifecycle';
import { errorMessage } from '../../../shared/util/errors';
import { HostConnection, type ClientInfo, type ServerRequestHandler } from './hostConnection';
import type { EngineMethod, EngineParams, EngineRequester, EngineResult } from './engineMethods';
import { perfMark } from '../util/perfMark';

export type SessionStatus =
  | { readonly kind: 'connecting' }
  | { readonly kind: 'online' }
  /** `closeCode`: the hub's close code when it closed the connection (1013: try again later, e.g. that environment's engine is down). */
  | { readonly kind: 'reconnecting'; readonly attempt: number; readonly lastError: string; readonly closeCode?: number }
  /** The hub refused this window for good (e.g. a wrong token): no more retries. */
  | { readonly kind: 'refused'; readonly reason: string }
  | { readonly kind: 'stopped' };

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface HostSessionOptions {
  /** Opens a fresh transport to the hub (rejects when it cannot). */
  readonly connect: () => Promise<Transport>;
  readonly clientInfo: ClientInfo;
  /** The environment every connection works in (host/environment/select before initialize); default `local`. */
  readonly environmentId?: string;
  /** A close that must not be retried returns the sentence to show; anything else is retried. */
  readonly finalClose?: (info: CloseInfo) => string | undefined;
  /** A failure of `connect` that must not be retried (same contract as `finalClose`). */
  readonly finalError?: (err: unknown) => string | undefined;
  readonly initialBackoffMs?: number;
  readonly maxBackoffMs?: number;
  readonly timers?: Timers;
  readonly random?: () => number;
}

export interface ConnectedEvent {
  readonly connection: HostConnection;
  /** False for the first connection of this session, true after every reconnect. */
  readonly reconnect: boolean;
}

const DEFAULT_TIMERS: Timers = {
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (h) => globalThis.clearTimeout(h as ReturnType<typeof globalThis.setTimeout>),
};

export class HostSession implements EngineRequester {
  readonly #o: HostSessionOptions;
  readonly #timers: Timers;
  readonly #statusEmitter = new Emitter<SessionStatus>();
  readonly #connectedEmitter = new Emitter<ConnectedEvent>();
  readonly #notificationEmitter = new Emitter<{ method: string; params: unknown }>();
  #status: SessionStatus = { kind: 'connecting' };
  #connection: HostConnection | undefined;
  #serverRequestHandler: ServerRequestHandler | undefined;
  #attempt = 0;
  #everConnected = false;
  #retryTimer: unknown;
  #started = false;
  /** An attempt is under way (a second one would race it for the connection and the status). */
  #opening = false;

  constructor(options: HostSessionOptions) {
    this.#o = options;
    this.#timers = options.timers ?? DEFAULT_TIMERS;
  }

  get status(): SessionStatus {
    return this.#status;
  }

  /** The current connection while online. */
  get connection(): HostConnection | undefined {
    return this.#status.kind === 'online' ? this.#connection : undefined;
  }

  onStatus(listener: (s: SessionStatus) => void): Disposable {
    return this.#statusEmitter.on(listener);
  }

  /** Fires after every successful `initialize` (the first one and each reconnect). */
  onConnected(listener: (e: ConnectedEvent) => void): Disposable {
    return this.#connectedEmitter.on(listener);
  }

  onNotification(listener: (method: string, params: unknown) => void): Disposable {
    return this.#notificationEmitter.on(({ method, params }) => listener(method, params));
  }

  /** The one handler for server requests (approvals), installed on every connection. */
  setServerRequestHandler(handler: ServerRequestHandler): void {
    this.#serverRequestHandler = handler;
  }

  request<M extends EngineMethod>(method: M, params: EngineParams<M>): Promise<EngineResult<M>> {
    const c = this.connection;
    if (!c) return Promise.reject(new RpcError(RpcErrorCode.ConnectionClosed, `${method}: not connected to the host`));
    return c.request(method, params);
  }

  requestHost(method: `host/${string}`, params?: unknown): Promise<unknown> {
    const c = this.connection;
    if (!c) return Promise.reject(new RpcError(RpcErrorCode.ConnectionClosed, `${method}: not connected to the host`));
    return c.requestHost(method, params);
  }

  start(): void {
    if (this.#started) return;
    this.#started = true;
    void this.#open();
  }

  /** Skips the backoff wait (a "Reconnect now" button). */
  reconnectNow(): void {
    if (this.#status.kind !== 'reconnecting' || this.#opening) return;
    this.#timers.clearTimeout(this.#retryTimer);
    void this.#open();
  }

  /** Drops the current connection as if the network had (tests, and "kill the socket" drills). */
  dropConnection(): void {
    this.#connection?.close(4000, 'dropped by the client');
  }

  stop(): void {
    this.#timers.clearTimeout(this.#retryTimer);
    this.#setStatus({ kind: 'stopped' });
    this.#connection?.close(1000, 'window closed');
  }

  async #open(): Promise<void> {
    if (this.#status.kind === 'stopped' || this.#status.kind === 'refused' || this.#opening) return;
    this.#opening = true;
    try {
      await this.#attemptOpen();
    } finally {
      this.#opening = false;
    }
  }

  async #attemptOpen(): Promise<void> {
    perfMark('codexHost:connect');
    let transport: Transport;
    try {
      transport = await this.#o.connect();
    } catch (err) {
      const final = this.#o.finalError?.(err);
      if (final) this.#setStatus({ kind: 'refused', reason: final });
      else this.#scheduleRetry(errorMessage(err));
      return;
    }
    const conn = new HostConnection(transport);
    let closedInfo: CloseInfo | undefined;
    conn.onClose((info) => {
      closedInfo = info;
      if (this.#connection === conn) this.#connectionLost(info);
    });
    conn.onNotification((method, params) => {
      if (this.#connection === conn) this.#notificationEmitter.fire({ method, params });
    });
    conn.onServerRequest((req) => {
      const h = this.#serverRequestHandler;
      if (!h) return Promise.reject(new RpcError(RpcErrorCode.MethodNotFound, `${req.method}: not handled by this window`));
      return h(req);
    });
    this.#connection = conn;
    try {
      await conn.initialize(this.#o.clientInfo, this.#o.environmentId);
    } catch (err) {
      // A close during initialize was already handled by the close listener (status set,
      // retry scheduled): a second retry here would run two attempts side by side.
      const handledByClose = this.#connection !== conn;
      if (handledByClose) return;
      this.#connection = undefined;
      conn.close(1000, 'initialize failed');
      const final = closedInfo ? this.#o.finalClose?.(closedInfo) : undefined;
      if (final) this.#setStatus({ kind: 'refused', reason: final });
      else this.#scheduleRetry(closedInfo ? describeClose(closedInfo) : errorMessage(err), closedInfo?.code);
      return;
    }
    // stop() may have run while initialize was in flight.
    if ((this.#status as SessionStatus).kind === 'stopped') {
      conn.close(1000, 'window closed');
      return;
    }
    const reconnect = this.#everConnected;
    this.#everConnected = true;
    this.#attempt = 0;
    perfMark('codexHost:online');
    this.#setStatus({ kind: 'online' });
    this.#connectedEmitter.fire({ connection: conn, reconnect });
  }

  #connectionLost(info: CloseInfo): void {
    this.#connection = undefined;
    if (this.#status.kind === 'stopped') return;
    const final = this.#o.finalClose?.(info);
    if (final) {
      this.#setStatus({ kind: 'refused', reason: final });
      return;
    }
    this.#scheduleRetry(describeClose(info), info.code);
  }

  #scheduleRetry(lastError: string, closeCode?: number): void {
    if (this.#status.kind === 'stopped' || this.#status.kind === 'refused') return;
    this.#attempt += 1;
    this.#setStatus({ kind: 'reconnecting', attempt: this.#attempt, lastError, ...(closeCode !== undefined ? { closeCode } : {}) });
    const initial = this.#o.initialBackoffMs ?? 250;
    const max = this.#o.maxBackoffMs ?? 10_000;
    // The first retry is quick (a dropped socket usually comes right back); then exponential with jitter.
    const base = Math.min(max, initial * 2 ** Math.min(this.#attempt - 1, 16));
    const delay = Math.round(base * (0.75 + 0.5 * (this.#o.random ?? Math.random)()));
    this.#retryTimer = this.#timers.setTimeout(() => void this.#open(), delay);
  }

  #setStatus(s: SessionStatus): void {
    this.#status = s;
    this.#statusEmitter.fire(s);
  }
}

function describeClose(info: CloseInfo): string {
  return info.reason ? `connection closed: ${info.reason}` : `connection closed (${info.code})`;
}
