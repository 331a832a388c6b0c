/**
 * One paired host while the app runs (docs/mobile.md "Hosts"): its `HostSession` over the
 * end-to-end session (each connect is one `openControllerTransport` resume; HostSession does the
 * backoff), the shared `HostModel` (threads, approvals, models) for the environment shown, the
 * last failure in words, and the outbox of messages written while it was out of reach, sent on
 * every (re)connect. A device the host removed, or a host that cannot prove its pinned key, is
 * final: no retries, the screen says why.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { AeadFactory } from '../../../shared/crypto/aead';
import { openControllerTransport, type ControllerDevice } from '../../../shared/controller/index';
import { RemoteSessionError } from '../../../shared/controller/remoteSessionError';
import type { TrustedHost } from '../../../shared/controller/trustedHost';
import type { WebSocketFactory } from '../../../shared/controller/webSocketLike';
import type { Disposable } from '../../../shared/rpc/transport';
import { perfMark } from '../../common/util/perfMark';
import type { EnvironmentSummary } from '../../common/host/hostApi';
import { HostModel } from '../../common/host/hostModel';
import { HostSession, type Timers } from '../../common/host/hostSession';
import type { KeyValueStore } from '../platform/kvStore';
import type { FinalReason, LastFailure } from './connectionState';
import { cachedThreadListKey, parseCachedThreadList, storableThreadList } from './cachedThreadList';
import { knownEnvironmentsKey, parseKnownEnvironments, storableEnvironments } from './knownEnvironments';
import { createOutbox, type OutboxStore, type QueuedMessage } from './outbox';

export interface HostRuntimeDeps {
  readonly device: ControllerDevice;
  readonly aead: AeadFactory;
  readonly webSocket: WebSocketFactory;
  readonly kv?: KeyValueStore;
  readonly timers?: Timers;
  /** The host proved a new name (welcome): keep it. */
  readonly onRenamed?: (host: TrustedHost) => void;
  /** After every (re)connect (the phone hands the host its current push subscription then). */
  readonly onConnected?: (runtime: HostRuntime) => void;
}

export interface RuntimeState {
  readonly model: HostModel;
  readonly environmentId: string;
  /** The host's environments as last seen by any of its sessions (knownEnvironments.ts). */
  readonly environments: readonly EnvironmentSummary[];
  readonly lastFailure?: LastFailure;
}

/** The sentence HostSession keeps for a final refusal is the reason token (connectionState.ts reads it). */
export function finalReasonOf(err: unknown): FinalReason | undefined {
  if (!(err instanceof RemoteSessionError)) return undefined;
  if (err.kind === 'denied') return 'removed';
  if (err.kind === 'host_key') return 'host_key';
  return undefined;
}

export class HostRuntime {
  readonly hostId: string;
  readonly outbox: OutboxStore;
  readonly state: StoreApi<RuntimeState>;
  readonly #deps: HostRuntimeDeps;
  #trusted: TrustedHost;
  #subs: Disposable[] = [];
  #disposed = false;

  constructor(trusted: TrustedHost, environmentId: string, deps: HostRuntimeDeps) {
    this.hostId = trusted.hostId;
    this.#trusted = trusted;
    this.#deps = deps;
    this.outbox = createOutbox(deps.kv, `outbox.${trusted.hostId}`);
    this.state = createStore<RuntimeState>()(() => ({ model: this.#makeModel(environmentId), environmentId, environments: [] }));
    void deps.kv
      ?.get(knownEnvironmentsKey(this.hostId))
      .then((v) => {
        const known = parseKnownEnvironments(v);
        if (known.length > 0 && this.state.getState().environments.length === 0) this.state.setState({ environments: known });
      })
      .catch(() => undefined);
  }

  get model(): HostModel {
    return this.state.getState().model;
  }

  get trusted(): TrustedHost {
    return this.#trusted;
  }

  /** Shows another environment of the host (a new session in it). */
  setEnvironment(environmentId: string): void {
    if (environmentId === this.state.getState().environmentId || this.#disposed) return;
    this.#dropModel();
    this.state.setState({ model: this.#makeModel(environmentId), environmentId, lastFailure: undefined });
  }

  /** Sends `text` now when online, else keeps it in the outbox; resolves true when it went out or was queued. */
  async send(threadId: string, text: string, choice: { model: string | null; effort: QueuedMessage['effort'] }): Promise<boolean> {
    const model = this.model;
    if (model.session.status.kind === 'online') {
      const handle = model.openThread(threadId);
      try {
        return await handle.store.getState().send(text, choice);
      } finally {
        handle.release();
      }
    }
    if (!text.trim()) return false;
    this.outbox.getState().add(threadId, text.trim(), choice);
    return true;
  }

  dispose(): void {
    this.#disposed = true;
    this.#dropModel();
  }

  #dropModel(): void {
    for (const s of this.#subs) s.dispose();
    this.#subs = [];
    this.state.getState().model.dispose();
  }

  #makeModel(environmentId: string): HostModel {
    const session = new HostSession({
      connect: () => this.#connect(),
      clientInfo: { name: 'codex_host_phone', title: 'Codex Host (phone)', version: '0.1.0' },
      environmentId,
      finalError: (err) => finalReasonOf(err),
      ...(this.#deps.timers ? { timers: this.#deps.timers } : {}),
      maxBackoffMs: 15_000,
    });
    const model = new HostModel(session);
    const unsubscribe = model.connection.subscribe((s, prev) => {
      if (s.environments !== prev.environments && s.environments.length > 0) this.#rememberEnvironments(s.environments);
    });
    this.#subs.push(
      { dispose: unsubscribe },
      this.#cacheThreadList(model, environmentId),
      session.onConnected(() => {
        void this.#flush(model);
        this.#deps.onConnected?.(this);
      }),
    );
    queueMicrotask(() => {
      if (!this.#disposed && this.state.getState().model === model) session.start();
    });
    return model;
  }

  /**
   * Paints the list this phone last saw of `environmentId` until the first page arrives
   * (cachedThreadList.ts), and keeps each new first page (not a search's) for the next start.
   */
  #cacheThreadList(model: HostModel, environmentId: string): Disposable {
    const kv = this.#deps.kv;
    if (!kv) return { dispose: () => undefined };
    const key = cachedThreadListKey(this.hostId);
    const list = model.threadList;
    void kv
      .get(key)
      .then((v) => {
        const cached = parseCachedThreadList(v);
        const s = list.getState();
        if (!cached || cached.environmentId !== environmentId || cached.threads.length === 0) return;
        if (this.#disposed || this.model !== model || s.threads.length > 0 || s.phase === 'ready' || s.search) return;
        list.setState({ threads: cached.threads });
        perfMark('codexPhone:cachedThreadList');
      })
      .catch(() => undefined);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const unsubscribe = list.subscribe((s, prev) => {
      if (s.phase !== 'ready' || s.search || (s.threads === prev.threads && prev.phase === 'ready')) return;
      // Live updates come in bursts (a running turn): write once they settle.
      clearTimeout(timer);
      timer = setTimeout(() => void kv.set(key, storableThreadList(environmentId, s.threads)).catch(() => undefined), prev.phase === 'ready' ? 1000 : 0);
    });
    return {
      dispose: () => {
        clearTimeout(timer);
        unsubscribe();
      },
    };
  }

  #rememberEnvironments(list: readonly EnvironmentSummary[]): void {
    this.state.setState({ environments: list });
    void this.#deps.kv?.set(knownEnvironmentsKey(this.hostId), storableEnvironments(list)).catch(() => undefined);
  }

  async #connect() {
    try {
      const opened = await openControllerTransport({ mode: 'resume', host: this.#trusted }, { device: this.#deps.device, aead: this.#deps.aead, webSocket: this.#deps.webSocket });
      this.state.setState({ lastFailure: undefined });
      if (opened.trustedHost.name !== this.#trusted.name) {
        this.#trusted = opened.trustedHost;
        this.#deps.onRenamed?.(opened.trustedHost);
      }
      return opened.transport;
    } catch (err) {
      if (err instanceof RemoteSessionError) this.state.setState({ lastFailure: { kind: err.kind, reason: err.reason, message: err.message } });
      throw err;
    }
  }

  /** Sends what was queued, oldest first; a message the engine refuses stays, marked, to retry or discard. */
  async #flush(model: HostModel): Promise<void> {
    await this.outbox.getState().flush(async (m) => {
      if (model.session.status.kind !== 'online') return false;
      const handle = model.openThread(m.threadId);
      try {
        const store = handle.store;
        // Resumes the thread on this connection (shared with the reload HostModel runs on connect).
        await store.getState().open();
        if (model.session.status.kind !== 'online') return false;
        if (store.getState().phase !== 'ready') return store.getState().error ?? 'the thread could not be opened';
        const ok = await store.getState().send(m.text, { model: m.model, effort: m.effort, clientUserMessageId: m.clientUserMessageId });
        if (ok) return true;
        return model.session.status.kind === 'online' ? (store.getState().sendError ?? 'the host did not take the message') : false;
      } finally {
        handle.release();
      }
    });
  }
}
