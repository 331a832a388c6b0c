/**
 * `Transport` over one end of a message port: the desktop window's hub connection
 * (docs/desktop.md, "How the port reaches the renderer"). Main's end is Electron's
 * `MessagePortMain` (electron/main/hubBridge.ts), the page's end a DOM `MessagePort`
 * (renderer/desktop/electronTransport.ts); both see the same frames, so one class serves both
 * and each side only adapts its port's event API to `PortEnd`.
 *
 * On the port a string is one JSON-RPC message; `{type:'close', code, reason}`
 * (shared/protocol/desktopPort.ts) carries the close code a port lacks. Anything else is a
 * protocol error (closed with 1003). When the other end disappears without a frame, the port's
 * own `close` event ends the transport with `PORT_GONE_CODE` and the side's `goneReason`.
 */
import { PORT_GONE_CODE, PortCloseFrameSchema } from '../protocol/desktopPort.js';
import { truncateCloseReason } from '../protocol/closeCodes.js';
import type { Disposable } from '../util/lifecycle.js';
import { TransportClosedError, TransportEvents, type CloseInfo, type Transport } from './transport.js';

/** What the transport needs of a port, whatever its event API. */
export interface PortEnd {
  postMessage(message: unknown): void;
  /** Calls `listener` with each message's data; `start()`s the port if it needs it. */
  listen(onData: (data: unknown) => void, onGone: () => void): void;
  close(): void;
}

export class PortTransport implements Transport {
  readonly #port: PortEnd;
  readonly #events = new TransportEvents();
  #closing = false;

  /** `goneReason`: the close reason when the other end vanishes without a close frame. */
  constructor(port: PortEnd, goneReason: string) {
    this.#port = port;
    port.listen(
      (data) => this.#receive(data),
      () => this.#events.markClosed({ code: PORT_GONE_CODE, reason: goneReason }),
    );
  }

  get isClosed(): boolean {
    return this.#closing || this.#events.closed !== undefined;
  }

  get closeInfo(): CloseInfo | undefined {
    return this.#events.closed;
  }

  /** A message port queues without limit and reports nothing; the hub's caps bound what is sent. */
  get bufferedAmount(): number {
    return 0;
  }

  send(text: string): void {
    if (this.isClosed) throw new TransportClosedError(this.#events.closed ?? { code: PORT_GONE_CODE, reason: 'port closing' });
    this.#port.postMessage(text);
  }

  onMessage(listener: (text: string) => void): Disposable {
    return this.#events.onMessage(listener);
  }

  onClose(listener: (info: CloseInfo) => void): Disposable {
    return this.#events.onClose(listener);
  }

  close(code = 1000, reason = ''): void {
    if (this.isClosed) return;
    this.#closing = true;
    const info = { code, reason: truncateCloseReason(reason) };
    try {
      this.#port.postMessage({ type: 'close', ...info });
    } finally {
      this.#port.close();
      this.#events.markClosed(info);
    }
  }

  #receive(data: unknown): void {
    if (this.isClosed) return;
    if (typeof data === 'string') {
      this.#events.deliver(data);
      return;
    }
    const frame = PortCloseFrameSchema.safeParse(data);
    if (frame.success) {
      this.#closing = true;
      this.#port.close();
      this.#events.markClosed({ code: frame.data.code, reason: frame.data.reason });
      return;
    }
    this.close(1003, 'only JSON text messages and close frames are accepted on this port');
  }
}
