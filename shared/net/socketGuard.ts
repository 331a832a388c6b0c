/**
 * Bounds on raw TCP sockets before anyone has proved anything (docs/security.md "Unauthenticated
 * sockets cannot lock anyone out"), shared by the listener, the control endpoint and the relay.
 *
 * A socket is *pending* from the moment it is accepted until its owner calls `activate` (the
 * listener: the upgrade was authenticated; the relay: the WebSocket exists or a plain request
 * arrived). Pending sockets
 * - must become active within `pendingTimeoutMs` (the first-message / header deadline), else
 *   they are destroyed (checked every `sweepIntervalMs`, so the deadline holds to within that,
 *   not to Node's 30 s `connectionsCheckingInterval`);
 * - never keep anyone out: when a new socket would exceed `maxSockets` (in total) or
 *   `maxSocketsPerAddress` / `maxPendingPerAddress` (for its address), the oldest pending socket
 *   (of that address, for the per-address bounds) is destroyed to make room. Only when every
 *   socket that could make room is active is the new one refused.
 * A client that connects and authenticates promptly therefore always gets in, however many idle
 * or slow sockets others hold; what an attacker can hold is bounded by the caps and the deadline.
 *
 * Pure: the socket is a structural type, the clock and the timer are injected.
 */

/** What the guard needs of a socket (`net.Socket` has all of it). */
export interface GuardedSocket {
  /** The peer address; undefined once the socket is gone (it is then keyed as `unknown`). */
  readonly remoteAddress?: string | undefined;
  destroy(): void;
  once(event: 'close', listener: () => void): unknown;
}

/** Why the guard destroyed or refused a socket. */
export type GuardDrop = 'deadline' | 'evicted_address' | 'evicted_total' | 'refused_address' | 'refused_total';

export interface SocketGuardOptions {
  /** Sockets open at once, pending and active. */
  readonly maxSockets: number;
  /** Sockets open at once from one address, pending and active (Infinity: no per-address cap). */
  readonly maxSocketsPerAddress: number;
  /** Pending sockets from one address (Infinity: no per-address cap). */
  readonly maxPendingPerAddress: number;
  /** A pending socket older than this is destroyed. */
  readonly pendingTimeoutMs: number;
  /** How often deadlines are checked (default min(1000, pendingTimeoutMs / 4)). */
  readonly sweepIntervalMs?: number;
  /** Monotonic milliseconds. */
  readonly now: () => number;
  /** Runs `fn` every `ms` until disposed (the owner makes it not keep the process alive). */
  readonly every: (ms: number, fn: () => void) => { dispose(): void };
  /** Told about every drop (for logs and stats). */
  readonly onDrop?: (reason: GuardDrop, address: string) => void;
}

interface Entry {
  readonly socket: GuardedSocket;
  readonly address: string;
  readonly acceptedAt: number;
  pending: boolean;
}

/** Counts of what the guard holds and has dropped. */
export interface SocketGuardStats {
  readonly sockets: number;
  readonly pending: number;
  readonly dropped: Readonly<Record<GuardDrop, number>>;
}

export class SocketGuard {
  readonly #o: SocketGuardOptions;
  readonly #entries = new Map<GuardedSocket, Entry>();
  /** Pending entries, oldest first (Map keeps insertion order). */
  readonly #pending = new Map<GuardedSocket, Entry>();
  /** Per address: all of its entries and its pending ones, oldest first. */
  readonly #byAddress = new Map<string, { all: number; pending: Set<Entry> }>();
  readonly #dropped: Record<GuardDrop, number> = { deadline: 0, evicted_address: 0, evicted_total: 0, refused_address: 0, refused_total: 0 };
  readonly #timer: { dispose(): void };

  constructor(options: SocketGuardOptions) {
    for (const k of ['maxSockets', 'maxSocketsPerAddress', 'maxPendingPerAddress', 'pendingTimeoutMs'] as const) {
      if (!(options[k] >= 1)) throw new Error(`SocketGuard: ${k} must be at least 1`);
    }
    this.#o = options;
    const interval = options.sweepIntervalMs ?? Math.max(10, Math.min(1000, Math.floor(options.pendingTimeoutMs / 4)));
    this.#timer = options.every(interval, () => this.sweep());
  }

  /**
   * A socket was accepted. Makes room by destroying older pending sockets when a cap is reached;
   * returns false (and destroys `socket`) only when no pending socket could make room.
   */
  accept(socket: GuardedSocket): boolean {
    const address = socket.remoteAddress ?? 'unknown';
    const slot = this.#byAddress.get(address);
    if (slot && slot.all >= this.#o.maxSocketsPerAddress && !this.#evictOldest(slot.pending, 'evicted_address')) {
      return this.#refuse(socket, 'refused_address', address);
    }
    if (slot && slot.pending.size >= this.#o.maxPendingPerAddress) this.#evictOldest(slot.pending, 'evicted_address');
    if (this.#entries.size >= this.#o.maxSockets && !this.#evictOldest(this.#pending.values(), 'evicted_total')) {
      return this.#refuse(socket, 'refused_total', address);
    }
    const entry: Entry = { socket, address, acceptedAt: this.#o.now(), pending: true };
    this.#entries.set(socket, entry);
    this.#pending.set(socket, entry);
    const s = this.#byAddress.get(address) ?? { all: 0, pending: new Set<Entry>() };
    s.all += 1;
    s.pending.add(entry);
    this.#byAddress.set(address, s);
    socket.once('close', () => this.#forget(entry));
    return true;
  }

  /**
   * The socket proved itself (authenticated upgrade, or a complete request): no deadline, never
   * evicted. False when the guard no longer holds it (it was dropped, or closed).
   */
  activate(socket: GuardedSocket): boolean {
    const entry = this.#entries.get(socket);
    if (!entry) return false;
    if (entry.pending) {
      entry.pending = false;
      this.#pending.delete(socket);
      this.#byAddress.get(entry.address)?.pending.delete(entry);
    }
    return true;
  }

  /** Destroys pending sockets past their deadline (also run by the guard's own timer). */
  sweep(): void {
    const cutoff = this.#o.now() - this.#o.pendingTimeoutMs;
    for (const entry of this.#pending.values()) {
      // Oldest first: the first one inside its deadline ends the pass.
      if (entry.acceptedAt > cutoff) break;
      this.#drop(entry, 'deadline');
    }
  }

  stats(): SocketGuardStats {
    return { sockets: this.#entries.size, pending: this.#pending.size, dropped: { ...this.#dropped } };
  }

  /** Stops the timer. Sockets are the owner's to close. */
  dispose(): void {
    this.#timer.dispose();
  }

  #evictOldest(candidates: Iterable<Entry>, reason: GuardDrop): boolean {
    for (const entry of candidates) {
      this.#drop(entry, reason);
      return true;
    }
    return false;
  }

  #drop(entry: Entry, reason: GuardDrop): void {
    this.#dropped[reason] += 1;
    this.#o.onDrop?.(reason, entry.address);
    // Forget now: `close` arrives later, and the caps must count the room just made.
    this.#forget(entry);
    entry.socket.destroy();
  }

  #refuse(socket: GuardedSocket, reason: GuardDrop, address: string): false {
    this.#dropped[reason] += 1;
    this.#o.onDrop?.(reason, address);
    socket.destroy();
    return false;
  }

  #forget(entry: Entry): void {
    if (this.#entries.get(entry.socket) !== entry) return;
    this.#entries.delete(entry.socket);
    this.#pending.delete(entry.socket);
    const s = this.#byAddress.get(entry.address);
    if (!s) return;
    s.all -= 1;
    s.pending.delete(entry);
    if (s.all === 0) this.#byAddress.delete(entry.address);
  }
}
