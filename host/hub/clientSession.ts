/**
 * One hub client and its own engine connection (docs/architecture.md: one engine connection per
 * client, messages forwarded unchanged both ways). The session adds what the engine cannot:
 * answers for host/ methods, clear errors for malformed input (the engine drops it silently),
 * a request rate limit, an outbound bound for clients that stop reading, and audit entries for
 * approvals answered through it.
 */
import { isHostMethod, HOST_METHODS, type HostMethod } from '../../shared/protocol/hostMethods.js';
import type { ClientIdentity } from '../../shared/protocol/clientIdentity.js';
import { toDisplayName } from '../../shared/protocol/displayName.js';
import { classifyMessage, type RpcId } from '../../shared/rpc/messages.js';
import { RpcError, RpcErrorCode } from '../../shared/rpc/rpcError.js';
import type { CloseInfo, Transport } from '../../shared/rpc/transport.js';
import type { Logger } from '../../shared/util/logger.js';
import { parseUnknown, SchemaParseError } from '../../shared/util/schema.js';
import { decisionOf, type ApprovalTracker } from './approvalTracker.js';
import type { AuditSink } from '../audit/auditLog.js';
import { HubCloseCode, type HubLimits } from './hubLimits.js';
import { TokenBucket } from './tokenBucket.js';
import { errorMessage } from '../../shared/util/errors.js';

/** An approval answer waits at most this long for its audit line (a hung disk must not hang approvals). */
const AUDIT_WAIT_MS = 5000;

/** How long to wait for the supervisor's verdict after an engine connection drops. */
const ENGINE_LOST_GRACE_MS = 1000;

export type HostMethodHandler = (params: unknown, client: ClientIdentity) => Promise<unknown> | unknown;

export interface ClientSessionDeps {
  readonly identity: ClientIdentity;
  readonly client: Transport;
  readonly openEngine: () => Promise<Transport>;
  readonly hostHandler: (method: HostMethod) => HostMethodHandler;
  readonly approvals: ApprovalTracker;
  readonly audit: AuditSink;
  readonly limits: HubLimits;
  readonly logger: Logger;
  readonly now?: () => number;
  readonly onClosed: (session: ClientSession, info: CloseInfo) => void;
  /** Take the display name from the client's `initialize` clientInfo (listener clients have no other). */
  readonly adoptClientName?: boolean;
}

export class ClientSession {
  #identity: ClientIdentity;
  readonly connectedAt = new Date();
  readonly #d: ClientSessionDeps;
  readonly #bucket: TokenBucket;
  #engine: Transport | undefined;
  #pendingToEngine: string[] | undefined = [];
  /** Set while an approval answer waits for its audit line; later messages queue behind it. */
  #gate: Promise<void> | undefined;
  #gated: string[] = [];
  #closed = false;
  /** Set when the hub closes the engine side on purpose (restart) so the reason is kept. */
  #engineCloseReason: { code: number; reason: string } | undefined;

  constructor(deps: ClientSessionDeps) {
    this.#d = deps;
    this.#identity = deps.identity;
    this.#bucket = new TokenBucket(deps.limits.requestsPerSecond, deps.limits.requestBurst, deps.now);
    deps.client.onMessage((text) => this.#fromClient(text));
    deps.client.onClose((info) => this.#clientClosed(info));
    void this.#connectEngine();
  }

  get identity(): ClientIdentity {
    return this.#identity;
  }

  /** Closes the client (and its engine connection) with a code and reason the client sees. */
  close(code: number, reason: string): void {
    if (this.#closed) return;
    this.#engineCloseReason = { code, reason };
    this.#d.client.close(code, reason);
    this.#engine?.close(1000, 'client session closed');
  }

  async #connectEngine(): Promise<void> {
    const { limits } = this.#d;
    let engine: Transport;
    const opening = this.#d.openEngine();
    try {
      engine = await withTimeout(opening, limits.engineConnectTimeoutMs, 'engine connection timed out');
    } catch (err) {
      // A connection that opens after we gave up must not leak.
      opening.then((t) => t.close(1000, 'connect timed out'), () => {});
      this.#d.logger.warn('engine connection failed', { client: this.identity.id, error: errorMessage(err) });
      this.close(HubCloseCode.TryAgainLater, `engine unavailable: ${errorMessage(err)}`.slice(0, 120));
      return;
    }
    if (this.#closed) {
      engine.close(1000, 'client left');
      return;
    }
    this.#engine = engine;
    engine.onMessage((text) => this.#fromEngine(text));
    engine.onClose((info) => {
      if (this.#closed) return;
      if (this.#engineCloseReason) {
        this.#d.client.close(this.#engineCloseReason.code, this.#engineCloseReason.reason);
        return;
      }
      // The socket usually notices a dead engine before the supervisor does; give the hub a
      // moment to say "engine restarted" (1012) rather than a vaguer "connection lost".
      setTimeout(() => {
        if (this.#closed || this.#engineCloseReason) return;
        this.close(HubCloseCode.InternalError, `engine connection lost (${info.code})`);
      }, ENGINE_LOST_GRACE_MS);
    });
    const queued = this.#pendingToEngine ?? [];
    this.#pendingToEngine = undefined;
    for (const t of queued) engine.send(t);
  }

  #fromClient(text: string): void {
    const { limits } = this.#d;
    if (text.length > limits.maxMessageBytes) {
      this.close(HubCloseCode.TooBig, `message exceeds ${limits.maxMessageBytes} bytes`);
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      this.#replyError(null, new RpcError(RpcErrorCode.ParseError, 'Parse error: message is not valid JSON'));
      return;
    }
    const msg = classifyMessage(value);
    if (msg.kind === 'invalid') {
      this.#replyError(msg.id, new RpcError(RpcErrorCode.InvalidRequest, `Invalid request: ${msg.reason}`));
      return;
    }
    if (msg.kind === 'request') {
      if (msg.method === 'initialize' && this.#d.adoptClientName) this.#adoptName(msg.params);
      if (!this.#bucket.take()) {
        this.#replyError(msg.id, new RpcError(RpcErrorCode.ServerOverloaded, 'Rate limit exceeded; retry later.'));
        return;
      }
      if (isHostMethod(msg.method)) {
        void this.#handleHostMethod(msg.id, msg.method, msg.params);
        return;
      }
      if (msg.method.startsWith('host/')) {
        this.#replyError(msg.id, new RpcError(RpcErrorCode.MethodNotFound, `Method not found: ${msg.method}`));
        return;
      }
    } else if (msg.kind === 'result' || msg.kind === 'error') {
      const written = msg.id !== null ? this.#auditAnswer(msg.id, msg.kind === 'result' ? decisionOf(msg.result) : 'error') : undefined;
      if (written) {
        // The answer reaches the engine only once its audit line is on disk (H4), and nothing
        // this client sends afterwards may overtake it.
        this.#holdUntil(written, text);
        return;
      }
    }
    this.#toEngine(text);
  }

  #toEngine(text: string): void {
    if (this.#gate) {
      this.#gated.push(text);
      return;
    }
    this.#toEngineNow(text);
  }

  #holdUntil(written: Promise<void>, text: string): void {
    this.#gated.push(text);
    const bounded = new Promise<void>((resolve) => {
      const t = setTimeout(resolve, AUDIT_WAIT_MS);
      void written.finally(() => {
        clearTimeout(t);
        resolve();
      });
    });
    const gate = (this.#gate ?? Promise.resolve()).then(() => bounded);
    this.#gate = gate;
    void gate.then(() => {
      if (this.#gate !== gate) return; // a later hold flushes everything, in order
      this.#gate = undefined;
      const queued = this.#gated;
      this.#gated = [];
      for (const t of queued) this.#toEngineNow(t);
    });
  }

  #toEngineNow(text: string): void {
    if (this.#pendingToEngine) {
      if (this.#pendingToEngine.length >= this.#d.limits.maxPendingBeforeEngine) {
        this.close(HubCloseCode.PolicyViolation, 'too many messages before the engine connection opened');
        return;
      }
      this.#pendingToEngine.push(text);
      return;
    }
    if (this.#engine && !this.#engine.isClosed) this.#engine.send(text);
  }

  #fromEngine(text: string): void {
    // Only server→client requests matter to the hub; a cheap text check avoids parsing every
    // streamed delta (the common case) while staying correct: a false positive is parsed and ignored.
    if (text.includes('"method"') && text.includes('"id"')) {
      try {
        const msg = classifyMessage(JSON.parse(text));
        if (msg.kind === 'request') this.#d.approvals.noteRequest(msg.id, msg.method, msg.params);
        else if (msg.kind === 'notification' && msg.method === 'serverRequest/resolved') {
          const rid = (msg.params as { requestId?: unknown } | undefined)?.requestId;
          if (typeof rid === 'number' || typeof rid === 'string') this.#d.approvals.noteResolved(rid);
        }
      } catch {
        // The engine's output is forwarded unchanged even if we cannot read it.
      }
    }
    this.#sendToClient(text);
  }

  #sendToClient(text: string): void {
    const c = this.#d.client;
    if (c.isClosed) return;
    if (c.bufferedAmount > this.#d.limits.maxClientOutboundBytes) {
      this.#d.logger.warn('dropping a client that stopped reading', { client: this.identity.id, kind: this.identity.kind, buffered: c.bufferedAmount });
      this.close(HubCloseCode.PolicyViolation, `client is not reading: more than ${this.#d.limits.maxClientOutboundBytes} bytes queued`);
      return;
    }
    c.send(text);
  }

  async #handleHostMethod(id: RpcId, method: HostMethod, params: unknown): Promise<void> {
    const spec = HOST_METHODS[method];
    if (!(spec.allowed as readonly string[]).includes(this.identity.kind)) {
      this.#replyError(id, new RpcError(RpcErrorCode.InvalidRequest, `${method}: not allowed for ${this.identity.kind} clients`));
      return;
    }
    try {
      const parsed = parseUnknown(spec.params, params, `${method} params`);
      const result = await this.#d.hostHandler(method)(parsed, this.identity);
      this.#sendToClient(JSON.stringify({ id, result: result ?? null }));
    } catch (err) {
      if (err instanceof SchemaParseError) this.#replyError(id, new RpcError(RpcErrorCode.InvalidParams, err.message));
      else if (err instanceof RpcError) this.#replyError(id, err);
      else {
        this.#d.logger.error('host method failed', { method, error: errorMessage(err) });
        this.#replyError(id, new RpcError(RpcErrorCode.InternalError, 'Internal error'));
      }
    }
  }

  #auditAnswer(id: RpcId, decision: string): Promise<void> | undefined {
    const r = this.#d.approvals.noteAnswer(id);
    if (!r) return undefined;
    const { kind, id: clientId, name } = this.identity;
    const entry = {
      time: new Date(this.#d.now?.() ?? Date.now()).toISOString(),
      client: { kind, id: clientId, name },
      threadId: r.approval.threadId,
      request: r.approval.method,
      summary: r.approval.summary,
      decision,
      outcome: r.first ? ('applied' as const) : ('late' as const),
    };
    return this.#d.audit.append(entry).catch((err: Error) => this.#d.logger.error('audit log write failed', { error: err.message }));
  }

  #adoptName(params: unknown): void {
    const name = (params as { clientInfo?: { name?: unknown } } | undefined)?.clientInfo?.name;
    // Cleaned: the name is shown in `codex-host status` and UIs (no escape codes or bidi tricks).
    if (typeof name === 'string') this.#identity = { ...this.#identity, name: toDisplayName(name, this.#identity.name) };
  }

  #replyError(id: RpcId | null, err: RpcError): void {
    this.#sendToClient(JSON.stringify({ id, error: err.toObject() }));
  }

  #clientClosed(info: CloseInfo): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#engine?.close(1000, 'client left');
    this.#d.onClosed(this, info);
  }
}

function withTimeout<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(message)), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(t);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}
