/**
 * The host's WebSocket listener for remote clients (the real `codex --remote` TUI among them),
 * behaving like `codex app-server --listen ws://IP:PORT` 0.169.0: health paths, Origin refusal,
 * axum's upgrade checks, and authentication in the HTTP `upgrade` handler before any WebSocket
 * exists (style.md G11). It adds the bounds upstream lacks: a connection cap (HTTP 503 beyond it),
 * raw-socket caps in total and per address with a real 10 s first-message deadline (so idle or
 * slow sockets cannot keep an authenticated client out, docs/security.md), header size and
 * timeouts, a maximum message size (close 1009), and ping/pong heartbeats.
 */
import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { SocketGuard } from '../../shared/net/socketGuard.js';
import { CLOSE } from '../../shared/protocol/closeCodes.js';
import type { Logger } from '../../shared/util/logger.js';
import { formatHostPort } from './listenUrl.js';
import type { ListenerConfig } from './listenerOptions.js';
import { routeListenerRequest, textAnswer, type ListenerHttpAnswer } from './listenerRouting.js';
import { authorizeUpgrade } from './upgradeAuth.js';

/** Default bounds of the listener (one table, style.md G11; docs/security.md). */
export const LISTENER_LIMITS = {
  /** Simultaneous WebSocket connections; more get HTTP 503. */
  maxConnections: 64,
  /**
   * Raw TCP sockets beyond `maxConnections`, for health checks, rejected requests and clients
   * still authenticating. When all are taken, the oldest unauthenticated socket is dropped to
   * make room, so idle sockets cannot keep a client out.
   */
  spareHttpSockets: 32,
  /** Unauthenticated sockets from one address; a new one beyond it drops that address's oldest. */
  maxPendingSocketsPerAddress: 16,
  /** Total request-header bytes (node answers 431 beyond it). */
  maxHeaderBytes: 16 * 1024,
  /**
   * Time from TCP accept to an authenticated upgrade (or a complete plain request): the
   * header / first-message deadline. Enforced by the listener's own sweep, to within a second.
   */
  headersTimeoutMs: 10_000,
  /** Time allowed for a whole plain HTTP request. */
  requestTimeoutMs: 15_000,
  /** How often Node checks its own header and request timeouts (its default is 30 s). */
  nodeTimeoutCheckMs: 1_000,
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
  /** Whether `/readyz` answers 200 (default always); 503 otherwise. `/healthz` is always 200. */
  readonly ready?: () => boolean;
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
  dispose(): Promise<void>;
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
  const maxConnections = options.maxConnections ?? LISTENER_LIMITS.maxConnections;
  if (!Number.isSafeInteger(options.maxPayloadBytes) || options.maxPayloadBytes < 1) {
    throw new WsListenerError(`start websocket listener: maxPayloadBytes must be a positive integer`);
  }
  if (!Number.isSafeInteger(maxConnections) || maxConnections < 1) {
    throw new WsListenerError(`start websocket listener: maxConnections must be a positive integer`);
  }
  const listener = new Listener(options, maxConnections);
  await listener.listen();
  return listener;
}

/**
 * The running listener, in named parts: the raw-socket guard (`#onSocket`), plain requests
 * (`#onRequest`), upgrades (`#onUpgrade` → `#authenticate` → `#accept`), heartbeats, and close.
 */
class Listener implements WsListener {
  readonly #o: StartWsListenerOptions;
  readonly #logger: Logger;
  readonly #maxConnections: number;
  readonly #server: Server;
  readonly #guard: SocketGuard;
  readonly #wss: WebSocketServer;
  readonly #clients = new Set<WebSocket>();
  readonly #alive = new WeakMap<WebSocket, boolean>();
  #heartbeat: NodeJS.Timeout | undefined;
  #admitted = 0;
  #closing = false;
  #closed: Promise<void> | undefined;
  #bound: AddressInfo | undefined;

  constructor(options: StartWsListenerOptions, maxConnections: number) {
    this.#o = options;
    this.#logger = options.logger;
    this.#maxConnections = maxConnections;
    this.#guard = new SocketGuard({
      maxSockets: maxConnections + LISTENER_LIMITS.spareHttpSockets,
      maxSocketsPerAddress: maxConnections + LISTENER_LIMITS.maxPendingSocketsPerAddress,
      maxPendingPerAddress: LISTENER_LIMITS.maxPendingSocketsPerAddress,
      pendingTimeoutMs: LISTENER_LIMITS.headersTimeoutMs,
      now: () => performance.now(),
      every: (ms, fn) => {
        const t = setInterval(fn, ms);
        t.unref();
        return { dispose: () => clearInterval(t) };
      },
      onDrop: (reason, address) => this.#logger.debug('dropping an unauthenticated socket', { reason, peerAddr: address }),
    });
    this.#server = createServer({
      maxHeaderSize: LISTENER_LIMITS.maxHeaderBytes,
      headersTimeout: LISTENER_LIMITS.headersTimeoutMs,
      requestTimeout: LISTENER_LIMITS.requestTimeoutMs,
      connectionsCheckingInterval: LISTENER_LIMITS.nodeTimeoutCheckMs,
    });
    this.#wss = new WebSocketServer({ noServer: true, maxPayload: options.maxPayloadBytes, clientTracking: false });
    // No `server.maxConnections`: Node would drop every socket beyond it, the authenticated
    // client's included. The guard makes room instead.
    this.#server.on('connection', (socket: Socket) => this.#guard.accept(socket));
    this.#server.on('request', (req: IncomingMessage, res: ServerResponse) => this.#onRequest(req, res));
    this.#server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => this.#onUpgrade(req, socket, head));
  }

  get url(): string {
    return `ws://${formatHostPort(this.host, this.port)}`;
  }

  get host(): string {
    return this.#bound?.address ?? this.#o.config.address.host;
  }

  get port(): number {
    return this.#bound?.port ?? this.#o.config.address.port;
  }

  connectionCount(): number {
    return this.#admitted;
  }

  /** Binds the configured address and starts the heartbeat. */
  async listen(): Promise<void> {
    const { host, port } = this.#o.config.address;
    const hostPort = formatHostPort(host, port);
    await new Promise<void>((resolve, reject) => {
      const onError = (err: NodeJS.ErrnoException) => {
        this.#guard.dispose();
        const reason = err.code === 'EADDRINUSE' ? 'address already in use' : err.code === 'EADDRNOTAVAIL' ? 'address not available' : err.message;
        reject(new WsListenerError(`listen ws://${hostPort}: ${reason}`));
      };
      this.#server.once('error', onError);
      this.#server.listen({ host, port }, () => {
        this.#server.off('error', onError);
        resolve();
      });
    });
    this.#server.on('error', (err) => this.#logger.error('websocket listener error', { error: err }));
    this.#bound = this.#server.address() as AddressInfo;
    this.#logger.info('websocket listener started', { url: this.url });
    this.#startHeartbeat();
  }

  /** Health paths, Origin refusal, and axum's 426 for requests Node did not treat as upgrades. */
  #onRequest(req: IncomingMessage, res: ServerResponse): void {
    const route = routeListenerRequest(req.method ?? '', req.url ?? '', req.httpVersion, req.headers);
    let answer =
      route.kind === 'respond' ? route : textAnswer(426, "WebSocket request couldn't be upgraded since no upgrade state was present");
    if (answer.status === 200 && this.#o.ready && !this.#o.ready() && (req.url ?? '').split('?', 1)[0] === '/readyz') answer = textAnswer(503, 'not ready');
    if (answer.status === 403) this.#logOriginRejection(req);
    // Rejected requests do not keep the socket (a well-behaved client has nothing more to send).
    const connection = answer.status < 400 ? {} : { connection: 'close' };
    res.writeHead(answer.status, { ...answer.headers, ...connection, 'content-length': String(Buffer.byteLength(answer.body)) });
    res.end(req.method === 'HEAD' ? undefined : answer.body);
  }

  #onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', (err) => this.#logger.debug('websocket listener socket error', { peerAddr: peerAddr(req), error: err }));
    const route = routeListenerRequest(req.method ?? '', req.url ?? '', req.httpVersion, req.headers);
    if (route.kind === 'respond') {
      if (route.status === 403) this.#logOriginRejection(req);
      writeRawAnswer(socket, route);
      return;
    }
    void this.#authenticate(req, socket, head);
  }

  /** Authentication in the HTTP upgrade, before any WebSocket exists (style.md G11). */
  async #authenticate(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    let result;
    try {
      result = await authorizeUpgrade(req.headers, this.#o.config.auth, (this.#o.now ?? Date.now)());
    } catch (err) {
      this.#logger.error('websocket upgrade authentication failed unexpectedly', { peerAddr: peerAddr(req), error: err });
      writeRawAnswer(socket, textAnswer(500, 'internal error while authenticating the websocket upgrade'));
      return;
    }
    if (!result.ok) {
      // The reason only, never the credential.
      this.#logger.warn('rejecting websocket client during upgrade', { peerAddr: peerAddr(req), reason: result.body || 'Origin header' });
      writeRawAnswer(socket, textAnswer(result.status, result.body));
      return;
    }
    if (socket.destroyed) return;
    if (this.#closing) {
      writeRawAnswer(socket, textAnswer(503, 'websocket listener is shutting down'));
      return;
    }
    if (this.#admitted >= this.#maxConnections) {
      this.#logger.warn('rejecting websocket client: connection limit reached', { peerAddr: peerAddr(req), limit: this.#maxConnections });
      writeRawAnswer(socket, textAnswer(503, `too many websocket connections (limit ${this.#maxConnections}); try again later`));
      return;
    }
    // Authenticated: from here the socket holds a slot and is never dropped to make room.
    if (!this.#guard.activate(req.socket)) return;
    this.#accept(req, socket, head);
  }

  #accept(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    // The slot is held by the TCP socket, so it is released however the upgrade or connection ends.
    this.#admitted += 1;
    socket.once('close', () => {
      this.#admitted -= 1;
    });
    this.#wss.handleUpgrade(req, socket, head, (ws) => {
      this.#clients.add(ws);
      this.#alive.set(ws, true);
      // ws emits 'error' for protocol violations (e.g. an oversized message, closed with 1009); an
      // unhandled one would crash the host, so the listener always handles it.
      ws.on('error', (err) => this.#logger.warn('websocket client error', { peerAddr: peerAddr(req), error: err }));
      ws.on('pong', () => this.#alive.set(ws, true));
      ws.once('close', () => this.#clients.delete(ws));
      this.#logger.info('websocket client connected', { peerAddr: peerAddr(req) });
      this.#o.onConnection(ws, {
        remoteAddress: req.socket.remoteAddress ?? 'unknown',
        remotePort: req.socket.remotePort ?? 0,
        authorized: true,
      });
    });
  }

  #startHeartbeat(): void {
    const intervalMs = this.#o.heartbeatIntervalMs ?? LISTENER_LIMITS.heartbeatIntervalMs;
    if (intervalMs <= 0) return;
    this.#heartbeat = setInterval(() => {
      for (const ws of this.#clients) {
        if (this.#alive.get(ws) === false) {
          this.#logger.info('dropping websocket client that missed a heartbeat');
          ws.terminate();
          continue;
        }
        this.#alive.set(ws, false);
        ws.ping();
      }
    }, intervalMs);
    this.#heartbeat.unref();
  }

  #logOriginRejection(req: IncomingMessage): void {
    this.#logger.warn('rejecting websocket listener request with Origin header', {
      peerAddr: peerAddr(req),
      method: req.method,
      path: (req.url ?? '').split('?', 1)[0],
    });
  }

  dispose(): Promise<void> {
    this.#closed ??= (async () => {
      this.#closing = true;
      if (this.#heartbeat) clearInterval(this.#heartbeat);
      this.#guard.dispose();
      const serverClosed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
      this.#server.closeIdleConnections();
      const goodbyes = [...this.#clients].map(
        (ws) =>
          new Promise<void>((resolve) => {
            if (ws.readyState === ws.CLOSED) return resolve();
            ws.once('close', () => resolve());
            ws.close(CLOSE.GOING_AWAY, 'server shutting down');
          }),
      );
      const grace = new Promise<void>((resolve) => setTimeout(resolve, LISTENER_LIMITS.closeGraceMs).unref());
      await Promise.race([Promise.all(goodbyes), grace]);
      for (const ws of this.#clients) ws.terminate();
      this.#server.closeAllConnections();
      this.#wss.close();
      await serverClosed;
      this.#logger.info('websocket listener stopped', { url: this.url });
    })();
    return this.#closed;
  }
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
