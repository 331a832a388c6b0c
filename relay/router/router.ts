/**
 * Session routing behind an interface, so a multi-node backplane (e.g. Redis pub/sub, where a
 * controller on node A reaches a host on node B) can replace the in-memory router without
 * touching the socket code (docs/relay.md "Routing").
 *
 * The socket side gives the router *endpoints* (sinks that write to one WebSocket) and gets
 * back *handles* scoped to one host connection or one session. Lookups that may need another
 * node (register, open) are async; per-frame routing is synchronous and must preserve order
 * (a backplane publishes in order on one channel per host/session).
 */
import { SID_BYTES } from '../../shared/protocol/ids.js';
import { toHex } from '../../shared/util/encoding.js';
import { CLOSE } from '../../shared/protocol/closeCodes.js';

/** Writes to one host connection. Implemented by the socket side. */
export interface HostEndpoint {
  /** Announce a new session (`{"t":"open"}`). */
  open(sid: string, deviceId: string): void;
  /**
   * Forward a controller payload as `sid || payload`. The payload is always queued; false means
   * the host's send queue is above its bound, and the sender should stop reading until
   * `onWritable` calls back (backpressure instead of closing the host).
   */
  data(sid: Uint8Array, payload: Uint8Array): boolean;
  /** Calls `callback` once the host's send queue is back under its bound (never synchronously). */
  onWritable(callback: () => void): void;
  /** The controller of `sid` went away (`{"t":"closed"}`). */
  closed(sid: string): void;
  /** Close the host connection (e.g. 4409 when a newer registration replaces it). */
  close(code: number, reason: string): void;
}

/** Writes to one controller connection. Implemented by the socket side. */
export interface ControllerEndpoint {
  data(payload: Uint8Array): void;
  close(code: number, reason: string): void;
}

/** One registered host connection, as seen by its socket. */
export interface HostRegistration {
  readonly hostId: string;
  /** Host → controller payload; false when `sid` is not an open session of this host (dropped). */
  toController(sid: string, payload: Uint8Array): boolean;
  /** Host asks to close a session with `code`/`reason`; false when `sid` is unknown. */
  closeSession(sid: string, code: number, reason: string): boolean;
  /** The host connection is gone: every session of it is closed with `code`. Idempotent. */
  unregister(code: number, reason: string): void;
}

/** One open session, as seen by its controller's socket. */
export interface SessionHandle {
  readonly sid: string;
  /**
   * Controller → host payload (no-op once ended). False when the host is not keeping up: the
   * caller should stop reading its controller until `onHostWritable` calls back.
   */
  toHost(payload: Uint8Array): boolean;
  /** Calls `callback` once the host can take more (never synchronously). */
  onHostWritable(callback: () => void): void;
  /** The controller went away: the host is told `closed`. Idempotent; no-op if the host closed it. */
  end(): void;
  /**
   * The session finished its handshake (the socket side counts payloads, docs/relay.md
   * "Pending sessions"): it no longer counts as pending and is never dropped to make room.
   */
  established(): void;
}

export type OpenSessionResult =
  | { readonly ok: true; readonly session: SessionHandle }
  | { readonly ok: false; readonly reason: 'offline' | 'too_many_sessions' };

export interface RouterStats {
  readonly hosts: number;
  /** Open sessions, pending ones included. */
  readonly sessions: number;
}

/** Routes sessions between hosts and controllers. */
export interface SessionRouter {
  /**
   * Registers `hostId` on `endpoint`. An older registration of the same host is closed with
   * 4409 and its sessions with 4404.
   */
  registerHost(hostId: string, endpoint: HostEndpoint): Promise<HostRegistration>;
  /**
   * Opens a session to `hostId`: the host is sent `open` before this resolves. When the host has
   * `maxPendingSessionsPerHost` pending sessions, or `maxSessionsPerHost` sessions of which some
   * are pending, its oldest pending session is closed with 4429 to make room (the host is told
   * `closed`); with only established sessions at the limit the answer is `too_many_sessions`.
   */
  openSession(hostId: string, deviceId: string, endpoint: ControllerEndpoint): Promise<OpenSessionResult>;
  stats(): RouterStats;
  /** Releases the router's own resources (backplane connections). */
  close(): Promise<void>;
}

export interface InMemorySessionRouterOptions {
  maxSessionsPerHost: number;
  /**
   * Sessions of one host that have not called `established()`. Unset: pending sessions are not
   * treated specially (nothing is dropped to make room).
   */
  maxPendingSessionsPerHost?: number;
  randomBytes: (n: number) => Uint8Array;
}

/** Routes sessions inside one relay process. */
export function createInMemorySessionRouter(options: InMemorySessionRouterOptions): SessionRouter {
  return new InMemorySessionRouter(options);
}

class InMemorySessionRouter implements SessionRouter {
  readonly #hosts = new Map<string, HostEntry>();
  readonly #options: InMemorySessionRouterOptions;
  /** Shared with entries so `stats()` is O(1). */
  readonly counters = { sessions: 0 };

  constructor(options: InMemorySessionRouterOptions) {
    this.#options = options;
  }

  async registerHost(hostId: string, endpoint: HostEndpoint): Promise<HostRegistration> {
    const old = this.#hosts.get(hostId);
    const entry = new HostEntry(hostId, endpoint, this.#hosts, this.counters);
    this.#hosts.set(hostId, entry);
    if (old) {
      old.unregister(CLOSE.OFFLINE, 'host reconnected');
      old.endpoint.close(CLOSE.REPLACED, 'replaced by a newer registration');
    }
    return entry;
  }

  async openSession(hostId: string, deviceId: string, controller: ControllerEndpoint): Promise<OpenSessionResult> {
    const host = this.#hosts.get(hostId);
    if (!host) return { ok: false, reason: 'offline' };
    const maxPending = this.#options.maxPendingSessionsPerHost;
    const full = host.sessions.size >= this.#options.maxSessionsPerHost;
    if (maxPending !== undefined && (full || host.pending.size >= maxPending)) {
      // Strangers who know the hostId can open sessions but never finish them: make room by
      // dropping the oldest of those, so they cannot keep the host's trusted devices out.
      const oldest = host.pending.values().next();
      if (!oldest.done) oldest.value.evict();
      else if (full) return { ok: false, reason: 'too_many_sessions' };
    } else if (full) {
      return { ok: false, reason: 'too_many_sessions' };
    }
    let sidBytes: Uint8Array;
    let sid: string;
    do {
      sidBytes = this.#options.randomBytes(SID_BYTES);
      sid = toHex(sidBytes);
    } while (host.sessions.has(sid));
    const session = new SessionEntry(sid, sidBytes, host, controller);
    host.sessions.set(sid, session);
    host.pending.add(session);
    this.counters.sessions += 1;
    host.endpoint.open(sid, deviceId);
    return { ok: true, session };
  }

  stats(): RouterStats {
    return { hosts: this.#hosts.size, sessions: this.counters.sessions };
  }

  async close(): Promise<void> {}
}

class HostEntry implements HostRegistration {
  readonly sessions = new Map<string, SessionEntry>();
  /** Sessions that have not finished their handshake, oldest first. */
  readonly pending = new Set<SessionEntry>();
  active = true;

  constructor(
    readonly hostId: string,
    readonly endpoint: HostEndpoint,
    private readonly hosts: Map<string, HostEntry>,
    readonly counters: { sessions: number },
  ) {}

  toController(sid: string, payload: Uint8Array): boolean {
    const s = this.sessions.get(sid);
    if (!s) return false;
    s.controller.data(payload);
    return true;
  }

  closeSession(sid: string, code: number, reason: string): boolean {
    const s = this.sessions.get(sid);
    if (!s) return false;
    // Detach first: the host asked for this close, so it is not sent `closed` back.
    this.detach(s);
    s.controller.close(code, reason);
    return true;
  }

  unregister(code: number, reason: string): void {
    if (!this.active) return;
    this.active = false;
    if (this.hosts.get(this.hostId) === this) this.hosts.delete(this.hostId);
    const sessions = [...this.sessions.values()];
    for (const s of sessions) this.detach(s);
    for (const s of sessions) s.controller.close(code, reason);
  }

  detach(s: SessionEntry): void {
    if (s.ended) return;
    s.ended = true;
    this.sessions.delete(s.sid);
    this.pending.delete(s);
    this.counters.sessions -= 1;
  }
}

class SessionEntry implements SessionHandle {
  ended = false;

  constructor(
    readonly sid: string,
    readonly sidBytes: Uint8Array,
    readonly host: HostEntry,
    readonly controller: ControllerEndpoint,
  ) {}

  toHost(payload: Uint8Array): boolean {
    return this.ended || this.host.endpoint.data(this.sidBytes, payload);
  }

  onHostWritable(callback: () => void): void {
    if (this.ended) queueMicrotask(callback);
    else this.host.endpoint.onWritable(callback);
  }

  end(): void {
    if (this.ended) return;
    this.host.detach(this);
    if (this.host.active) this.host.endpoint.closed(this.sid);
  }

  established(): void {
    this.host.pending.delete(this);
  }

  /** Dropped to make room for a newer session: both ends are told. */
  evict(): void {
    this.end();
    this.controller.close(CLOSE.RATE_LIMITED, 'too many pending sessions');
  }
}
