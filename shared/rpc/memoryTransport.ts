/**
 * An in-memory pair of connected transports (tests, and wiring two in-process components).
 * Delivery is asynchronous (microtask) and ordered, like a real socket.
 */
import { TransportClosedError, TransportEvents, type CloseInfo, type Transport } from './transport.js';

class MemoryTransport implements Transport {
  readonly events = new TransportEvents();
  peer: MemoryTransport | undefined;

  get isClosed(): boolean {
    return this.events.closed !== undefined;
  }

  get bufferedAmount(): number {
    return 0;
  }

  get closeInfo(): CloseInfo | undefined {
    return this.events.closed;
  }

  send(text: string): void {
    const closed = this.events.closed;
    if (closed) throw new TransportClosedError(closed);
    const peer = this.peer;
    queueMicrotask(() => peer?.events.deliver(text));
  }

  onMessage(listener: (text: string) => void) {
    return this.events.onMessage(listener);
  }

  onClose(listener: (info: CloseInfo) => void) {
    return this.events.onClose(listener);
  }

  close(code = 1000, reason = ''): void {
    const info = { code, reason };
    // Deliver what was already sent before the close, like a socket's closing handshake.
    queueMicrotask(() => {
      this.events.markClosed(info);
      this.peer?.events.markClosed(info);
    });
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
