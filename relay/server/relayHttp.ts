/**
 * The relay's HTTP side (docs/relay.md "Endpoints", "Raw sockets"): the Node server with its
 * slow-loris bounds, the raw-socket guard that runs on every TCP connection before any request
 * or upgrade is read, and the plain requests (`/healthz`, 426 on the WebSocket endpoints, the
 * optional static handler, 404). Upgrades are handed to `onUpgrade` (relayUpgrades.ts).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { SocketGuard, type GuardDrop } from '../../shared/net/socketGuard.js';
import { errorMessage } from '../../shared/util/errors.js';
import type { Logger } from '../../shared/util/logger.js';
import type { Clock, RelayOptions, ResolvedRelayLimits } from './limits.js';
import type { RelayTls } from './relayTls.js';

export interface RelayHttpOptions {
  readonly limits: ResolvedRelayLimits;
  readonly logger: Logger;
  readonly clock: Clock;
  /**
   * Whether the TCP peer address is the client's. Behind a proxy (`trustProxy`, `clientAddress`)
   * it is the proxy's, so the per-address socket caps are not applied (the total cap is).
   */
  readonly peerIsClient: boolean;
  readonly staticHandler?: RelayOptions['staticHandler'];
  /** Serve HTTPS / WSS with this certificate (reloaded when its files change). */
  readonly tls?: RelayTls;
  readonly onUpgrade: (req: IncomingMessage, socket: Duplex, head: Buffer) => void;
}

/** Node's own check of `headersTimeout` runs this often (its default, 30 s, made P3/P4 possible). */
const NODE_TIMEOUT_CHECK_MS = 1_000;
/** Socket drops are summarised in the log at most this often (one line per drop would flood it). */
const DROP_LOG_INTERVAL_MS = 10_000;

export class RelayHttp {
  readonly server: Server | HttpsServer;
  readonly #guard: SocketGuard;
  /**
   * With TLS the guard holds the raw TCP sockets while requests arrive on TLS sockets; both
   * share the peer's address and port, which finds the raw one again (documented APIs only).
   */
  readonly #rawByPeer = new Map<string, Socket>();
  readonly #o: RelayHttpOptions;
  #dropsSinceLog: Partial<Record<GuardDrop, number>> = {};
  #lastDropLog = -Infinity;

  constructor(options: RelayHttpOptions) {
    this.#o = options;
    const { limits } = options;
    this.#guard = new SocketGuard({
      maxSockets: limits.maxSockets,
      maxSocketsPerAddress: options.peerIsClient ? limits.maxConnectionsPerAddress + limits.maxPendingSocketsPerAddress : Infinity,
      maxPendingPerAddress: options.peerIsClient ? limits.maxPendingSocketsPerAddress : Infinity,
      pendingTimeoutMs: limits.httpHeadersTimeoutMs,
      now: () => options.clock.now(),
      every: (ms, fn) => {
        const t = setInterval(fn, ms);
        t.unref();
        return { dispose: () => clearInterval(t) };
      },
      onDrop: (reason) => this.#noteDrop(reason),
    });
    const timeouts = {
      headersTimeout: limits.httpHeadersTimeoutMs,
      requestTimeout: limits.httpHeadersTimeoutMs * 3,
      connectionsCheckingInterval: Math.min(NODE_TIMEOUT_CHECK_MS, limits.httpHeadersTimeoutMs),
    };
    const tls = options.tls;
    if (tls) {
      const https = createHttpsServer({ ...timeouts, ...tls.credentials, minVersion: 'TLSv1.2', handshakeTimeout: limits.httpHeadersTimeoutMs });
      tls.onReload((credentials) => https.setSecureContext({ ...credentials, minVersion: 'TLSv1.2' }));
      // A failed handshake (an untrusted certificate, a port scanner) ends only that socket.
      https.on('tlsClientError', (_err, socket) => socket.destroy());
      this.server = https;
    } else this.server = createServer(timeouts);
    // Runs after Node's own connection listener: the socket already belongs to the server.
    this.server.on('connection', (socket: Socket) => {
      if (!this.#guard.accept(socket) || !tls) return;
      const peer = peerKey(socket);
      this.#rawByPeer.set(peer, socket);
      socket.once('close', () => {
        if (this.#rawByPeer.get(peer) === socket) this.#rawByPeer.delete(peer);
      });
    });
    this.server.on('clientError', (_err, socket: Duplex) => socket.destroy());
    this.server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      this.#guard.activate(this.#guarded(req.socket));
      void this.#handleRequest(req, res);
    });
    this.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      // The request is complete: from here the WebSocket's own deadlines apply.
      if (!this.#guard.activate(this.#guarded(req.socket))) {
        socket.destroy();
        return;
      }
      options.onUpgrade(req, socket, head);
    });
  }

  /** Binds `limits.host:limits.port`; rejects when the address cannot be bound. */
  async listen(): Promise<AddressInfo> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.#o.limits.port, this.#o.limits.host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    this.server.on('error', (err) => this.#o.logger.error('server error', { error: err.message }));
    return this.server.address() as AddressInfo;
  }

  /** TCP sockets held, and how many of them have not sent a complete request yet. */
  socketStats(): { readonly sockets: number; readonly pendingSockets: number; readonly socketsDropped: number } {
    const s = this.#guard.stats();
    const dropped = Object.values(s.dropped).reduce((a, b) => a + b, 0);
    return { sockets: s.sockets, pendingSockets: s.pending, socketsDropped: dropped };
  }

  /**
   * Stops accepting and destroys every plain HTTP connection. The promise resolves once every
   * socket is gone, upgraded ones included (the WebSocket side closes those).
   */
  stop(): Promise<void> {
    this.#guard.dispose();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    return closed;
  }

  /** The socket the guard holds for a request's socket (the raw TCP one under TLS). */
  #guarded(socket: Socket): Socket {
    return this.#o.tls ? (this.#rawByPeer.get(peerKey(socket)) ?? socket) : socket;
  }

  async #handleRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = pathOf(req);
    if (path === '/healthz') {
      res.writeHead(200, { 'content-type': 'text/plain', 'cache-control': 'no-store' }).end('ok\n');
      return;
    }
    if (path === '/v1/host' || path === '/v1/connect') {
      res.writeHead(426, { upgrade: 'websocket', 'content-type': 'text/plain' }).end('WebSocket required\n');
      return;
    }
    try {
      if (this.#o.staticHandler && (await this.#o.staticHandler(req, res))) return;
    } catch (err) {
      this.#o.logger.error('static handler failed', { error: errorMessage(err) });
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' }).end('internal error\n');
      else res.destroy();
      return;
    }
    if (!res.headersSent) res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
  }

  #noteDrop(reason: GuardDrop): void {
    this.#dropsSinceLog[reason] = (this.#dropsSinceLog[reason] ?? 0) + 1;
    const now = this.#o.clock.now();
    if (now - this.#lastDropLog < DROP_LOG_INTERVAL_MS) return;
    this.#lastDropLog = now;
    this.#o.logger.info('dropped TCP sockets that had not sent a complete request', { ...this.#dropsSinceLog });
    this.#dropsSinceLog = {};
  }
}

function peerKey(socket: Socket): string {
  return `${socket.remoteAddress ?? '?'}|${socket.remotePort ?? '?'}`;
}

/** The request path without the query. */
export function pathOf(req: IncomingMessage): string {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}
