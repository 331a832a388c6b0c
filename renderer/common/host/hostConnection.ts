/**
 * One hub connection as the renderer uses it: an `RpcConnection` over the `Transport` it is
 * given (a WebSocket to the browser bridge, a MessagePort in Electron, the E2E relay session
 * on the phone), initialized the way every Codex Host front end initializes (docs/renderer.md):
 * `experimentalApi: true`, because opening a thread uses `thread/resume`'s experimental
 * `initialTurnsPage` (docs/engine.md §1). It knows nothing about stores or React.
 */
import { RpcConnection } from '../../../shared/rpc/connection';
import type { RpcId } from '../../../shared/rpc/messages';
import type { CloseInfo, Disposable, Transport } from '../../../shared/rpc/transport';
import type { InitializeResponse } from '../../../shared/protocol/appServer/experimental/InitializeResponse';
import type { EngineMethod, EngineParams, EngineRequester, EngineResult } from './engineMethods';

/** Who this front end is, sent in `initialize.clientInfo` (the engine records it as the originator). */
export interface ClientInfo {
  readonly name: string;
  readonly title: string;
  readonly version: string;
}

/** A server → client request (approvals, user input) as the renderer sees it. */
export interface ServerRequest {
  readonly id: RpcId;
  readonly method: string;
  readonly params: unknown;
}

/**
 * Answers a server request. Resolve with the result to send; a request that another client
 * answered first (`serverRequest/resolved`) is simply never settled, so no late answer is sent.
 */
export type ServerRequestHandler = (request: ServerRequest) => Promise<unknown>;

/** How long `initialize` may take before the connection counts as failed. */
export const INITIALIZE_TIMEOUT_MS = 15_000;

/**
 * Requests the hub may still be waiting on at once. Each approval holds one slot until it is
 * answered (or until the connection ends, for ones another client answered), so the default
 * of 64 would be too small for a long-lived window.
 */
const MAX_OPEN_SERVER_REQUESTS = 4096;

export class HostConnection implements EngineRequester {
  readonly #rpc: RpcConnection;
  #init: InitializeResponse | undefined;

  constructor(transport: Transport, options: { readonly onProtocolError?: (reason: string) => void } = {}) {
    this.#rpc = new RpcConnection(transport, { maxConcurrentIncoming: MAX_OPEN_SERVER_REQUESTS, onProtocolError: options.onProtocolError });
  }

  /** The engine's `initialize` answer (after `initialize()` resolved). */
  get initializeResponse(): InitializeResponse | undefined {
    return this.#init;
  }

  get isClosed(): boolean {
    return this.#rpc.isClosed;
  }

  /**
   * Sends `initialize` + `initialized`; rejects if the hub refuses or does not answer in time.
   * With `environmentId` (other than the default `local`), `host/environment/select` goes
   * first: the hub opens this connection's engine connection in that environment.
   */
  async initialize(clientInfo: ClientInfo, environmentId?: string): Promise<InitializeResponse> {
    if (environmentId && environmentId !== 'local') await this.#rpc.request('host/environment/select', { environmentId }, { timeoutMs: INITIALIZE_TIMEOUT_MS });
    this.#init = await this.#rpc.request<InitializeResponse>(
      'initialize',
      { clientInfo, capabilities: { experimentalApi: true, requestAttestation: false } },
      { timeoutMs: INITIALIZE_TIMEOUT_MS },
    );
    this.#rpc.notify('initialized');
    return this.#init;
  }

  request<M extends EngineMethod>(method: M, params: EngineParams<M>): Promise<EngineResult<M>> {
    return this.#rpc.request<EngineResult<M>>(method, params);
  }

  /** A `host/` method (see hostApi.ts, the one module that calls these). */
  requestHost(method: `host/${string}`, params?: unknown): Promise<unknown> {
    return this.#rpc.request<unknown>(method, params);
  }

  /** Every notification, in order ('*'), with its method. */
  onNotification(listener: (method: string, params: unknown) => void): Disposable {
    return this.#rpc.onNotification('*', (params, method) => listener(method, params));
  }

  /** Installs the one handler for server → client requests. */
  onServerRequest(handler: ServerRequestHandler): Disposable {
    return this.#rpc.onRequest('*', (params, ctx) => handler({ id: ctx.id, method: ctx.method, params }));
  }

  onClose(listener: (info: CloseInfo) => void): Disposable {
    return this.#rpc.onClose(listener);
  }

  close(code = 1000, reason = ''): void {
    this.#rpc.close(code, reason);
  }
}
