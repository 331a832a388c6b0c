/**
 * One interval for all peers (no per-connection timers, so idle sessions cost only memory):
 * each tick fires passed deadlines, ends stalls that lasted `idleTimeoutMs`, drops peers silent
 * for `idleTimeoutMs`, and pings peers silent for `pingIntervalMs`. Timing is therefore exact
 * to within one `sweepIntervalMs`.
 */
import type { Clock } from './limits.js';
import type { RelayPeer } from './relayPeer.js';

export interface PeerSweeperOptions {
  clock: Clock;
  sweepIntervalMs: number;
  pingIntervalMs: number;
  idleTimeoutMs: number;
  /** Extra work on each tick (e.g. forgetting full rate-limit buckets). */
  onTick?: () => void;
}

export class PeerSweeper {
  readonly peers = new Set<RelayPeer>();
  readonly #o: PeerSweeperOptions;
  #timer: NodeJS.Timeout | undefined;

  constructor(options: PeerSweeperOptions) {
    this.#o = options;
  }

  start(): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => this.sweep(), this.#o.sweepIntervalMs);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** One pass over all peers. */
  sweep(): void {
    const now = this.#o.clock.now();
    for (const p of this.peers) {
      if (p.isClosing) continue;
      if (now >= p.deadlineAt) {
        p.onDeadline();
      } else if (p.stalledSince !== Infinity) {
        // Not being read, so its pongs are not seen either: judge the stall, not the silence.
        if (now - p.stalledSince >= this.#o.idleTimeoutMs) p.onStalled();
      } else if (now - p.lastSeenAt >= this.#o.idleTimeoutMs) {
        p.drop();
      } else if (now - p.lastSeenAt >= this.#o.pingIntervalMs && now - p.lastPingAt >= this.#o.pingIntervalMs) {
        p.lastPingAt = now;
        p.ws.ping();
      }
    }
    this.#o.onTick?.();
  }
}
