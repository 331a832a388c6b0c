/**
 * What the host and controller connections share: liveness bookkeeping for the shared sweep
 * (peerSweeper.ts), one deadline slot, a stall slot, and closing exactly once.
 * Per-connection state is a handful of numbers so an idle session stays small (no timers).
 */
import type { WebSocket } from 'ws';
import type { Logger } from '../../shared/util/logger.js';
import type { Clock, ResolvedRelayLimits } from './limits.js';

/** Counters the relay reports in `stats()`. */
export interface RelayCounters {
  /** Host frames for a sid that is not an open session of that host. */
  unknownSidFrames: number;
  /** Connections closed with 4429 for a rate limit. */
  rateLimited: number;
  /** Controllers closed because their send queue passed `maxBufferedBytes`. */
  slowConsumers: number;
  /** Times a controller stopped being read because its host's send queue was full. */
  hostBackpressurePauses: number;
}

/** Collaborators every peer gets from the relay. */
export interface PeerContext {
  readonly limits: ResolvedRelayLimits;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly counters: RelayCounters;
  /** Takes a handshake token for this peer's client address (false → close 4429). */
  readonly takeHandshakeToken: () => boolean;
}

export abstract class RelayPeer {
  /** Last time any frame (data, ping, pong) arrived. */
  lastSeenAt: number;
  lastPingAt: number;
  /** When `onDeadline` fires (registration or session handshake); Infinity when none. */
  deadlineAt: number;
  /**
   * Since when this peer is not being read because of backpressure; Infinity when it is.
   * A stalled peer cannot be seen answering pings, so the sweep checks this instead of
   * idleness and calls `onStalled` once it has lasted `idleTimeoutMs`.
   */
  stalledSince = Infinity;
  #closing = false;

  constructor(
    readonly ws: WebSocket,
    protected readonly ctx: PeerContext,
  ) {
    const now = ctx.clock.now();
    this.lastSeenAt = now;
    this.lastPingAt = now;
    this.deadlineAt = Infinity;
    const touch = () => {
      this.lastSeenAt = this.ctx.clock.now();
    };
    ws.on('pong', touch);
    ws.on('ping', touch);
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      touch();
      this.onMessage(data, isBinary);
    });
    // `ws` closes with 1009/1007/1002 itself on protocol errors and then emits 'error'.
    ws.on('error', (err) => this.ctx.logger.debug('socket error', { error: err.message }));
    ws.on('close', (code) => {
      this.#closing = true;
      this.onClosed(code);
    });
  }

  /** The shared sweep calls this once `deadlineAt` has passed. */
  abstract onDeadline(): void;
  /** The shared sweep calls this once the peer has been stalled for `idleTimeoutMs`. */
  onStalled(): void {}
  protected abstract onMessage(data: Buffer, isBinary: boolean): void;
  /** The socket is closed (for whatever reason); release routing state. Called once. */
  protected abstract onClosed(code: number): void;

  get isClosing(): boolean {
    return this.#closing;
  }

  /**
   * Starts the close handshake with `code`/`reason` (once) and calls `beforeClose` so routing
   * state is released now, not when the peer answers the close (it may never).
   */
  closeWith(code: number, reason: string): void {
    if (this.#closing) return;
    this.#closing = true;
    this.deadlineAt = Infinity;
    this.beforeClose(code);
    this.ws.close(code, reason);
    // A socket paused (while the router worked, or for backpressure) must read the peer's close frame.
    if (this.ws.isPaused) this.ws.resume();
  }

  /** Drops a silent peer at once: no close handshake (it would not be answered). */
  drop(): void {
    if (!this.#closing) {
      this.#closing = true;
      this.beforeClose(1006);
    }
    this.ws.terminate();
  }

  /** Release routing state before the socket finishes closing. Called at most once. */
  protected abstract beforeClose(code: number): void;
}
