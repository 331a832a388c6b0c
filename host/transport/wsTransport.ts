/**
 * `Transport` over a `ws` WebSocket (Node). Text frames carry one JSON message each; a binary
 * frame is a protocol violation here (the engine drops them silently; we close with 1003 and a
 * reason, so the client knows). A socket that is still connecting buffers nothing: callers wait
 * for `openWsTransport` to resolve.
 */
import WebSocket from 'ws';
import { TransportClosedError, TransportEvents, type CloseInfo, type Transport } from '../../shared/rpc/transport.js';

export class WsTransport implements Transport {
  readonly #ws: WebSocket;
  readonly #events = new TransportEvents();

  constructor(ws: WebSocket) {
    this.#ws = ws;
    ws.on('message', (data, isBinary) => {
      if (isBinary) {
        this.close(1003, 'binary frames are not supported; send JSON text frames');
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
    if (this.isClosed) throw new TransportClosedError(this.#events.closed ?? { code: 1006, reason: 'socket closing' });
    this.#ws.send(text);
  }

  onMessage(listener: (text: string) => void) {
    return this.#events.onMessage(listener);
  }

  onClose(listener: (info: CloseInfo) => void) {
    return this.#events.onClose(listener);
  }

  close(code = 1000, reason = ''): void {
    if (this.#ws.readyState === WebSocket.CLOSED) return;
    // Close reasons are limited to 123 bytes by RFC 6455.
    const safeReason = truncateUtf8(reason, 123);
    try {
      this.#ws.close(code, safeReason);
    } catch {
      this.#ws.terminate();
    }
    // A peer that never answers the closing handshake must not keep us waiting forever.
    const t = setTimeout(() => this.#ws.terminate(), 5_000);
    t.unref();
  }
}

/** Opens a client WebSocket and resolves once it is open (rejects with a clear error otherwise). */
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
    const onError = (err: Error) => {
      cleanup();
      reject(new Error(`connect ${redactUrl(url)}: ${err.message}`));
    };
    const onUnexpected = (_req: unknown, res: { statusCode?: number; on(e: 'data', l: (c: Buffer) => void): void; on(e: 'end', l: () => void): void }) => {
      let body = '';
      res.on('data', (c) => (body += c.toString('utf8').slice(0, 500)));
      res.on('end', () => {
        cleanup();
        ws.terminate();
        reject(new Error(`connect ${redactUrl(url)}: HTTP ${res.statusCode ?? '?'}${body ? ` ${body.trim()}` : ''}`));
      });
    };
    const onOpen = () => {
      cleanup();
      resolve(new WsTransport(ws));
    };
    const cleanup = () => {
      ws.off('error', onError);
      ws.off('open', onOpen);
      ws.off('unexpected-response', onUnexpected);
    };
    ws.on('error', onError);
    ws.on('open', onOpen);
    ws.on('unexpected-response', onUnexpected);
  });
}

function rawToString(data: WebSocket.RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

function truncateUtf8(s: string, maxBytes: number): string {
  const b = Buffer.from(s, 'utf8');
  if (b.length <= maxBytes) return s;
  return b.subarray(0, maxBytes).toString('utf8').replace(/\uFFFD$/, '');
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
