/**
 * The subset of a WebSocket the controller uses (style.md G6): satisfied structurally by the
 * browser's `WebSocket` and by the `ws` package's client, so shared/ needs neither DOM nor Node.
 */

/** Declares `handler` as a method so its parameter is checked bivariantly (both DOM and `ws` event types fit). */
type Handler<E> = { bivarianceHack(event: E): void }['bivarianceHack'];

export interface MessageEventLike {
  /** A string for text frames; an ArrayBuffer (or a view) for binary frames with `binaryType = 'arraybuffer'`. */
  readonly data: unknown;
}

export interface CloseEventLike {
  readonly code: number;
  readonly reason: string;
}

export interface WebSocketLike {
  /** Set to `'arraybuffer'` by the controller before any message can arrive. */
  binaryType: string;
  readonly bufferedAmount: number;
  /** Browsers take only views of a plain `ArrayBuffer`; see `sendableBytes`. */
  send(data: string | Uint8Array<ArrayBuffer>): void;
  close(code?: number, reason?: string): void;
  onopen: Handler<unknown> | null;
  onmessage: Handler<MessageEventLike> | null;
  onclose: Handler<CloseEventLike> | null;
  onerror: Handler<unknown> | null;
}

/** Opens a WebSocket to `url`, e.g. `(url) => new WebSocket(url)`. */
export type WebSocketFactory = (url: string) => WebSocketLike;

/** The bytes of a binary frame, or undefined if `data` is not binary. */
export function binaryFrameBytes(data: unknown): Uint8Array | undefined {
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return undefined;
}

/** `bytes` as a view of a plain ArrayBuffer (what `WebSocket.send` accepts), copying only if needed. */
export function sendableBytes(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : new Uint8Array(bytes);
}
