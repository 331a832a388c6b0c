/**
 * The one transport interface every JSON-RPC peer uses (docs/architecture.md, style.md G3): the
 * engine's WebSocket, a listener client's WebSocket, an encrypted relay session, and the
 * in-memory pair used by tests. A transport carries whole JSON texts, one message each; it
 * does not parse them (the hub forwards texts unchanged).
 */

import { Emitter, type Disposable } from '../util/lifecycle.js';

export type { Disposable } from '../util/lifecycle.js';

export interface CloseInfo {
  /** WebSocket-style close code (1000 normal, 1009 too big, 4xxx protocol-specific). */
  readonly code: number;
  readonly reason: string;
}

export interface Transport {
  /** Sends one message. Throws `TransportClosedError` once the transport is closed. */
  send(text: string): void;
  /** Every received text message, in order. */
  onMessage(listener: (text: string) => void): Disposable;
  /** Fired once, when either side closes or the connection is lost. */
  onClose(listener: (info: CloseInfo) => void): Disposable;
  /** Closes with a code and a human-readable reason (both reach the peer where the medium allows). */
  close(code?: number, reason?: string): void;
  /** Bytes accepted by `send` but not yet handed to the network; used for backpressure. */
  readonly bufferedAmount: number;
  /** True from the moment the transport starts closing (nothing more can be sent). */
  readonly isClosed: boolean;
  /**
   * How the transport closed, once `onClose` has fired; undefined while open or still closing.
   * Optional: without it, a consumer that arrives while the transport is closing waits for
   * `onClose` to learn the real code and reason.
   */
  readonly closeInfo?: CloseInfo;
}

export class TransportClosedError extends Error {
  constructor(readonly info: CloseInfo) {
    super(`transport.send: closed (${info.code}${info.reason ? ` ${info.reason}` : ''})`);
    this.name = 'TransportClosedError';
  }
}

/**
 * The bookkeeping every `Transport` implementation shares: message and close listeners, and a
 * close that fires exactly once and then drops all listeners.
 */
export class TransportEvents {
  readonly #messages = new Emitter<string>();
  readonly #closes = new Emitter<CloseInfo>();
  #closed: CloseInfo | undefined;

  /** How the transport closed, once it has. */
  get closed(): CloseInfo | undefined {
    return this.#closed;
  }

  onMessage(listener: (text: string) => void): Disposable {
    return this.#messages.on(listener);
  }

  onClose(listener: (info: CloseInfo) => void): Disposable {
    return this.#closes.on(listener);
  }

  /** Delivers one received message (ignored after the close). */
  deliver(text: string): void {
    if (!this.#closed) this.#messages.fire(text);
  }

  /** Records the close and tells the listeners; false if it was already closed. */
  markClosed(info: CloseInfo): boolean {
    if (this.#closed) return false;
    this.#closed = info;
    this.#closes.fire(info);
    this.#messages.clear();
    this.#closes.clear();
    return true;
  }
}
