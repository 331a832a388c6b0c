/**
 * The relay's WebSocket side (remote-protocol.md §3; docs/relay.md "Endpoints", "Limits"): the
 * admission of each upgrade (shutdown, the global and per-address WebSocket caps, the rate
 * limits), the two endpoint servers, one peer object per socket (`HostConnection`,
 * `ControllerConnection`) and the one sweep that runs every peer's deadlines.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { CLOSE } from '../../shared/protocol/closeCodes.js';
import { HEX_ID_RE, SID_BYTES } from '../../shared/protocol/ids.js';
import { errorMessage } from '../../shared/util/errors.js';
import type { Logger } from '../../shared/util/logger.js';
import { KeyedTokenBuckets } from '../../shared/util/tokenBucket.js';
import type { SessionRouter } from '../router/router.js';
import { ControllerConnection } from './controllerConnection.js';
import { HostConnection } from './hostConnection.js';
import type { Clock, ResolvedRelayLimits } from './limits.js';
import { PeerSweeper } from './peerSweeper.js';
import type { PeerContext, RelayCounters } from './relayPeer.js';
import { pathOf } from './relayHttp.js';
import { shortId } from './shortId.js';

export interface RelayUpgradesOptions {
  readonly limits: ResolvedRelayLimits;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly router: SessionRouter;
  readonly randomBytes: (n: number) => Uint8Array;
  /** The address rate limits and the per-address cap are keyed on. */
  readonly clientAddress: (req: IncomingMessage) => string;
  /** Extra work on each sweep tick. */
  readonly onTick?: () => void;
}

/** Full rate-limit buckets are forgotten this often. */
const LIMITER_SWEEP_MS = 10_000;
const SHUTDOWN_GRACE_MS = 1_000;

export class RelayUpgrades {
  readonly counters: RelayCounters = { unknownSidFrames: 0, rateLimited: 0, slowConsumers: 0, hostBackpressurePauses: 0 };
  readonly #o: RelayUpgradesOptions;
  readonly #hostWss: WebSocketServer;
  readonly #controllerWss: WebSocketServer;
  readonly #sockets = new Set<WebSocket>();
  /** Admitted WebSockets per client address (entries removed at zero). */
  readonly #openPerAddress = new Map<string, number>();
  readonly #connectionLimiter: KeyedTokenBuckets;
  readonly #handshakeLimiter: KeyedTokenBuckets;
  readonly #sweeper: PeerSweeper;
  #lastLimiterSweep: number;
  #closing = false;

  constructor(options: RelayUpgradesOptions) {
    this.#o = options;
    const { limits, clock } = options;
    const now = () => clock.now();
    this.#connectionLimiter = new KeyedTokenBuckets(limits.connectionRate, limits.maxTrackedAddresses, now);
    this.#handshakeLimiter = new KeyedTokenBuckets(limits.handshakeRate, limits.maxTrackedAddresses, now);
    this.#lastLimiterSweep = clock.now();
    this.#sweeper = new PeerSweeper({
      clock,
      sweepIntervalMs: limits.sweepIntervalMs,
      pingIntervalMs: limits.pingIntervalMs,
      idleTimeoutMs: limits.idleTimeoutMs,
      onTick: () => this.#onTick(),
    });
    // Two servers only because `maxPayload` is per server: host frames carry the 16-byte sid.
    const common = { noServer: true, perMessageDeflate: false, clientTracking: false, closeTimeout: limits.closeHandshakeTimeoutMs };
    this.#hostWss = new WebSocketServer({ ...common, maxPayload: limits.maxFrameBytes + SID_BYTES });
    this.#controllerWss = new WebSocketServer({ ...common, maxPayload: limits.maxFrameBytes });
  }

  /** Open WebSockets (hosts, controllers, and ones being closed). */
  get connections(): number {
    return this.#sockets.size;
  }

  start(): void {
    this.#sweeper.start();
  }

  /** One HTTP upgrade: refused before a WebSocket exists, or turned into a host or controller peer. */
  handle(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    const path = pathOf(req);
    const wss = path === '/v1/host' ? this.#hostWss : path === '/v1/connect' ? this.#controllerWss : undefined;
    if (!wss) return rejectUpgrade(socket, 404, 'Not Found');
    // Fail early (before a WebSocket exists) when the relay is full or shutting down.
    if (this.#closing || this.#sockets.size >= this.#o.limits.maxConnections) return rejectUpgrade(socket, 503, 'Service Unavailable');
    let address: string;
    try {
      address = this.#o.clientAddress(req);
    } catch (err) {
      this.#o.logger.error('clientAddress hook failed', { error: errorMessage(err) });
      return rejectUpgrade(socket, 500, 'Internal Server Error');
    }
    const query = path === '/v1/connect' ? parseConnectQuery(req) : undefined;
    wss.handleUpgrade(req, socket, head, (ws) => this.#admit(ws, address, query));
  }

  /** Rate and per-address checks (closes with 4429 after the upgrade, so a browser sees why), then the peer. */
  #admit(ws: WebSocket, address: string, query: ConnectQuery | undefined): void {
    const { limits, logger } = this.#o;
    this.#sockets.add(ws);
    ws.on('close', () => this.#sockets.delete(ws));
    if (!this.#connectionLimiter.take(address)) {
      this.counters.rateLimited += 1;
      logger.debug('connection rate limited', { client: shortId(address) });
      ws.on('error', () => {});
      ws.close(CLOSE.RATE_LIMITED, 'rate limited');
      return;
    }
    // One address must not fill the global cap.
    const open = this.#openPerAddress.get(address) ?? 0;
    if (open >= limits.maxConnectionsPerAddress) {
      this.counters.rateLimited += 1;
      logger.info('too many connections from one address', { client: shortId(address), open });
      ws.on('error', () => {});
      ws.close(CLOSE.RATE_LIMITED, 'too many connections from this address');
      return;
    }
    this.#openPerAddress.set(address, open + 1);
    ws.on('close', () => {
      const n = (this.#openPerAddress.get(address) ?? 1) - 1;
      if (n > 0) this.#openPerAddress.set(address, n);
      else this.#openPerAddress.delete(address);
    });
    const ctx: PeerContext = {
      limits,
      clock: this.#o.clock,
      logger,
      counters: this.counters,
      takeHandshakeToken: () => this.#handshakeLimiter.take(address),
    };
    if (query === undefined) {
      this.#track(new HostConnection(ws, ctx, this.#o.router, this.#o.randomBytes));
      return;
    }
    const peer = this.#track(new ControllerConnection(ws, ctx));
    if ('error' in query) {
      peer.closeWith(CLOSE.BAD_REQUEST, query.error);
    } else if (!ctx.takeHandshakeToken()) {
      this.counters.rateLimited += 1;
      logger.debug('handshake rate limited', { client: shortId(address) });
      peer.closeWith(CLOSE.RATE_LIMITED, 'rate limited');
    } else {
      void peer.start(this.#o.router, query.host, query.device);
    }
  }

  #track<P extends HostConnection | ControllerConnection>(peer: P): P {
    this.#sweeper.peers.add(peer);
    peer.ws.on('close', () => this.#sweeper.peers.delete(peer));
    return peer;
  }

  #onTick(): void {
    const now = this.#o.clock.now();
    if (now - this.#lastLimiterSweep >= LIMITER_SWEEP_MS) {
      this.#lastLimiterSweep = now;
      this.#connectionLimiter.sweep();
      this.#handshakeLimiter.sweep();
    }
    this.#o.onTick?.();
  }

  /**
   * Refuses new upgrades and closes every WebSocket with 1001: controllers first (so they see
   * 1001 rather than their host's 4404), then hosts; what has not closed within a second is cut.
   */
  async shutdown(): Promise<void> {
    this.#closing = true;
    this.#sweeper.stop();
    const peers = [...this.#sweeper.peers];
    for (const peer of peers) if (peer instanceof ControllerConnection) peer.closeWith(CLOSE.GOING_AWAY, 'relay shutting down');
    for (const peer of peers) peer.closeWith(CLOSE.GOING_AWAY, 'relay shutting down');
    for (const ws of this.#sockets) if (ws.readyState === ws.OPEN) ws.close(CLOSE.GOING_AWAY, 'relay shutting down');
    await waitUntil(() => this.#sockets.size === 0, SHUTDOWN_GRACE_MS);
    for (const ws of this.#sockets) ws.terminate();
    this.#hostWss.close();
    this.#controllerWss.close();
  }
}

type ConnectQuery = { host: string; device: string } | { error: string };

/** `?host=&device=`: each exactly once, 32 lowercase hex characters. */
function parseConnectQuery(req: IncomingMessage): ConnectQuery {
  let params: URLSearchParams;
  try {
    params = new URL(req.url ?? '/', 'http://relay.invalid').searchParams;
  } catch {
    return { error: 'bad query' };
  }
  const host = params.getAll('host');
  const device = params.getAll('device');
  if (host.length !== 1 || !HEX_ID_RE.test(host[0]!)) return { error: 'bad host id' };
  if (device.length !== 1 || !HEX_ID_RE.test(device[0]!)) return { error: 'bad device id' };
  return { host: host[0]!, device: device[0]! };
}

function rejectUpgrade(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

async function waitUntil(done: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
}
