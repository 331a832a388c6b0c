/**
 * Watches the engine's broadcast `thread/status/changed` notifications over the hub's own
 * monitor connection (every initialized connection receives them, docs/engine.md §6) and
 * reports whether any thread is active. Keep-awake and notifications hang off `onBusyChanged`.
 * The monitor reconnects whenever the engine (re)enters the running state.
 */
import { RpcConnection } from '../../shared/rpc/connection.js';
import { Emitter, type Disposable } from '../../shared/util/lifecycle.js';
import type { Logger } from '../../shared/util/logger.js';
import type { EnginePort } from './enginePort.js';
import { errorMessage } from '../../shared/util/errors.js';

const RECONNECT_DELAY_MS = 1000;

export class BusyTracker {
  readonly #engine: EnginePort;
  readonly #logger: Logger;
  readonly #version: string;
  readonly #active = new Set<string>();
  readonly #changed = new Emitter<boolean>();
  readonly #subs: Disposable[] = [];
  #conn: RpcConnection | undefined;
  #busy = false;
  #disposed = false;

  constructor(engine: EnginePort, logger: Logger, hostVersion: string) {
    this.#engine = engine;
    this.#logger = logger;
    this.#version = hostVersion;
    this.#subs.push(
      engine.onStateChange((s) => {
        if (s === 'running') void this.#connect();
      }),
      engine.onRestart(() => this.#reset()),
    );
    if (engine.state === 'running') void this.#connect();
  }

  get busy(): boolean {
    return this.#busy;
  }

  onBusyChanged(listener: (busy: boolean) => void): Disposable {
    return this.#changed.on(listener);
  }

  dispose(): void {
    this.#disposed = true;
    for (const s of this.#subs) s.dispose();
    this.#conn?.close(1000, 'host stopping');
    this.#changed.clear();
  }

  async #connect(): Promise<void> {
    if (this.#disposed || (this.#conn && !this.#conn.isClosed)) return;
    try {
      const t = await this.#engine.connect();
      if (this.#disposed) {
        t.close(1000, 'host stopping');
        return;
      }
      const conn = new RpcConnection(t, { requestTimeoutMs: 15_000 });
      this.#conn = conn;
      conn.onClose(() => {
        if (this.#conn !== conn || this.#disposed) return;
        // Lost without an engine restart (which resets us): what we knew is stale; start over.
        this.#reset();
        setTimeout(() => {
          if (!this.#disposed && this.#engine.state === 'running') void this.#connect();
        }, RECONNECT_DELAY_MS);
      });
      conn.onNotification('thread/status/changed', (p) => this.#onStatus(p));
      conn.onRequest('*', () => {
        // The monitor never subscribes to threads, so it should get no server requests; refuse any.
        throw new Error('the host monitor does not answer server requests');
      });
      await conn.request('initialize', { clientInfo: { name: 'codex-host', title: 'Codex Host monitor', version: this.#version }, capabilities: null });
      conn.notify('initialized');
    } catch (err) {
      this.#logger.warn('engine monitor connection failed', { error: errorMessage(err) });
    }
  }

  #onStatus(params: unknown): void {
    const p = params as { threadId?: unknown; status?: { type?: unknown } } | undefined;
    if (typeof p?.threadId !== 'string') return;
    if (p.status?.type === 'active') this.#active.add(p.threadId);
    else this.#active.delete(p.threadId);
    this.#update();
  }

  #reset(): void {
    this.#active.clear();
    this.#conn = undefined;
    this.#update();
  }

  #update(): void {
    const busy = this.#active.size > 0;
    if (busy === this.#busy) return;
    this.#busy = busy;
    this.#changed.fire(busy);
  }
}
