/**
 * `Transport` over a `ws` WebSocket (Node). Text frames carry one JSON message each; a binary
 * frame is a protocol violation here (the engine drops them silently; we close with 1003 and a
 * reason, so the client knows). A socket that is still connecting buffers nothing: callers wait
 * for `openWsTransport` to resolve.
 */
import { STATUS_CODES } from 'node:http';
import WebSocket from 'ws';
import { CLOSE, truncateCloseReason } from '../../shared/protocol/closeCodes.js';
import { TransportClosedError, TransportEvents, type CloseInfo, type Transport } from '../../shared/rpc/transport.js';

export class WsTransport implements Transport {
  readonly #ws: WebSocket;
  readonly #events = new TransportEvents();

  constructor(ws: WebSocket) {
    this.#ws = ws;
    ws.on('message', (data, isBinary) => {
      if (isBinary) {
        this.close(CLOSE.UNSUPPORTED_DATA, 'binary frames are not supported; send JSON text frames');
        return;
      }
      this.#events.deliver(rawToString(data));
    });
    ws.on('close', (code, reason) => this.#events.markClosed({ code, reason: reason.toString('utf8') }));
    ws.on('error', () => {
      // 'close' follows every 'error' in ws; the close info carries the outcome.
    });
  }

  get isClosed(): boolean {
    return this.#events.closed !== undefined || this.#ws.readyState === WebSocket.CLOSING || this.#ws.readyState === WebSocket.CLOSED;
  }

  get bufferedAmount(): number {
    return this.#ws.bufferedAmount;
  }

  /** The underlying socket, for owners that need ping/pong or socket details. */
  get socket(): WebSocket {
    return this.#ws;
  }

  send(text: string): void {
    if (this.isClosed) throw new TransportClosedError(this.#events.closed ?? { code: CLOSE.ABNORMAL, reason: 'socket closing' });
    this.#ws.send(text);
  }

  onMessage(listener: (text: string) => void) {
    return this.#events.onMessage(listener);
  }

  onClose(listener: (info: CloseInfo) => void) {
    return this.#events.onClose(listener);
  }

  close(code: number = CLOSE.NORMAL, reason = ''): void {
    if (this.#ws.readyState === WebSocket.CLOSED) return;
    try {
      this.#ws.close(code, truncateCloseReason(reason));
    } catch {
      this.#ws.terminate();
    }
    // A peer that never answers the closing handshake must not keep us waiting forever.
    const t = setTimeout(() => this.#ws.terminate(), 5_000);
    t.unref();
  }
}

/** Longest part of a refusal's body quoted in the error (it comes from the server: untrusted). */
const MAX_QUOTED_BODY_CHARS = 200;

/**
 * Opens a client WebSocket and resolves once it is open. Every failure rejects with one clear
 * `Error` and nothing else: a refused upgrade (any non-101 answer) is
 * `connect ws://…/: the server answered HTTP 401 (Unauthorized): <body>`, never an unhandled
 * `'error'` event (red-team P12).
 */
export function openWsTransport(
  url: string,
  options: { headers?: Record<string, string>; maxPayload?: number; handshakeTimeoutMs?: number } = {},
): Promise<WsTransport> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, {
      headers: options.headers,
      maxPayload: options.maxPayload ?? 64 * 1024 * 1024,
      handshakeTimeout: options.handshakeTimeoutMs ?? 10_000,
      perMessageDeflate: false,
    });
    let settled = false;
    const settle = (err: Error | undefined) => {
      if (settled) return;
      settled = true;
      ws.off('open', onOpen);
      ws.off('unexpected-response', onUnexpected);
      if (err) reject(err);
      else resolve(new WsTransport(ws));
    };
    const fail = (what: string) => settle(new Error(`connect ${redactUrl(url)}: ${what}`));
    const onOpen = () => settle(undefined);
    const onUnexpected = (_req: unknown, res: { statusCode?: number; on(e: 'data', l: (c: Buffer) => void): void; on(e: 'end' | 'error', l: () => void): void; destroy(): void }) => {
      const status = res.statusCode ?? 0;
      const answered = `the server answered HTTP ${status}${STATUS_CODES[status] ? ` (${STATUS_CODES[status]})` : ''}`;
      let body = '';
      res.on('data', (c) => {
        if (body.length < MAX_QUOTED_BODY_CHARS) body += c.toString('utf8');
      });
      // A server that never finishes the body must not keep us waiting.
      const slowBody = setTimeout(() => done(), 2_000);
      const done = () => {
        clearTimeout(slowBody);
        const quoted = printable(body).slice(0, MAX_QUOTED_BODY_CHARS);
        fail(quoted ? `${answered}: ${quoted}` : answered);
        res.destroy();
        ws.terminate();
      };
      res.on('end', done);
      res.on('error', done);
    };
    // `ws` emits 'error' for a failed connect, and again ("closed before the connection was
    // established") when a refused upgrade is aborted: one listener for the socket's whole life,
    // so no 'error' is ever unhandled. The first failure wins; the rest are dropped.
    ws.on('error', (err) => fail(err.message));
    ws.on('open', onOpen);
    ws.on('unexpected-response', onUnexpected);
  });
}

/** One line of printable ASCII from a server-supplied body (no control or escape characters). */
function printable(text: string): string {
  return text.replace(/[^\x20-\x7e]+/g, ' ').replace(/\s+/g, ' ').trim();
}

function rawToString(data: WebSocket.RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    u.search = '';
    u.username = '';
    u.password = '';
    return u.toString();
  } catch {
    return '(invalid url)';
  }
}
