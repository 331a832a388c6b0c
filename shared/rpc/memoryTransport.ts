/**
 * An in-memory pair of connected transports (tests, and wiring two in-process components).
 * Delivery is asynchronous (microtask) and ordered, like a real socket.
 */
import { Emitter, TransportClosedError, type CloseInfo, type Transport } from './transport.js';

class MemoryTransport implements Transport {
  readonly messages = new Emitter<string>();
  readonly closes = new Emitter<CloseInfo>();
  peer: MemoryTransport | undefined;
  #closed: CloseInfo | undefined;

  get isClosed(): boolean {
    return this.#closed !== undefined;
  }

  get bufferedAmount(): number {
    return 0;
  }

  send(text: string): void {
    if (this.#closed) throw new TransportClosedError(this.#closed);
    const peer = this.peer;
    queueMicrotask(() => {
      if (peer && !peer.isClosed) peer.messages.fire(text);
    });
  }

  onMessage(listener: (text: string) => void) {
    return this.messages.on(listener);
  }

  onClose(listener: (info: CloseInfo) => void) {
    return this.closes.on(listener);
  }

  close(code = 1000, reason = ''): void {
    const info = { code, reason };
    // Deliver what was already sent before the close, like a socket's closing handshake.
    queueMicrotask(() => {
      this.markClosed(info);
      this.peer?.markClosed(info);
    });
  }

  markClosed(info: CloseInfo): void {
    if (this.#closed) return;
    this.#closed = info;
    this.closes.fire(info);
    this.messages.clear();
    this.closes.clear();
  }
}

/** Returns two transports; what one sends, the other receives. */
export function createMemoryTransportPair(): [Transport, Transport] {
  const a = new MemoryTransport();
  const b = new MemoryTransport();
  a.peer = b;
  b.peer = a;
  return [a, b];
}
