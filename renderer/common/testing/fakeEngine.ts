/**
 * Test doubles for the renderer's stores: a scripted `EngineRequester` that records every
 * request, and a fake hub on the far end of an in-memory transport pair (shared/rpc) that
 * answers `initialize` and lets a test push notifications and server requests.
 */
import { createMemoryTransportPair } from '../../../shared/rpc/memoryTransport';
import { RpcConnection } from '../../../shared/rpc/connection';
import { RpcError, RpcErrorCode } from '../../../shared/rpc/rpcError';
import type { Transport } from '../../../shared/rpc/transport';
import type { EngineMethod, EngineParams, EngineRequester, EngineResult } from '../host/engineMethods';

export interface RecordedCall {
  readonly method: string;
  readonly params: unknown;
}

type Handler = (params: never) => unknown;

/** An engine whose answers are functions of the params; unknown methods reject. */
export class FakeEngine implements EngineRequester {
  readonly calls: RecordedCall[] = [];
  readonly #handlers = new Map<string, Handler>();

  on<M extends EngineMethod>(method: M, handler: (params: EngineParams<M>) => EngineResult<M> | Promise<EngineResult<M>>): this {
    this.#handlers.set(method, handler as Handler);
    return this;
  }

  async request<M extends EngineMethod>(method: M, params: EngineParams<M>): Promise<EngineResult<M>> {
    this.calls.push({ method, params });
    const h = this.#handlers.get(method);
    if (!h) throw new Error(`${method}: not scripted`);
    return (await h(params as never)) as EngineResult<M>;
  }

  callsOf(method: string): unknown[] {
    return this.calls.filter((c) => c.method === method).map((c) => c.params);
  }
}

/** The hub side of one window's connection. */
export interface FakeHubConnection {
  readonly rpc: RpcConnection;
  readonly initializeParams: Promise<unknown>;
  notify(method: string, params: unknown): void;
  /** Sends a server request; resolves with the window's answer. */
  ask(method: string, params: unknown): Promise<unknown>;
  close(code?: number, reason?: string): void;
}

/** A connect() for HostSession that makes a fresh transport pair each time, and the hub ends. */
export function fakeHub(handlers: Record<string, (params: unknown) => unknown> = {}) {
  const connections: FakeHubConnection[] = [];
  const connect = async (): Promise<Transport> => {
    const [client, server] = createMemoryTransportPair();
    const rpc = new RpcConnection(server);
    let gotInit!: (p: unknown) => void;
    const initializeParams = new Promise<unknown>((r) => (gotInit = r));
    rpc.onRequest('initialize', (p) => {
      gotInit(p);
      return { userAgent: 'fake/0', codexHome: '/fake', platformFamily: 'unix', platformOs: 'linux' };
    });
    rpc.onRequest('*', (p, ctx) => {
      const h = handlers[ctx.method];
      // like the hub: an unknown method is "Method not found"
      if (!h) throw new RpcError(RpcErrorCode.MethodNotFound, `Method not found: ${ctx.method}`);
      return h(p);
    });
    connections.push({
      rpc,
      initializeParams,
      notify: (m, p) => rpc.notify(m, p),
      ask: (m, p) => rpc.request(m, p),
      close: (code = 1006, reason = 'gone') => server.close(code, reason),
    });
    return client;
  };
  return { connect, connections };
}
