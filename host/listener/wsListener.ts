/**
 * The host's WebSocket listener for remote clients (the real `codex --remote` TUI among them),
 * behaving like `codex app-server --listen ws://IP:PORT` 0.169.0: health paths, Origin refusal,
 * axum's upgrade checks, and authentication in the HTTP `upgrade` handler before any WebSocket
 * exists (style.md G11). It adds the bounds upstream lacks: a connection cap (HTTP 503 beyond it),
 * header size and header timeouts, a maximum message size (close 1009), and ping/pong heartbeats.
 */
import { createServer, STATUS_CODES, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Logger } from '../../shared/util/logger.js';
import { formatHostPort } from './listenUrl.js';
import type { ListenerConfig } from './listenerOptions.js';
import { routeListenerRequest, textAnswer, type ListenerHttpAnswer } from './listenerRouting.js';
import { authorizeUpgrade } from './upgradeAuth.js';

/** Default bounds of the listener (one table, style.md G11). */
export const LISTENER_LIMITS = {
  /** Simultaneous WebSocket connections; more get HTTP 503. */
  maxConnections: 64,
  /** Raw TCP sockets beyond `maxConnections` kept for health checks and rejected requests. */
  spareHttpSockets: 32,
  /** Total request-header bytes (node answers 431 beyond it). */
  maxHeaderBytes: 16 * 1024,
  /** Time allowed to send the request headers. */
  headersTimeoutMs: 10_000,
  /** Time allowed for a whole plain HTTP request. */
  requestTimeoutMs: 15_000,
  /** Ping interval; a client that has not answered the previous ping is dropped. 0 disables. */
  heartbeatIntervalMs: 30_000,
  /** How long `close()` waits for clients to finish the close handshake before cutting them off. */
  closeGraceMs: 2_000,
} as const;

/** What the listener knows about an accepted connection. */
export interface WsListenerConnectionInfo {
  /** Peer IP address. */
  readonly remoteAddress: string;
  readonly remotePort: number;
  /** Always true: unauthenticated upgrades never reach `onConnection`. */
  readonly authorized: true;
}

export interface StartWsListenerOptions {
  readonly config: ListenerConfig;
  /** Largest WebSocket message accepted; a bigger one closes the connection with 1009. */
  readonly maxPayloadBytes: number;
  readonly logger: Logger;
  /** Called for every authenticated WebSocket; the callee owns the socket from then on. */
  readonly onConnection: (socket: WebSocket, info: WsListenerConnectionInfo) => void;
  /** Default `LISTENER_LIMITS.maxConnections`. */
  readonly maxConnections?: number;
  /** Default `LISTENER_LIMITS.heartbeatIntervalMs`; 0 disables heartbeats. */
  readonly heartbeatIntervalMs?: number;
  /** Clock in epoch ms (JWT `exp`/`nbf` checks). Default `Date.now`. */
  readonly now?: () => number;
}

/** A running listener. */
export interface WsListener {
  /** The bound address, e.g. `ws://127.0.0.1:43971` (the real port when `--listen` used port 0). */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** Number of admitted WebSocket connections right now. */
  connectionCount(): number;
  /** Stops accepting, closes every client (1001), and resolves when the port is released. */
  close(): Promise<void>;
}

/** Thrown when the listener cannot start (e.g. the port is taken). */
export class WsListenerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WsListenerError';
  }
}

/** Starts the listener on `config.address`. Rejects with `WsListenerError` if it cannot bind. */
export async function startWsListener(options: StartWsListenerOptions): Promise<WsListener> {
  const { config, logger, onConnection } = options;
  const maxConnections = options.maxConnections ?? LISTENER_LIMITS.maxConnections;
  const heartbeatIntervalMs = options.heartbeatIntervalMs ?? LISTENER_LIMITS.heartbeatIntervalMs;
  const now = options.now ?? Date.now;
  if (!Number.isSafeInteger(options.maxPayloadBytes) || options.maxPayloadBytes < 1) {
    throw new WsListenerError(`start websocket listener: maxPayloadBytes must be a positive integer`);
  }
  if (!Number.isSafeInteger(maxConnections) || maxConnections < 1) {
    throw new WsListenerError(`start websocket listener: maxConnections must be a positive integer`);
  }

  const server = createServer({
    maxHeaderSize: LISTENER_LIMITS.maxHeaderBytes,
    headersTimeout: LISTENER_LIMITS.headersTimeoutMs,
    requestTimeout: LISTENER_LIMITS.requestTimeoutMs,
  });
  server.maxConnections = maxConnections + LISTENER_LIMITS.spareHttpSockets;
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxPayloadBytes, clientTracking: false });
  const clients = new Set<WebSocket>();
  const alive = new WeakMap<WebSocket, boolean>();
  let admitted = 0;
  let closing = false;

  server.on('request', (req, res) => {
    const route = routeListenerRequest(req.method ?? '', req.url ?? '', req.httpVersion, req.headers);
    // A request node did not treat as an upgrade has no upgrade state (axum's 426).
    const answer =
      route.kind === 'respond'
        ? route
        : textAnswer(426, "WebSocket request couldn't be upgraded since no upgrade state was present");
    if (answer.status === 403) logOriginRejection(req);
    // Rejected requests do not keep the socket (a well-behaved client has nothing more to send).
    const connection = answer.status < 400 ? {} : { connection: 'close' };
    res.writeHead(answer.status, { ...answer.headers, ...connection, 'content-length': String(Buffer.byteLength(answer.body)) });
    res.end(req.method === 'HEAD' ? undefined : answer.body);
  });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', (err) => logger.debug('websocket listener socket error', { peerAddr: peerAddr(req), error: err }));
    const route = routeListenerRequest(req.method ?? '', req.url ?? '', req.httpVersion, req.headers);
    if (route.kind === 'respond') {
      if (route.status === 403) logOriginRejection(req);
      writeRawAnswer(socket, route);
      return;
    }
    void admit(req, socket, head);
  });

  async function admit(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    let result;
    try {
      result = await authorizeUpgrade(req.headers, config.auth, now());
    } catch (err) {
      logger.error('websocket upgrade authentication failed unexpectedly', { peerAddr: peerAddr(req), error: err });
      writeRawAnswer(socket, textAnswer(500, 'internal error while authenticating the websocket upgrade'));
      return;
    }
    if (!result.ok) {
      // The reason only, never the credential.
      logger.warn('rejecting websocket client during upgrade', { peerAddr: peerAddr(req), reason: result.body || 'Origin header' });
      writeRawAnswer(socket, textAnswer(result.status, result.body));
      return;
    }
    if (socket.destroyed) return;
    if (closing) {
      writeRawAnswer(socket, textAnswer(503, 'websocket listener is shutting down'));
      return;
    }
    if (admitted >= maxConnections) {
      logger.warn('rejecting websocket client: connection limit reached', { peerAddr: peerAddr(req), limit: maxConnections });
      writeRawAnswer(socket, textAnswer(503, `too many websocket connections (limit ${maxConnections}); try again later`));
      return;
    }
    // The slot is held by the TCP socket, so it is released however the upgrade or connection ends.
    admitted += 1;
    socket.once('close', () => {
      admitted -= 1;
    });
    wss.handleUpgrade(req, socket, head, (ws) => {
      clients.add(ws);
      alive.set(ws, true);
      // ws emits 'error' for protocol violations (e.g. an oversized message, closed with 1009); an
      // unhandled one would crash the host, so the listener always handles it.
      ws.on('error', (err) => logger.warn('websocket client error', { peerAddr: peerAddr(req), error: err }));
      ws.on('pong', () => alive.set(ws, true));
      ws.once('close', () => clients.delete(ws));
      logger.info('websocket client connected', { peerAddr: peerAddr(req) });
      onConnection(ws, {
        remoteAddress: req.socket.remoteAddress ?? 'unknown',
        remotePort: req.socket.remotePort ?? 0,
        authorized: true,
      });
    });
  }

  function logOriginRejection(req: IncomingMessage): void {
    logger.warn('rejecting websocket listener request with Origin header', {
      peerAddr: peerAddr(req),
      method: req.method,
      path: (req.url ?? '').split('?', 1)[0],
    });
  }

  const hostPort = formatHostPort(config.address.host, config.address.port);
  await new Promise<void>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      const reason = err.code === 'EADDRINUSE' ? 'address already in use' : err.code === 'EADDRNOTAVAIL' ? 'address not available' : err.message;
      reject(new WsListenerError(`listen ws://${hostPort}: ${reason}`));
    };
    server.once('error', onError);
    server.listen({ host: config.address.host, port: config.address.port }, () => {
      server.off('error', onError);
      resolve();
    });
  });
  server.on('error', (err) => logger.error('websocket listener error', { error: err }));

  const bound = server.address() as AddressInfo;
  const url = `ws://${formatHostPort(bound.address, bound.port)}`;
  logger.info('websocket listener started', { url });

  const heartbeat =
    heartbeatIntervalMs > 0
      ? setInterval(() => {
          for (const ws of clients) {
            if (alive.get(ws) === false) {
              logger.info('dropping websocket client that missed a heartbeat');
              ws.terminate();
              continue;
            }
            alive.set(ws, false);
            ws.ping();
          }
        }, heartbeatIntervalMs)
      : undefined;
  heartbeat?.unref();

  let closed: Promise<void> | undefined;
  return {
    url,
    host: bound.address,
    port: bound.port,
    connectionCount: () => admitted,
    close() {
      closed ??= (async () => {
        closing = true;
        if (heartbeat) clearInterval(heartbeat);
        const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        const goodbyes = [...clients].map(
          (ws) =>
            new Promise<void>((resolve) => {
              if (ws.readyState === ws.CLOSED) return resolve();
              ws.once('close', () => resolve());
              ws.close(1001, 'server shutting down');
            }),
        );
        const grace = new Promise<void>((resolve) => setTimeout(resolve, LISTENER_LIMITS.closeGraceMs).unref());
        await Promise.race([Promise.all(goodbyes), grace]);
        for (const ws of clients) ws.terminate();
        server.closeAllConnections();
        wss.close();
        await serverClosed;
        logger.info('websocket listener stopped', { url });
      })();
      return closed;
    },
  };
}

/** `IP:PORT` of the peer, for logs. */
function peerAddr(req: IncomingMessage): string {
  const { remoteAddress, remotePort } = req.socket;
  return remoteAddress === undefined ? 'unknown' : formatHostPort(remoteAddress, remotePort ?? 0);
}

/** Writes a complete HTTP/1.1 response on a raw upgrade socket and closes it. */
function writeRawAnswer(socket: Duplex, answer: ListenerHttpAnswer): void {
  if (socket.destroyed) return;
  const body = Buffer.from(answer.body, 'utf8');
  const head = [
    `HTTP/1.1 ${answer.status} ${STATUS_CODES[answer.status] ?? 'Unknown'}`,
    ...Object.entries(answer.headers).map(([name, value]) => `${name}: ${value}`),
    `content-length: ${body.length}`,
    'connection: close',
    '',
    '',
  ].join('\r\n');
  socket.once('finish', () => socket.destroy());
  socket.end(Buffer.concat([Buffer.from(head, 'latin1'), body]));
}
