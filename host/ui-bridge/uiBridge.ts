/**
 * The browser bridge (`codex-host serve --ui`): serves the built renderer on loopback and
 * accepts one WebSocket per window at /ws, which becomes a hub client of kind `desktop` once
 * its first message, the hello, carries the right token (docs/renderer.md "The bridge").
 * Refused before the upgrade: a Host that is not loopback (421), a wrong or missing Origin
 * (403), too many windows (503). Refused after it (the browser cannot read an upgrade's HTTP
 * error, but it sees a close code): no hello in time (4408), a malformed one (4400), a wrong
 * token (4401), an unknown environment (4404). The token never appears in a log line.
 */
import { createServer, STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { UI_BRIDGE_HELLO_MAX_CHARS, UiBridgeCloseCode, UiBridgeHelloSchema } from '../../shared/protocol/uiBridge.js';
import type { Transport } from '../../shared/rpc/transport.js';
import type { Logger } from '../../shared/util/logger.js';
import { parseJson, parseUnknown } from '../../shared/util/schema.js';
import { formatHostPort } from '../listener/listenUrl.js';
import { WsTransport } from '../transport/wsTransport.js';
import type { StaticFile } from './staticSite.js';
import { loopbackHost, originAllowed, securityHeaders, tokenMatches } from './uiBridgeSecurity.js';
import type { UiListenAddress } from './uiListenAddress.js';

export interface UiBridgeLimits {
  readonly maxConnections: number;
  readonly helloTimeoutMs: number;
  readonly heartbeatIntervalMs: number;
  readonly maxHeaderBytes: number;
  readonly headersTimeoutMs: number;
  readonly requestTimeoutMs: number;
}

/** The bridge's bounds (one table, style.md G11). */
export const UI_BRIDGE_LIMITS: UiBridgeLimits = {
  /** Windows (sockets, with or without a hello yet) at once; more get HTTP 503. */
  maxConnections: 16,
  /** Time a new socket has to send its hello. */
  helloTimeoutMs: 5_000,
  /** Ping interval; a window that did not answer the previous ping is dropped. */
  heartbeatIntervalMs: 30_000,
  maxHeaderBytes: 16 * 1024,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 15_000,
};

export interface UiBridgeConnectionInfo {
  readonly remoteAddress: string;
  readonly environment: string;
}

export interface StartUiBridgeOptions {
  readonly listen: UiListenAddress;
  readonly token: string;
  /** The built renderer, by URL path (staticSite.ts). */
  readonly site: ReadonlyMap<string, StaticFile>;
  /** Largest WebSocket message (the hub's limit). */
  readonly maxPayloadBytes: number;
  readonly logger: Logger;
  /** Environments a hello may name. */
  readonly environments?: readonly string[];
  /** An authenticated window; the callee owns the transport from then on. */
  readonly onConnection: (transport: Transport, info: UiBridgeConnectionInfo) => void;
  readonly limits?: Partial<UiBridgeLimits>;
}

export interface UiBridge {
  /** `http://127.0.0.1:PORT` (no token). */
  readonly origin: string;
  /** The URL to open, with the token in the fragment. Print it; never log it. */
  readonly url: string;
  readonly port: number;
  connectionCount(): number;
  dispose(): Promise<void>;
}

export class UiBridgeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UiBridgeError';
  }
}

export async function startUiBridge(o: StartUiBridgeOptions): Promise<UiBridge> {
  const limits = { ...UI_BRIDGE_LIMITS, ...o.limits };
  const log = o.logger;
  const environments = o.environments ?? ['local'];
  const server = createServer({ maxHeaderSize: limits.maxHeaderBytes, headersTimeout: limits.headersTimeoutMs, requestTimeout: limits.requestTimeoutMs });
  const wss = new WebSocketServer({ noServer: true, maxPayload: o.maxPayloadBytes, clientTracking: false, perMessageDeflate: false });
  const sockets = new Set<WebSocket>();
  const alive = new WeakMap<WebSocket, boolean>();
  let admitted = 0;
  let closing = false;

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const host = loopbackHost(req.headers.host);
    if (!host) return plain(res, 421, 'this address only answers to 127.0.0.1, localhost or [::1]', {});
    const headers = securityHeaders(host);
    if (req.method !== 'GET' && req.method !== 'HEAD') return plain(res, 405, 'method not allowed', { ...headers, allow: 'GET, HEAD' });
    const pathname = (req.url ?? '/').split('?', 1)[0]!.split('#', 1)[0]!;
    const file = o.site.get(pathname);
    if (!file) return plain(res, 404, 'not found', headers);
    res.writeHead(200, { ...headers, 'content-type': file.contentType, 'cache-control': file.cacheControl, 'content-length': String(file.body.length) });
    res.end(req.method === 'HEAD' ? undefined : file.body);
  });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', (err) => log.debug('ui bridge socket error', { error: err.message }));
    const host = loopbackHost(req.headers.host);
    const pathname = (req.url ?? '').split('?', 1)[0];
    if (!host) return rawAnswer(socket, 421, 'this address only answers to 127.0.0.1, localhost or [::1]');
    if (pathname !== '/ws') return rawAnswer(socket, 404, 'not found');
    if (!originAllowed(req.headers.origin, host)) {
      log.warn('ui bridge: refused a websocket from another origin', { origin: String(req.headers.origin ?? '(none)').slice(0, 100) });
      return rawAnswer(socket, 403, 'websocket connections are accepted only from the page this bridge serves');
    }
    if (closing) return rawAnswer(socket, 503, 'the host is shutting down');
    if (admitted >= limits.maxConnections) {
      log.warn('ui bridge: refused a window, connection limit reached', { limit: limits.maxConnections });
      return rawAnswer(socket, 503, `too many windows (limit ${limits.maxConnections}); close one and reload`);
    }
    admitted += 1;
    socket.once('close', () => (admitted -= 1));
    wss.handleUpgrade(req, socket, head, (ws) => awaitHello(ws, req.socket.remoteAddress ?? 'unknown'));
  });

  function awaitHello(ws: WebSocket, remoteAddress: string): void {
    sockets.add(ws);
    alive.set(ws, true);
    ws.on('error', (err) => log.debug('ui bridge websocket error', { error: err.message }));
    ws.on('pong', () => alive.set(ws, true));
    ws.once('close', () => sockets.delete(ws));
    const refuse = (code: number, reason: string, logLine: string) => {
      log.warn(`ui bridge: ${logLine}`, { peer: remoteAddress });
      ws.close(code, reason);
    };
    const timer = setTimeout(() => refuse(UiBridgeCloseCode.HelloTimeout, 'no hello in time', 'closed a window that sent no hello in time'), limits.helloTimeoutMs);
    ws.once('close', () => clearTimeout(timer));
    // `once`: the hello listener is gone before the transport below adds its own, so every
    // later message goes to the hub and the hello never does.
    ws.once('message', (data, isBinary) => {
      clearTimeout(timer);
      const text = isBinary ? undefined : data.toString();
      if (text === undefined || text.length > UI_BRIDGE_HELLO_MAX_CHARS) return refuse(UiBridgeCloseCode.BadHello, 'the first message must be the hello', 'refused a window: bad hello');
      let hello;
      try {
        hello = parseUnknown(UiBridgeHelloSchema, parseJson(text, 'ui bridge hello'), 'ui bridge hello');
      } catch {
        return refuse(UiBridgeCloseCode.BadHello, 'the first message must be the hello', 'refused a window: bad hello');
      }
      if (!tokenMatches(o.token, hello.token)) return refuse(UiBridgeCloseCode.BadToken, 'wrong token', 'refused a window: wrong token');
      if (!environments.includes(hello.environment)) {
        return refuse(UiBridgeCloseCode.UnknownEnvironment, `environment ${hello.environment.slice(0, 40)} is not available`, 'refused a window: unknown environment');
      }
      log.info('ui bridge: window connected', { peer: remoteAddress, environment: hello.environment });
      o.onConnection(new WsTransport(ws), { remoteAddress, environment: hello.environment });
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      const what = err.code === 'EADDRINUSE' ? 'address already in use' : err.code === 'EADDRNOTAVAIL' ? 'address not available' : err.message;
      reject(new UiBridgeError(`--ui-listen ${formatHostPort(o.listen.host, o.listen.port)}: ${what}`));
    });
    server.listen({ host: o.listen.host, port: o.listen.port }, () => resolve());
  });
  server.on('error', (err) => log.error('ui bridge server error', { error: err.message }));

  const heartbeat = setInterval(() => {
    for (const ws of sockets) {
      if (alive.get(ws) === false) {
        ws.terminate();
        continue;
      }
      alive.set(ws, false);
      ws.ping();
    }
  }, limits.heartbeatIntervalMs);
  heartbeat.unref();

  const bound = server.address() as AddressInfo;
  const origin = `http://${formatHostPort(bound.address, bound.port)}`;
  log.info('ui bridge listening', { origin });
  let closed: Promise<void> | undefined;
  return {
    origin,
    url: `${origin}/#token=${o.token}`,
    port: bound.port,
    connectionCount: () => admitted,
    dispose() {
      closed ??= (async () => {
        closing = true;
        clearInterval(heartbeat);
        const done = new Promise<void>((r) => server.close(() => r()));
        for (const ws of sockets) ws.close(1001, 'host shutting down');
        server.closeIdleConnections();
        await new Promise((r) => setTimeout(r, 200).unref());
        for (const ws of sockets) ws.terminate();
        server.closeAllConnections();
        wss.close();
        await done;
      })();
      return closed;
    },
  };
}

function plain(res: ServerResponse, status: number, body: string, headers: Record<string, string>): void {
  res.writeHead(status, { ...headers, 'content-type': 'text/plain; charset=utf-8', 'content-length': String(Buffer.byteLength(body)), connection: 'close' });
  res.end(body);
}

function rawAnswer(socket: Duplex, status: number, body: string): void {
  if (socket.destroyed) return;
  const b = Buffer.from(body, 'utf8');
  const head = `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: ${b.length}\r\nconnection: close\r\n\r\n`;
  socket.once('finish', () => socket.destroy());
  socket.end(Buffer.concat([Buffer.from(head, 'latin1'), b]));
}
