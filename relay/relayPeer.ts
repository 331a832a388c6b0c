/**
 * What the host and controller connections share: liveness bookkeeping for the shared sweep
 * (peerSweeper.ts), one deadline slot, send-side backpressure, and closing exactly once.
 * Per-connection state is a handful of numbers so an idle session stays small (no timers).
 */
import type { WebSocket } from 'ws';
import type { Logger } from '../shared/util/logger.js';
import { CLOSE } from './closeCodes.js';
import type { Clock, ResolvedRelayLimits } from './limits.js';

/** Counters the relay reports in `stats()`. */
export interface RelayCounters {
  /** Host frames for a sid that is not an open session of that host. */
  unknownSidFrames: number;
  /** Connections closed with 4429 for a rate limit. */
  rateLimited: number;
  /** Destinations closed because their send queue passed `maxBufferedBytes`. */
  slowConsumers: number;
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
    // A socket paused while the router worked must read the peer's close frame.
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

  /**
   * Queues `data` unless the socket is closing. A destination whose queue already exceeds
   * `maxBufferedBytes` is a slow consumer and is closed with 1008 (never buffer without bound).
   */
  protected sendBounded(data: Uint8Array | string, binary: boolean): void {
    if (this.#closing || this.ws.readyState !== this.ws.OPEN) return;
    if (this.ws.bufferedAmount > this.ctx.limits.maxBufferedBytes) {
      this.ctx.counters.slowConsumers += 1;
      this.ctx.logger.warn('slow consumer closed', { kind: this.kind, buffered: this.ws.bufferedAmount });
      this.closeWith(CLOSE.POLICY, 'slow consumer');
      return;
    }
    this.ws.send(data, { binary });
  }

  protected abstract readonly kind: 'host' | 'controller';
  /** Release routing state before the socket finishes closing. Called at most once. */
  protected abstract beforeClose(code: number): void;
}
