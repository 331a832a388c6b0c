/**
 * The relay server (remote-protocol.md §3; docs/relay.md): an HTTP server with `/healthz`, the
 * WebSocket endpoints `/v1/host` and `/v1/connect`, and an optional static handler for the phone
 * web client. It forwards session payloads between hosts and controllers without parsing them,
 * and logs ids only as short hashes.
 */
import { randomBytes as nodeRandomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { silentLogger } from '../../shared/util/logger.js';
import { forwardedClientAddress, socketClientAddress } from './clientAddress.js';
import { CLOSE } from './closeCodes.js';
import { ControllerConnection } from './controllerConnection.js';
import { HostConnection } from './hostConnection.js';
import { resolveRelayLimits, type Clock, type RelayOptions } from './limits.js';
import { HEX32 } from './messages.js';
import { PeerSweeper } from './peerSweeper.js';
import { RateLimiter } from './rateLimiter.js';
import type { PeerContext, RelayCounters } from './relayPeer.js';
import { createInMemorySessionRouter } from '../router/router.js';
import { shortId } from './shortId.js';
import { errorMessage } from '../../shared/util/errors.js';

/** What `Relay.stats()` reports. */
export interface RelayStats {
  /** Registered hosts. */
  readonly hosts: number;
  /** Open controller sessions. */
  readonly sessions: number;
  /** Open WebSocket connections (hosts, controllers, and ones being closed). */
  readonly connections: number;
  readonly unknownSidFrames: number;
  readonly rateLimited: number;
  /** Controllers closed because they did not read what their host sent. */
  readonly slowConsumers: number;
  /** Times a controller stopped being read because its host's send queue was full. */
  readonly hostBackpressurePauses: number;
}

/** A running relay. */
export interface Relay {
  /** WebSocket base URL, `ws://IP:PORT` (IPv6 in brackets). */
  readonly url: string;
  /** HTTP origin, `http://IP:PORT`. */
  readonly httpUrl: string;
  /** Closes every connection (1001) and the listener. Idempotent. */
  close(): Promise<void>;
  stats(): RelayStats;
}

const SHUTDOWN_GRACE_MS = 1_000;

/**
 * Starts a relay listening on `options.host:options.port` (default `127.0.0.1:0`).
 * Rejects when the options are invalid or the address cannot be bound.
 */
export async function startRelay(options: RelayOptions = {}): Promise<Relay> {
  const limits = resolveRelayLimits(options);
  const logger = (options.logger ?? silentLogger).child('relay');
  const clock: Clock = options.clock ?? { now: () => performance.now() };
  const randomBytes = options.randomBytes ?? ((n: number) => new Uint8Array(nodeRandomBytes(n)));
  const router = options.router ?? createInMemorySessionRouter({ maxSessionsPerHost: limits.maxSessionsPerHost, randomBytes });
  const ownsRouter = options.router === undefined;
  const clientAddress = options.clientAddress ?? (options.trustProxy ? forwardedClientAddress : socketClientAddress);
  const counters: RelayCounters = { unknownSidFrames: 0, rateLimited: 0, slowConsumers: 0, hostBackpressurePauses: 0 };
  /** Admitted WebSockets per client address (entries removed at zero). */
  const openPerAddress = new Map<string, number>();

  const connectionLimiter = new RateLimiter(limits.connectionRate, limits.maxTrackedAddresses, clock);
  const handshakeLimiter = new RateLimiter(limits.handshakeRate, limits.maxTrackedAddresses, clock);
  let lastLimiterSweep = clock.now();
  const sweeper = new PeerSweeper({
    clock,
    sweepIntervalMs: limits.sweepIntervalMs,
    pingIntervalMs: limits.pingIntervalMs,
    idleTimeoutMs: limits.idleTimeoutMs,
    onTick: () => {
      const now = clock.now();
      if (now - lastLimiterSweep < 10_000) return;
      lastLimiterSweep = now;
      connectionLimiter.sweep();
      handshakeLimiter.sweep();
    },
  });

  // Two servers only because `maxPayload` is per server: host frames carry the 16-byte sid.
  const common = { noServer: true, perMessageDeflate: false, clientTracking: false, closeTimeout: limits.closeHandshakeTimeoutMs };
  const hostWss = new WebSocketServer({ ...common, maxPayload: limits.maxFrameBytes + 16 });
  const controllerWss = new WebSocketServer({ ...common, maxPayload: limits.maxFrameBytes });
  const sockets = new Set<WebSocket>();
  let closing = false;

  const server = createServer((req, res) => void handleRequest(req, res));
  server.headersTimeout = limits.httpHeadersTimeoutMs;
  server.requestTimeout = limits.httpHeadersTimeoutMs * 3;
  server.on('clientError', (_err, socket) => socket.destroy());
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => handleUpgrade(req, socket, head));

  async function handleRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
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
      if (options.staticHandler && (await options.staticHandler(req, res))) return;
    } catch (err) {
      logger.error('static handler failed', { error: errorMessage(err) });
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' }).end('internal error\n');
      else res.destroy();
      return;
    }
    if (!res.headersSent) res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
  }

  function handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    const path = pathOf(req);
    const wss = path === '/v1/host' ? hostWss : path === '/v1/connect' ? controllerWss : undefined;
    if (!wss) return rejectUpgrade(socket, 404, 'Not Found');
    // Fail early (before a WebSocket exists) when the relay is full or shutting down.
    if (closing || sockets.size >= limits.maxConnections) return rejectUpgrade(socket, 503, 'Service Unavailable');
    let address: string;
    try {
      address = clientAddress(req);
    } catch (err) {
      logger.error('clientAddress hook failed', { error: errorMessage(err) });
      return rejectUpgrade(socket, 500, 'Internal Server Error');
    }
    const query = path === '/v1/connect' ? parseConnectQuery(req) : undefined;
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      if (!connectionLimiter.take(address)) {
        counters.rateLimited += 1;
        logger.debug('connection rate limited', { client: shortId(address) });
        ws.on('error', () => {});
        ws.close(CLOSE.RATE_LIMITED, 'rate limited');
        return;
      }
      // One address must not fill the global cap. 4429 after the upgrade (not HTTP 503) so a
      // browser client can see the reason.
      const open = openPerAddress.get(address) ?? 0;
      if (open >= limits.maxConnectionsPerAddress) {
        counters.rateLimited += 1;
        logger.info('too many connections from one address', { client: shortId(address), open });
        ws.on('error', () => {});
        ws.close(CLOSE.RATE_LIMITED, 'too many connections from this address');
        return;
      }
      openPerAddress.set(address, open + 1);
      ws.on('close', () => {
        const n = (openPerAddress.get(address) ?? 1) - 1;
        if (n > 0) openPerAddress.set(address, n);
        else openPerAddress.delete(address);
      });
      const ctx: PeerContext = {
        limits,
        clock,
        logger,
        counters,
        takeHandshakeToken: () => handshakeLimiter.take(address),
      };
      if (path === '/v1/host') {
        track(new HostConnection(ws, ctx, router, randomBytes));
        return;
      }
      const peer = track(new ControllerConnection(ws, ctx));
      if (!query || 'error' in query) {
        peer.closeWith(CLOSE.BAD_REQUEST, query?.error ?? 'bad query');
      } else if (!ctx.takeHandshakeToken()) {
        counters.rateLimited += 1;
        logger.debug('handshake rate limited', { client: shortId(address) });
        peer.closeWith(CLOSE.RATE_LIMITED, 'rate limited');
      } else {
        void peer.start(router, query.host, query.device);
      }
    });
  }

  function track<P extends HostConnection | ControllerConnection>(peer: P): P {
    sweeper.peers.add(peer);
    peer.ws.on('close', () => sweeper.peers.delete(peer));
    return peer;
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(limits.port, limits.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (err) => logger.error('server error', { error: err.message }));
  sweeper.start();

  const addr = server.address() as AddressInfo;
  const hostPart = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  logger.info('relay listening', { address: `${hostPart}:${addr.port}` });

  let closed: Promise<void> | undefined;
  return {
    url: `ws://${hostPart}:${addr.port}`,
    httpUrl: `http://${hostPart}:${addr.port}`,
    stats: () => ({ ...router.stats(), connections: sockets.size, ...counters }),
    close: () => {
      closed ??= (async () => {
        closing = true;
        sweeper.stop();
        const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        // Controllers first, so they see 1001 rather than their host's 4404.
        for (const peer of sweeper.peers) if (peer instanceof ControllerConnection) peer.closeWith(CLOSE.GOING_AWAY, 'relay shutting down');
        for (const peer of sweeper.peers) peer.closeWith(CLOSE.GOING_AWAY, 'relay shutting down');
        for (const ws of sockets) if (ws.readyState === ws.OPEN) ws.close(CLOSE.GOING_AWAY, 'relay shutting down');
        await waitUntil(() => sockets.size === 0, SHUTDOWN_GRACE_MS);
        for (const ws of sockets) ws.terminate();
        hostWss.close();
        controllerWss.close();
        await serverClosed;
        if (ownsRouter) await router.close();
        logger.info('relay closed');
      })();
      return closed;
    },
  };
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
  if (host.length !== 1 || !HEX32.test(host[0]!)) return { error: 'bad host id' };
  if (device.length !== 1 || !HEX32.test(device[0]!)) return { error: 'bad device id' };
  return { host: host[0]!, device: device[0]! };
}

function pathOf(req: IncomingMessage): string {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

function rejectUpgrade(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

async function waitUntil(done: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
}
