/**
 * The host's relay client (remote-protocol.md §3-§5; docs/relay.md): one WebSocket to
 * `${relayUrl}/v1/host`, registered by signing the relay's challenge with the host key, carrying
 * every controller session multiplexed as `sid || payload` frames. Each `open` becomes a
 * `HostSession` (handshake, admission, then an encrypted `Transport` handed to `attach`).
 *
 * The connection is kept up: on any close it reconnects with exponential backoff and jitter
 * (250 ms doubling to 30 s; reset after a connection that stayed registered for 10 s). A 4409
 * ("replaced by a newer registration": another process runs with this host identity) is logged
 * as an error and retried only after a long pause, so two such hosts do not evict each other in a
 * tight loop. The relay is untrusted: its messages are parsed strictly, an unknown sid is
 * dropped, and at most `maxSessions` sessions exist at once.
 */
import WebSocket from 'ws';
import type { AeadFactory } from '../../shared/crypto/aead.js';
import { HANDSHAKE_TIMEOUT_MS } from '../../shared/crypto/handshakeMessages.js';
import type { HostDescription } from '../../shared/crypto/hostHandshake.js';
import { idFromPublicKey, type Signer } from '../../shared/crypto/identity.js';
import { LABEL_REGISTER } from '../../shared/crypto/labels.js';
import { Backoff } from '../../shared/util/backoff.js';
import { CLOSE } from '../../shared/protocol/closeCodes.js';
import { SID_BYTES } from '../../shared/protocol/ids.js';
import { type Transport } from '../../shared/rpc/transport.js';
import { Emitter, type Disposable } from '../../shared/util/lifecycle.js';
import { concatBytes, fromHex, toHex } from '../../shared/util/encoding.js';
import type { Logger } from '../../shared/util/logger.js';
import type { SessionAdmission } from './sessionAdmission.js';
import { HostSession, type SessionIdentity } from './relaySession.js';
import { closeSessionMessage, encodeHostToRelay, MAX_RELAY_TO_HOST_BYTES, parseRelayToHost } from '../../shared/relay/messages.js';
import { errorMessage } from '../../shared/util/errors.js';

/**
 * - `connecting`: opening the WebSocket or registering.
 * - `registered`: controllers can reach this host.
 * - `disconnected`: the connection is down; a reconnect is scheduled.
 * - `stopped`: not started, or `stop()` was called.
 */
export type HostRelayState = 'connecting' | 'registered' | 'disconnected' | 'stopped';

export interface HostRelayClientOptions {
  /** Relay WebSocket base URL, `ws(s)://host[:port]` (no trailing slash). */
  readonly relayUrl: string;
  /** The host identity key. */
  readonly host: Signer;
  readonly aead: AeadFactory;
  readonly admission: SessionAdmission;
  /** The host fields of `welcome` (read at each welcome). */
  readonly hostDescription: () => HostDescription;
  /** Receives each welcomed session; the transport is closed when the session ends. */
  readonly attach: (transport: Transport, identity: SessionIdentity) => unknown;
  readonly logger: Logger;
  /** Deadline of each session's handshake, from `open` to `welcome` (default 10 s, then close 4408). */
  readonly handshakeTimeoutMs?: number;
  /** Reconnect backoff (default 250 ms doubling to 30 s). */
  readonly backoff?: { readonly initialMs?: number; readonly maxMs?: number };
  /** Minimum pause after 4409 "replaced" (default 60 s). */
  readonly replacedRetryMs?: number;
  /** A connection registered this long resets the backoff (default 10 s). */
  readonly stableAfterMs?: number;
  /** From connect to `registered` (default 15 s; the relay itself allows 10 s). */
  readonly registrationTimeoutMs?: number;
  /** Ping the relay after this much silence (default 15 s). */
  readonly pingIntervalMs?: number;
  /** Drop the connection after this much silence (default 45 s). */
  readonly idleTimeoutMs?: number;
  /** Sessions at once, handshaking or open (default 256; the relay's own default cap is 64). */
  readonly maxSessions?: number;
  /**
   * Sessions still in their handshake (default 32). A new session beyond it, or beyond
   * `maxSessions` while some are handshaking, ends the oldest handshaking one (4429), so
   * strangers who know the hostId cannot keep trusted devices out even through a relay that
   * does not cap them itself.
   */
  readonly maxPendingSessions?: number;
  /** Largest frame accepted from the relay (default 16 MiB + 16; the relay's default limit is 1 MiB + 16). */
  readonly maxFrameBytes?: number;
  /** Uniform [0, 1) for backoff jitter. */
  readonly random?: () => number;
}

const DEFAULT_MAX_SESSIONS = 256;
const DEFAULT_MAX_PENDING_SESSIONS = 32;
/** Pause reading the relay connection while this much received data awaits processing… */
const INBOUND_HIGH_WATER_BYTES = 16 * 1024 * 1024;
/** …and resume below this. */
const INBOUND_LOW_WATER_BYTES = 4 * 1024 * 1024;
const STOP_TIMEOUT_MS = 2_000;

interface Connection {
  readonly ws: WebSocket;
  challenged: boolean;
  registered: boolean;
  registeredAt: number;
  lastSeen: number;
  paused: boolean;
  readonly timers: ReturnType<typeof setTimeout>[];
}

export class HostRelayClient {
  readonly #o: HostRelayClientOptions;
  readonly #logger: Logger;
  readonly #hostId: string;
  readonly #backoff: Backoff;
  readonly #sessions = new Map<string, HostSession>();
  readonly #stateChanges = new Emitter<HostRelayState>();
  #state: HostRelayState = 'stopped';
  #lastError: string | undefined;
  #conn: Connection | undefined;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(options: HostRelayClientOptions) {
    this.#o = options;
    this.#logger = options.logger;
    this.#hostId = idFromPublicKey(options.host.publicKey);
    this.#backoff = new Backoff({ ...options.backoff, ...(options.random ? { random: options.random } : {}) });
  }

  get state(): HostRelayState {
    return this.#state;
  }

  get hostId(): string {
    return this.#hostId;
  }

  /** Why the last relay connection failed or ended (cleared once registered again); for the host's admins. */
  get lastError(): string | undefined {
    return this.#lastError;
  }

  /** Sessions handshaking or open. */
  get sessionCount(): number {
    return this.#sessions.size;
  }

  onStateChange(listener: (state: HostRelayState) => void): Disposable {
    return this.#stateChanges.on(listener);
  }

  /** Connects and keeps the connection up until `stop()`. No-op while running. */
  start(): void {
    if (this.#state !== 'stopped') return;
    this.#backoff.reset();
    this.#connect();
  }

  /** Ends every session, closes the relay connection and stops reconnecting. */
  async dispose(): Promise<void> {
    if (this.#state === 'stopped') return;
    this.#setState('stopped');
    if (this.#retryTimer) clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
    this.#endSessions('host stopping');
    const conn = this.#conn;
    this.#conn = undefined;
    if (!conn) return;
    for (const t of conn.timers) clearTimeout(t);
    if (conn.ws.readyState === WebSocket.CLOSED) return;
    await new Promise<void>((resolve) => {
      const force = setTimeout(() => {
        conn.ws.terminate();
        resolve();
      }, STOP_TIMEOUT_MS);
      conn.ws.once('close', () => {
        clearTimeout(force);
        resolve();
      });
      try {
        conn.ws.close(1000, 'host stopping');
      } catch {
        conn.ws.terminate();
      }
    });
  }

  #setState(state: HostRelayState): void {
    if (state === this.#state) return;
    this.#state = state;
    this.#stateChanges.fire(state);
  }

  #connect(): void {
    this.#retryTimer = undefined;
    this.#setState('connecting');
    let ws: WebSocket;
    try {
      ws = new WebSocket(`${this.#o.relayUrl}/v1/host`, {
        maxPayload: this.#o.maxFrameBytes ?? 16 * 1024 * 1024 + SID_BYTES,
        perMessageDeflate: false,
        handshakeTimeout: this.#o.registrationTimeoutMs ?? 15_000,
      });
    } catch (err) {
      this.#logger.error('cannot open the relay connection', { relay: this.#o.relayUrl, error: errorMessage(err) });
      this.#lastError = errorMessage(err);
      this.#scheduleReconnect(undefined, 0);
      return;
    }
    const conn: Connection = { ws, challenged: false, registered: false, registeredAt: 0, lastSeen: Date.now(), paused: false, timers: [] };
    this.#conn = conn;
    const registrationTimeoutMs = this.#o.registrationTimeoutMs ?? 15_000;
    /** Set when this connection's failure is already in `#lastError` (a socket error, a timeout). */
    let errored = false;
    conn.timers.push(
      setTimeout(() => {
        if (conn.registered || this.#conn !== conn) return;
        this.#logger.warn('relay registration timed out', { afterMs: registrationTimeoutMs });
        errored = true;
        this.#lastError = `relay registration timed out after ${registrationTimeoutMs} ms`;
        ws.terminate();
      }, registrationTimeoutMs),
    );
    const pingMs = this.#o.pingIntervalMs ?? 15_000;
    const idleMs = this.#o.idleTimeoutMs ?? 45_000;
    const liveness = setInterval(() => {
      const silent = Date.now() - conn.lastSeen;
      if (silent >= idleMs) {
        this.#logger.warn('relay connection silent; dropping it', { silentMs: silent });
        ws.terminate();
      } else if (silent >= pingMs && ws.readyState === WebSocket.OPEN) ws.ping();
    }, Math.max(50, Math.min(pingMs, idleMs) / 3));
    conn.timers.push(liveness);

    const seen = () => (conn.lastSeen = Date.now());
    ws.on('ping', seen);
    ws.on('pong', seen);
    ws.on('message', (data, isBinary) => {
      seen();
      if (this.#conn !== conn) return;
      try {
        const bytes = rawBytes(data);
        if (isBinary) this.#onFrame(conn, bytes);
        else this.#onControl(conn, bytes);
      } catch (err) {
        // A bug here must not take the host down; the relay's input is untrusted.
        this.#logger.error('relay message handling failed', { error: errorMessage(err) });
      }
    });
    ws.on('error', (err) => {
      errored = true;
      this.#lastError = err.message;
      this.#logger.debug('relay connection error', { error: err.message });
    });
    ws.on('close', (code, reason) => {
      const text = reason.toString('utf8');
      if (!errored && this.#state !== 'stopped') this.#lastError = `the relay closed the connection (${code}${text ? `: ${text}` : ''})`;
      this.#onClosed(conn, code, text);
    });
  }

  #onControl(conn: Connection, bytes: Uint8Array): void {
    if (bytes.length > MAX_RELAY_TO_HOST_BYTES) {
      this.#logger.warn('ignoring an oversized relay control message', { bytes: bytes.length });
      return;
    }
    let msg;
    try {
      msg = parseRelayToHost(Buffer.from(bytes).toString('utf8'));
    } catch (err) {
      this.#logger.warn('ignoring a malformed relay control message', { error: errorMessage(err) });
      return;
    }
    switch (msg.t) {
      case 'challenge':
        this.#onChallenge(conn, msg.nonce);
        return;
      case 'registered':
        this.#onRegistered(conn, msg.host);
        return;
      case 'open':
        this.#onOpen(conn, msg.sid, msg.device);
        return;
      case 'closed':
        this.#sessions.get(msg.sid)?.peerClosed({ code: CLOSE.GOING_AWAY, reason: 'controller disconnected' });
        return;
      case 'unknown':
        this.#logger.debug('ignoring an unknown relay control message', { t: msg.type });
        return;
    }
  }

  #onChallenge(conn: Connection, nonce: Uint8Array): void {
    if (conn.challenged) {
      this.#logger.warn('ignoring a second relay challenge');
      return;
    }
    conn.challenged = true;
    Promise.resolve()
      .then(() => this.#o.host.sign(concatBytes(LABEL_REGISTER, nonce)))
      .then(
        (sig) => {
          if (this.#conn === conn && conn.ws.readyState === WebSocket.OPEN) conn.ws.send(encodeHostToRelay({ t: 'register', key: this.#o.host.publicKey, sig }));
        },
        (err: unknown) => {
          this.#logger.error('signing the relay challenge failed', { error: errorMessage(err) });
          conn.ws.terminate();
        },
      );
  }

  #onRegistered(conn: Connection, hostId: string): void {
    if (hostId !== this.#hostId) {
      this.#logger.error('the relay registered another host id; reconnecting', { expected: this.#hostId.slice(0, 8), got: hostId.slice(0, 8) });
      conn.ws.terminate();
      return;
    }
    if (conn.registered) return;
    conn.registered = true;
    conn.registeredAt = Date.now();
    this.#lastError = undefined;
    this.#logger.info('registered at the relay', { relay: this.#o.relayUrl, hostId: this.#hostId.slice(0, 8) });
    this.#setState('registered');
  }

  #onOpen(conn: Connection, sidHex: string, deviceId: string): void {
    if (!conn.registered) {
      this.#logger.warn('ignoring a session opened before registration');
      return;
    }
    if (this.#sessions.has(sidHex)) {
      this.#logger.warn('ignoring a duplicate session id from the relay', { sid: sidHex.slice(0, 8) });
      return;
    }
    const writeClose = (code: number, reason: string) => {
      if (this.#conn === conn && conn.ws.readyState === WebSocket.OPEN) conn.ws.send(closeSessionMessage(sidHex, code, reason));
    };
    if (!this.#makeRoom()) {
      this.#logger.warn('refusing a session: too many sessions', { max: this.#o.maxSessions ?? DEFAULT_MAX_SESSIONS });
      writeClose(CLOSE.RATE_LIMITED, 'too many sessions');
      return;
    }
    const sid = fromHex(sidHex);
    // Bytes this session handed to the shared relay socket that are not yet written out. The
    // hub's slow-client check reads this, so one slow phone is judged by its own backlog, not
    // by everything queued on the socket all sessions share.
    let queued = 0;
    const session: HostSession = new HostSession({
      sid,
      sidHex,
      deviceId,
      host: this.#o.host,
      aead: this.#o.aead,
      admission: this.#o.admission,
      hostDescription: this.#o.hostDescription,
      attach: this.#o.attach,
      handshakeTimeoutMs: this.#o.handshakeTimeoutMs ?? HANDSHAKE_TIMEOUT_MS,
      logger: this.#logger,
      writeFrame: (payload) => {
        if (this.#conn !== conn || conn.ws.readyState !== WebSocket.OPEN) throw new Error('relay connection closed');
        const frame = concatBytes(sid, payload);
        queued += frame.length;
        conn.ws.send(frame, { binary: true }, () => {
          queued -= frame.length;
        });
      },
      writeClose,
      connectionBufferedAmount: () => queued,
      onEnded: () => {
        if (this.#sessions.get(sidHex) === session) this.#sessions.delete(sidHex);
        this.#updateFlow(conn);
      },
      onProcessed: () => this.#updateFlow(conn),
    });
    this.#sessions.set(sidHex, session);
  }

  /**
   * Room for one more session: ends the oldest handshaking session when the pending cap is
   * reached, or when all slots are taken and some are handshaking. False when every slot holds
   * an open session.
   */
  #makeRoom(): boolean {
    const max = this.#o.maxSessions ?? DEFAULT_MAX_SESSIONS;
    const maxPending = this.#o.maxPendingSessions ?? DEFAULT_MAX_PENDING_SESSIONS;
    let pending = 0;
    let oldestPending: HostSession | undefined;
    for (const s of this.#sessions.values()) {
      if (!s.isHandshaking) continue;
      pending += 1;
      oldestPending ??= s;
    }
    const full = this.#sessions.size >= max;
    if (!full && pending < maxPending) return true;
    if (!oldestPending) return false;
    this.#logger.info('ending the oldest unfinished session handshake to make room', { pending, max: maxPending });
    oldestPending.close(CLOSE.RATE_LIMITED, 'too many pending sessions');
    return true;
  }

  #onFrame(conn: Connection, bytes: Uint8Array): void {
    if (bytes.length < SID_BYTES) {
      this.#logger.debug('ignoring a relay frame shorter than a sid', { bytes: bytes.length });
      return;
    }
    const session = this.#sessions.get(toHex(bytes.subarray(0, SID_BYTES)));
    // Frames for a session that just ended are expected (they were in flight); drop them.
    if (!session) return;
    session.receive(bytes.slice(SID_BYTES));
    this.#updateFlow(conn);
  }

  /** Inbound backpressure: stop reading the relay while too much received data waits for processing. */
  #updateFlow(conn: Connection): void {
    if (this.#conn !== conn) return;
    let pending = 0;
    for (const s of this.#sessions.values()) pending += s.pendingInboundBytes;
    if (!conn.paused && pending > INBOUND_HIGH_WATER_BYTES) {
      conn.paused = true;
      conn.ws.pause();
    } else if (conn.paused && pending < INBOUND_LOW_WATER_BYTES) {
      conn.paused = false;
      conn.ws.resume();
    }
  }

  #onClosed(conn: Connection, code: number, reason: string): void {
    for (const t of conn.timers) clearTimeout(t);
    if (this.#conn !== conn) return;
    this.#conn = undefined;
    this.#endSessions('relay connection lost');
    if (this.#state === 'stopped') return;
    if (conn.registered && Date.now() - conn.registeredAt >= (this.#o.stableAfterMs ?? 10_000)) this.#backoff.reset();
    if (code === CLOSE.REPLACED) {
      this.#logger.error(
        'the relay replaced this connection with a newer registration of the same host identity: is another codex-host running with this identity?',
        { code, reason },
      );
      this.#scheduleReconnect(code, this.#o.replacedRetryMs ?? 60_000);
      return;
    }
    const level = code === CLOSE.UNAUTHORIZED ? 'error' : conn.registered ? 'warn' : 'info';
    this.#logger[level]('relay connection closed', { code, reason });
    this.#scheduleReconnect(code, 0);
  }

  #scheduleReconnect(code: number | undefined, minDelayMs: number): void {
    this.#setState('disconnected');
    const delay = Math.max(minDelayMs, this.#backoff.next());
    this.#logger.info('reconnecting to the relay', { inMs: delay, ...(code !== undefined ? { afterCode: code } : {}) });
    this.#retryTimer = setTimeout(() => {
      if (this.#state !== 'stopped') this.#connect();
    }, delay);
  }

  #endSessions(reason: string): void {
    const sessions = [...this.#sessions.values()];
    this.#sessions.clear();
    for (const s of sessions) s.peerClosed({ code: CLOSE.GOING_AWAY, reason });
  }
}

function rawBytes(data: WebSocket.RawData): Uint8Array {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return new Uint8Array(data);
}
