/**
 * One hub client and its own engine connection (docs/architecture.md: one engine connection per
 * client, messages forwarded unchanged both ways). The session adds what the engine cannot:
 * answers for host/ methods, clear errors for malformed input (the engine drops it silently),
 * a rate limit on everything the client sends, an outbound bound for clients that stop
 * reading, answers only to server requests it was sent (red-team P5), and audit entries for
 * approvals answered through it, which reach the engine only once written (H4, P7).
 *
 * The engine connection opens with the first message for the engine (normally `initialize`),
 * in the environment the client picked with `host/environment/select` (default `local`).
 */
import type { ClientIdentity } from '../../shared/protocol/clientIdentity.js';
import { toDisplayName } from '../../shared/protocol/displayName.js';
import { HOST_METHODS, isHostMethod, LOCAL_ENVIRONMENT_ID, type HostMethod } from '../../shared/protocol/hostMethods.js';
import { mayReceive, type HostNotification } from '../../shared/protocol/hostNotifications.js';
import { classifyMessage, type RpcId } from '../../shared/rpc/messages.js';
import { RpcError, RpcErrorCode } from '../../shared/rpc/rpcError.js';
import type { CloseInfo, Transport } from '../../shared/rpc/transport.js';
import { errorMessage } from '../../shared/util/errors.js';
import type { Logger } from '../../shared/util/logger.js';
import { parseUnknown, SchemaParseError } from '../../shared/util/schema.js';
import type { AuditEntry, AuditSink } from '../audit/auditLog.js';
import { APPROVAL_METHODS, decisionOf, type PendingApproval } from './approvalTracker.js';
import { DeliveredRequests } from './deliveredRequests.js';
import { EngineOutbox } from './engineOutbox.js';
import type { EnvironmentRuntime } from './environmentRuntime.js';
import type { HostConnection } from './hostFeatures.js';
import { HubCloseCode, type HubLimits } from './hubLimits.js';
import { TokenBucket } from './tokenBucket.js';

/** An approval answer waits at most this long for its audit line (a hung disk must not hang approvals). */
const AUDIT_WAIT_MS = 5000;

/** How long to wait for the supervisor's verdict after an engine connection drops. */
const ENGINE_LOST_GRACE_MS = 1000;

export interface ClientSessionDeps {
  readonly identity: ClientIdentity;
  readonly client: Transport;
  /** The environment named `id`, if the host has it. */
  readonly environment: (id: string) => EnvironmentRuntime | undefined;
  /** Runs a host/ method (params parsed, kind checked). */
  readonly hostCall: (method: HostMethod, params: unknown, connection: HostConnection) => Promise<unknown>;
  readonly audit: AuditSink;
  readonly limits: HubLimits;
  readonly logger: Logger;
  readonly now?: () => number;
  readonly onClosed: (session: ClientSession, info: CloseInfo) => void;
  /** Take the display name from the client's `initialize` clientInfo (listener clients have no other). */
  readonly adoptClientName?: boolean;
  /** The client works in this environment only (an endpoint bound to one environment). */
  readonly boundEnvironmentId?: string;
}

export class ClientSession implements HostConnection {
  #identity: ClientIdentity;
  readonly connectedAt = new Date();
  readonly #d: ClientSessionDeps;
  readonly #bucket: TokenBucket;
  readonly #delivered = new DeliveredRequests();
  readonly #outbox: EngineOutbox;
  readonly #subscribed = new Set<HostNotification>();
  #environmentId = LOCAL_ENVIRONMENT_ID;
  /** Set once the first engine message arrived: the environment is fixed from then on. */
  #env: EnvironmentRuntime | undefined;
  #engine: Transport | undefined;
  #pendingToEngine: string[] = [];
  #closed = false;
  /** Set when the hub closes the session on purpose (restart, revoke) so the reason is kept. */
  #engineCloseReason: { code: number; reason: string } | undefined;

  constructor(deps: ClientSessionDeps) {
    this.#d = deps;
    this.#identity = deps.identity;
    if (deps.boundEnvironmentId !== undefined) this.#environmentId = deps.boundEnvironmentId;
    this.#bucket = new TokenBucket(deps.limits.requestsPerSecond, deps.limits.requestBurst, deps.now);
    this.#outbox = new EngineOutbox({ maxHeldMessages: deps.limits.maxHeldMessages, maxHeldBytes: deps.limits.maxHeldBytes, send: (t) => this.#toEngineNow(t) });
    deps.client.onMessage((text) => this.#fromClient(text));
    deps.client.onClose((info) => this.#clientClosed(info));
  }

  get identity(): ClientIdentity {
    return this.#identity;
  }

  get client(): ClientIdentity {
    return this.#identity;
  }

  get environmentId(): string {
    return this.#environmentId;
  }

  get isClosed(): boolean {
    return this.#closed;
  }

  selectEnvironment(environmentId: string): void {
    const bound = this.#d.boundEnvironmentId;
    if (bound !== undefined && environmentId !== bound) {
      throw new RpcError(RpcErrorCode.InvalidRequest, `host/environment/select: this endpoint serves environment "${bound}" only`);
    }
    if (this.#env) {
      throw new RpcError(
        RpcErrorCode.InvalidRequest,
        `host/environment/select: this connection already works in environment "${this.#environmentId}"; choose the environment before initialize, or open a new connection for another one`,
      );
    }
    this.#environmentId = environmentId;
  }

  subscribe(notifications: readonly HostNotification[]): void {
    for (const n of notifications) if (mayReceive(this.#identity.kind, n)) this.#subscribed.add(n);
  }

  /** Sends a host/ notification if this connection subscribed to it. */
  notify(method: HostNotification, params: unknown): void {
    if (this.#closed || !this.#subscribed.has(method)) return;
    this.#sendToClient(JSON.stringify({ method, params }));
  }

  /** Closes the client (and its engine connection) with a code and reason the client sees. */
  close(code: number, reason: string): void {
    if (this.#closed) return;
    this.#engineCloseReason = { code, reason };
    this.#d.client.close(code, reason);
    this.#engine?.close(1000, 'client session closed');
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
      this.#forward(text, msg.id, `request ${msg.method.slice(0, 64)}`);
      return;
    }
    if (msg.kind === 'notification') {
      if (!this.#bucket.take()) {
        this.#replyError(null, new RpcError(RpcErrorCode.ServerOverloaded, `Rate limit exceeded: notification ${msg.method.slice(0, 64)} was dropped; retry later.`));
        return;
      }
      this.#forward(text, null, `notification ${msg.method.slice(0, 64)}`);
      return;
    }
    // An error without an id answers nothing; replying could start an error ping-pong.
    if (msg.id === null) return;
    this.#fromClientAnswer(text, msg.id, msg.kind === 'result' ? decisionOf(msg.result) : 'error');
  }

  #fromClientAnswer(text: string, id: RpcId, decision: string): void {
    const shown = JSON.stringify(id).slice(0, 80);
    if (!this.#bucket.take()) {
      this.#replyError(null, new RpcError(RpcErrorCode.ServerOverloaded, `Rate limit exceeded: the answer to server request ${shown} was dropped; send it again later.`, { requestId: id }));
      return;
    }
    const method = this.#delivered.take(id);
    if (method === undefined) {
      this.#replyError(
        null,
        new RpcError(RpcErrorCode.InvalidRequest, `Invalid request: server request ${shown} was not sent to this client, or it already answered it; the answer was dropped`, { requestId: id }),
      );
      return;
    }
    if (decision === 'error' && APPROVAL_METHODS.has(method)) {
      // A client that cannot answer (no way to show it, an old client) is not a person
      // deciding; the engine takes the first answer from any connection, so passing the error
      // on would decline it for everyone who can. Left waiting for them (docs/engine.md §6).
      this.#d.logger.info('a client could not answer an approval; it stays open for the others', { client: this.identity.id, method, requestId: shown });
      return;
    }
    const env = this.#env;
    const claim = env?.approvals.noteAnswer(id);
    if (!env || !claim) {
      if (!this.#forward(text, null, `the answer to server request ${shown}`)) this.#delivered.restore(id, method);
      return;
    }
    // Checked before the audit line is written, so a refused answer leaves no "applied" line.
    if (!this.#outbox.canHold(text)) {
      env.approvals.release(id, claim.first);
      this.#delivered.restore(id, method);
      this.#replyError(null, this.#heldFullError(`the answer to server request ${shown}`, id));
      return;
    }
    this.#outbox.pushHeld(text, this.#auditAnswer(env, id, method, decision, claim));
  }

  /** Passes an engine-bound message on (in order, behind held answers); refuses it, saying `what` was dropped, when that queue is full. */
  #forward(text: string, requestId: RpcId | null, what: string): boolean {
    if (this.#outbox.push(text)) return true;
    this.#replyError(requestId, this.#heldFullError(what, null));
    return false;
  }

  #heldFullError(what: string, requestId: RpcId | null): RpcError {
    const { maxHeldMessages, maxHeldBytes } = this.#d.limits;
    return new RpcError(
      RpcErrorCode.ServerOverloaded,
      `Too many messages waiting for the audit log (at most ${maxHeldMessages} or ${Math.round(maxHeldBytes / 1024 / 1024)} MiB); ${what} was dropped; retry later.`,
      requestId === null ? undefined : { requestId },
    );
  }

  #toEngineNow(text: string): void {
    if (this.#closed) return;
    if (this.#engine) {
      if (!this.#engine.isClosed) this.#engine.send(text);
      return;
    }
    if (this.#pendingToEngine.length >= this.#d.limits.maxPendingBeforeEngine) {
      this.close(HubCloseCode.PolicyViolation, 'too many messages before the engine connection opened');
      return;
    }
    this.#pendingToEngine.push(text);
    if (!this.#env) void this.#connectEngine();
  }

  async #connectEngine(): Promise<void> {
    const id = this.#environmentId;
    const env = this.#d.environment(id);
    if (!env) {
      this.close(HubCloseCode.TryAgainLater, `environment "${id}" is not available on this host`);
      return;
    }
    this.#env = env;
    const { limits } = this.#d;
    let engine: Transport;
    const opening = env.entry.engine.connect();
    try {
      engine = await withTimeout(opening, limits.engineConnectTimeoutMs, 'engine connection timed out');
    } catch (err) {
      // A connection that opens after we gave up must not leak.
      opening.then((t) => t.close(1000, 'connect timed out'), () => {});
      // The detail (an internal address and port) goes to the log, never to the client.
      this.#d.logger.warn('engine connection failed', { client: this.identity.id, environment: id, error: errorMessage(err) });
      this.close(HubCloseCode.TryAgainLater, id === LOCAL_ENVIRONMENT_ID ? 'engine unavailable; try again later' : `engine of environment "${id}" unavailable; try again later`);
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
    const queued = this.#pendingToEngine;
    this.#pendingToEngine = [];
    for (const t of queued) engine.send(t);
  }

  #fromEngine(text: string): void {
    // Only server→client requests matter to the hub; a cheap text check avoids parsing every
    // streamed delta (the common case) while staying correct: a false positive is parsed and ignored.
    if (text.includes('"method"') && text.includes('"id"')) {
      try {
        const msg = classifyMessage(JSON.parse(text));
        if (msg.kind === 'request') {
          this.#delivered.note(msg.id, msg.method);
          this.#env?.approvals.noteRequest(msg.id, msg.method, msg.params);
        } else if (msg.kind === 'notification' && msg.method === 'serverRequest/resolved') {
          const rid = (msg.params as { requestId?: unknown } | undefined)?.requestId;
          if (typeof rid === 'number' || typeof rid === 'string') this.#env?.approvals.noteResolved(rid);
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
      const result = await this.#d.hostCall(method, parsed, this);
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

  /**
   * Writes the audit line of an answer to an approval-type request; resolves true once it is
   * written. When it cannot be written in time the answer is dropped, never applied unaudited:
   * resolves false, tells the client, and lets it answer again.
   */
  #auditAnswer(env: EnvironmentRuntime, id: RpcId, method: string, decision: string, claim: { approval: PendingApproval; first: boolean }): Promise<boolean> {
    const { kind, id: clientId, name } = this.identity;
    const entry: AuditEntry = {
      time: new Date(this.#d.now?.() ?? Date.now()).toISOString(),
      client: { kind, id: clientId, name },
      environmentId: env.id,
      threadId: claim.approval.threadId,
      request: claim.approval.method,
      summary: claim.approval.summary,
      decision,
      outcome: claim.first ? 'applied' : 'late',
    };
    return withTimeout(this.#d.audit.append(entry), AUDIT_WAIT_MS, `no answer from the audit log within ${AUDIT_WAIT_MS} ms`).then(
      () => true,
      (err: unknown) => {
        this.#d.logger.error('audit log write failed: the approval answer was not passed on', { requestId: id, error: errorMessage(err) });
        env.approvals.release(id, claim.first);
        this.#delivered.restore(id, method);
        this.#replyError(
          null,
          new RpcError(
            RpcErrorCode.AnswerNotApplied,
            `Approval not applied: the host cannot write its audit log, so the answer to server request ${JSON.stringify(id).slice(0, 80)} was dropped; answer again once the host's owner has fixed it (codex-host status)`,
            { requestId: id },
          ),
        );
        return false;
      },
    );
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
