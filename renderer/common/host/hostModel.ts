/**
 * Everything a window knows about one environment of one host, wired in one place (style.md
 * G12: "wire host events into the store in one place"): the session's notifications feed the
 * thread list, the open threads and the approvals; its server requests become approval cards;
 * every (re)connect reloads what is on screen. React reaches it through HostProvider.
 */
import type { Thread } from '../../../shared/protocol/appServer/experimental/v2/Thread';
import type { ReasoningEffort } from '../../../shared/protocol/appServer/experimental/ReasoningEffort';
import { RpcError, RpcErrorCode } from '../../../shared/rpc/rpcError';
import type { Disposable } from '../../../shared/rpc/transport';
import { errorMessage } from '../../../shared/util/errors';
import { createApprovalsStore, isApprovalRequestMethod, type ApprovalsStore } from '../stores/approvalsStore';
import { createConnectionStore, type ConnectionStore } from '../stores/connectionStore';
import { createModelsStore, type ModelsStore } from '../stores/modelsStore';
import { createThreadListStore, type ThreadListStore } from '../stores/threadListStore';
import { createThreadStore, type ThreadStore } from '../stores/threadStore';
import { afterNextPaint } from '../util/afterPaint';
import { fetchEnvironments, fetchHostInfo, subscribeEnvironmentChanges, summarizeEnvironments } from './hostApi';
import type { HostSession } from './hostSession';

export interface StartThreadOptions {
  readonly cwd: string;
  readonly text: string;
  readonly model?: string | null;
  readonly effort?: ReasoningEffort | null;
  /** Called as soon as the thread exists (before its first turn), e.g. to show it. */
  readonly onCreated?: (threadId: string) => void;
}

export class HostModel {
  readonly session: HostSession;
  readonly connection: ConnectionStore;
  readonly threadList: ThreadListStore;
  readonly approvals: ApprovalsStore;
  readonly models: ModelsStore;
  readonly #open = new Map<string, { store: ThreadStore; refs: number }>();
  readonly #subs: Disposable[] = [];

  constructor(session: HostSession) {
    this.session = session;
    this.connection = createConnectionStore(session.status);
    this.threadList = createThreadListStore({ engine: session });
    this.approvals = createApprovalsStore();
    this.models = createModelsStore(session);

    this.#subs.push(
      session.onStatus((status) => {
        this.connection.setState({ status });
        // Requests of a lost connection can never be answered on the next one.
        if (status.kind !== 'online') this.approvals.getState().clear();
      }),
      session.onNotification((method, params) => this.#onNotification(method, params)),
      session.onConnected(({ reconnect }) => void this.#onConnected(reconnect)),
    );
    session.setServerRequestHandler((req) => {
      if (!isApprovalRequestMethod(req.method)) {
        return Promise.reject(new RpcError(RpcErrorCode.MethodNotFound, `${req.method}: not supported by this window`));
      }
      // Settled when the person answers; left pending when someone else answers first.
      return new Promise((resolve) => this.approvals.getState().add(req.id, req.method as never, req.params, resolve));
    });
  }

  /** Opens (or shares) the store of a thread; `release` when the view goes away. */
  openThread(threadId: string, started?: Thread): { store: ThreadStore; release: () => void } {
    let entry = this.#open.get(threadId);
    if (!entry) {
      entry = { store: createThreadStore({ engine: this.session, threadId, started }), refs: 0 };
      this.#open.set(threadId, entry);
      if (this.session.connection) void entry.store.getState().open();
    }
    entry.refs += 1;
    const e = entry;
    let released = false;
    return {
      store: e.store,
      release: () => {
        if (released) return;
        released = true;
        e.refs -= 1;
        if (e.refs > 0) return;
        this.#open.delete(threadId);
        // Unsubscribing is best effort: a lost connection has no subscriptions left anyway.
        if (this.session.connection) void this.session.request('thread/unsubscribe', { threadId }).catch(() => undefined);
      },
    };
  }

  /** Starts a thread in `cwd` and its first turn; resolves with the thread id. */
  async startThread(o: StartThreadOptions): Promise<string> {
    const res = await this.session.request('thread/start', { cwd: o.cwd, ...(o.model ? { model: o.model } : {}) });
    this.threadList.getState().applyNotification('thread/started', { thread: res.thread });
    const handle = this.openThread(res.thread.id, res.thread);
    o.onCreated?.(res.thread.id);
    try {
      const ok = await handle.store.getState().send(o.text, { model: o.model, effort: o.effort });
      if (!ok) throw new Error(handle.store.getState().sendError ?? 'the first message was not sent');
    } finally {
      handle.release();
    }
    return res.thread.id;
  }

  dispose(): void {
    for (const s of this.#subs) s.dispose();
    this.session.stop();
  }

  #onNotification(method: string, params: unknown): void {
    if (method === 'host/environments/changed') {
      const hostName = this.connection.getState().hostInfo?.hostName ?? '';
      void summarizeEnvironments(params, hostName).then(
        (environments) => this.connection.setState({ environments }),
        () => undefined, // an unreadable notification leaves the list as it was
      );
      return;
    }
    this.threadList.getState().applyNotification(method, params);
    const p = (params ?? {}) as Record<string, unknown>;
    const threadId = typeof p.threadId === 'string' ? p.threadId : undefined;
    if (threadId) this.#open.get(threadId)?.store.getState().applyNotification(method, params);
    if (method === 'serverRequest/resolved' && (typeof p.requestId === 'number' || typeof p.requestId === 'string')) {
      this.approvals.getState().resolved(p.requestId);
    } else if (method === 'turn/completed' && threadId) {
      const turnId = (p.turn as { id?: unknown } | undefined)?.id;
      if (typeof turnId === 'string') this.approvals.getState().turnEnded(threadId, turnId);
    }
  }

  async #onConnected(reconnect: boolean): Promise<void> {
    const list = this.threadList.getState();
    const listed = reconnect || list.phase === 'idle' ? list.loadFirst() : Promise.resolve();
    const opened = [...this.#open.values()].map(({ store }) => store.getState().open());
    // What is on screen comes first; the model list and the host's details (whose parser is a
    // chunk of its own) follow once it is painted, so they do not compete with the first paint.
    await Promise.all([listed, ...opened]);
    await afterNextPaint();
    if (this.models.getState().phase !== 'ready') void this.models.getState().load();
    try {
      const info = await fetchHostInfo(this.session);
      await subscribeEnvironmentChanges(this.session);
      const environments = await fetchEnvironments(this.session, info);
      this.connection.setState({ hostInfo: info, environments, infoError: undefined });
    } catch (err) {
      this.connection.setState({ infoError: errorMessage(err) });
    }
  }
}
