/**
 * The benchmark's app-server client: a raw `ws` socket speaking JSON-RPC text frames, used
 * unchanged for the direct-to-engine path and the through-the-hub path so that the client side
 * costs the same in both. It keeps no message history (only pending requests and one
 * notification listener) so long runs do not slow it down, and it stamps every notification
 * with its receive time before parsing anything else.
 */
import WebSocket from 'ws';
import { epochNowMs } from './stats.js';

/** A notification as received, with the client's receive time (epoch ms, sub-ms precision). */
export interface ReceivedNotification {
  readonly method: string;
  readonly params: Record<string, unknown>;
  /** The engine's top-level `emittedAtMs`, when present. */
  readonly emittedAtMs: number | undefined;
  readonly receivedAtMs: number;
}

interface Pending {
  resolve(result: unknown): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
}

const REQUEST_TIMEOUT_MS = 60_000;

export class RpcBenchClient {
  readonly #ws: WebSocket;
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;
  /** Called for every notification (messages with a method and no id). */
  onNotification: ((n: ReceivedNotification) => void) | undefined;

  private constructor(ws: WebSocket) {
    this.#ws = ws;
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      const receivedAtMs = epochNowMs();
      if (isBinary) return;
      const msg = JSON.parse(data.toString('utf8')) as Record<string, unknown>;
      const id = msg.id;
      if (typeof msg.method === 'string') {
        if (id !== undefined) {
          // A server → client request (none expected here): answer so nothing waits on us.
          ws.send(JSON.stringify({ id, error: { code: -32601, message: 'bench client: not supported' } }));
          return;
        }
        const params = msg.params && typeof msg.params === 'object' ? (msg.params as Record<string, unknown>) : {};
        const emittedAtMs = typeof msg.emittedAtMs === 'number' ? msg.emittedAtMs : undefined;
        this.onNotification?.({ method: msg.method, params, emittedAtMs, receivedAtMs });
        return;
      }
      if (typeof id !== 'number') return;
      const p = this.#pending.get(id);
      if (!p) return;
      this.#pending.delete(id);
      clearTimeout(p.timer);
      const error = msg.error as { code?: number; message?: string } | undefined;
      if (error) p.reject(new Error(`request ${id} failed: ${error.code ?? '?'} ${error.message ?? ''}`));
      else p.resolve(msg.result);
    });
    ws.on('close', () => {
      for (const [, p] of this.#pending) {
        clearTimeout(p.timer);
        p.reject(new Error('bench client: socket closed'));
      }
      this.#pending.clear();
    });
  }

  /** Opens `url` (with optional upgrade headers) and resolves once open. */
  static open(url: string, headers: Record<string, string> = {}): Promise<RpcBenchClient> {
    const ws = new WebSocket(url, { headers, perMessageDeflate: false, maxPayload: 256 * 1024 * 1024 });
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(new RpcBenchClient(ws)));
      ws.once('unexpected-response', (_req, res) => reject(new Error(`bench client: ${url}: HTTP ${res.statusCode ?? '?'}`)));
      ws.once('error', (err) => reject(new Error(`bench client: ${url}: ${err.message}`)));
    });
  }

  request(method: string, params?: unknown): Promise<unknown> {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new Error(`${method} (id ${id}): no answer within ${REQUEST_TIMEOUT_MS} ms`));
      }, REQUEST_TIMEOUT_MS);
      this.#pending.set(id, { resolve, reject, timer });
      this.#ws.send(JSON.stringify(params === undefined ? { id, method } : { id, method, params }));
    });
  }

  notify(method: string): void {
    this.#ws.send(JSON.stringify({ method }));
  }

  /** `initialize` then `initialized`. */
  async initialize(name: string): Promise<void> {
    await this.request('initialize', { clientInfo: { name, title: 'Codex Host bench', version: '0.0.0' }, capabilities: null });
    this.notify('initialized');
  }

  close(): Promise<void> {
    if (this.#ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#ws.terminate();
        resolve();
      }, 2_000);
      this.#ws.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      this.#ws.close(1000, 'bench done');
    });
  }
}
