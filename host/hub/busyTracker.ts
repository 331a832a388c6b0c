/**
 * Watches the engine's broadcast `thread/status/changed` notifications over the hub's own
 * monitor connection (every initialized connection receives them, docs/engine.md §6) and
 * reports whether any thread is active. Keep-awake hangs off `onBusyChanged`; phone
 * notifications (docs/notifications.md) off `onAttention`: a thread that starts waiting on an
 * approval or an answer (`activeFlags` gains `waitingOnApproval` / `waitingOnUserInput`, the
 * engine's sign that an approval-type server request is pending), and a thread that stops being
 * active (its turn finished, was interrupted or failed). The broadcast reaches the monitor even
 * when no client is subscribed to the thread, so a phone that is away still hears of it.
 * The monitor reconnects whenever the engine (re)enters the running state.
 */
import { RpcConnection } from '../../shared/rpc/connection.js';
import { Emitter, type Disposable } from '../../shared/util/lifecycle.js';
import type { Logger } from '../../shared/util/logger.js';
import type { EnginePort } from './enginePort.js';
import { errorMessage } from '../../shared/util/errors.js';

const RECONNECT_DELAY_MS = 1000;
/** Threads tracked as active at once (a bound against a flood of ids; the oldest is forgotten). */
const MAX_ACTIVE_THREADS = 4096;

/** Something about one thread a person may want to hear of. */
export interface ThreadAttention {
  readonly kind: 'approval-needed' | 'turn-finished';
  readonly threadId: string;
}

const WAITING_FLAGS: ReadonlySet<string> = new Set(['waitingOnApproval', 'waitingOnUserInput']);

export class BusyTracker {
  readonly #engine: EnginePort;
  readonly #logger: Logger;
  readonly #version: string;
  /** Active threads → whether they wait on a person. */
  readonly #active = new Map<string, boolean>();
  readonly #changed = new Emitter<boolean>();
  readonly #attention = new Emitter<ThreadAttention>();
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

  /** A thread started waiting on a person, or its turn ended (see the file header). */
  onAttention(listener: (event: ThreadAttention) => void): Disposable {
    return this.#attention.on(listener);
  }

  dispose(): void {
    this.#disposed = true;
    for (const s of this.#subs) s.dispose();
    this.#conn?.close(1000, 'host stopping');
    this.#changed.clear();
    this.#attention.clear();
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
    const p = params as { threadId?: unknown; status?: { type?: unknown; activeFlags?: unknown } } | undefined;
    const threadId = p?.threadId;
    if (typeof threadId !== 'string' || threadId.length > 256) return;
    const wasActive = this.#active.has(threadId);
    const wasWaiting = this.#active.get(threadId) === true;
    if (p!.status?.type === 'active') {
      const flags = Array.isArray(p!.status.activeFlags) ? p!.status.activeFlags : [];
      const waiting = flags.some((f) => typeof f === 'string' && WAITING_FLAGS.has(f));
      this.#active.delete(threadId); // re-inserted last: the map stays in age order for the bound
      this.#active.set(threadId, waiting);
      if (this.#active.size > MAX_ACTIVE_THREADS) this.#active.delete(this.#active.keys().next().value!);
      if (waiting && !wasWaiting) this.#attention.fire({ kind: 'approval-needed', threadId });
    } else {
      this.#active.delete(threadId);
      if (wasActive) this.#attention.fire({ kind: 'turn-finished', threadId });
    }
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
