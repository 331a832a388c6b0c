/**
 * The renderer's transport in a browser: a WebSocket to `codex-host serve --ui` (the bridge),
 * whose first message is the hello with the page's token (shared/protocol/uiBridge.ts). In
 * Electron the preload hands over a MessagePort instead; nothing above the `Transport`
 * interface knows which.
 */
import type { UiBridgeHello } from '../../shared/protocol/uiBridge';
import { UiBridgeCloseCode } from '../../shared/protocol/uiBridgeCloseCode';
import { TransportClosedError, TransportEvents, type CloseInfo, type Transport } from '../../shared/rpc/transport';

class BrowserWebSocketTransport implements Transport {
  readonly #ws: WebSocket;
  readonly #events = new TransportEvents();

  constructor(ws: WebSocket) {
    this.#ws = ws;
    ws.addEventListener('message', (e: MessageEvent) => {
      if (typeof e.data === 'string') this.#events.deliver(e.data);
      else this.close(1003, 'binary frames are not supported');
    });
    ws.addEventListener('close', (e: CloseEvent) => this.#events.markClosed({ code: e.code, reason: e.reason }));
  }

  get isClosed(): boolean {
    return this.#events.closed !== undefined || this.#ws.readyState >= WebSocket.CLOSING;
  }

  get bufferedAmount(): number {
    return this.#ws.bufferedAmount;
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
    try {
      this.#ws.close(code, reason.slice(0, 120));
    } catch {
      this.#ws.close();
    }
  }
}

/** How long opening the socket may take. */
const OPEN_TIMEOUT_MS = 10_000;

/** Opens the bridge socket and sends the hello; resolves once the hello is sent. */
export function openBridgeTransport(url: string, token: string, environment = 'local'): Promise<Transport> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    const timer = setTimeout(() => {
      ws.close();
      reject(new Error('the host did not answer in time'));
    }, OPEN_TIMEOUT_MS);
    const onFail = () => {
      clearTimeout(timer);
      reject(new Error('cannot reach the host (is codex-host serve --ui still running?)'));
    };
    // A refused upgrade shows as 'error' then 'close'; some failures show only 'close'.
    ws.addEventListener('error', onFail, { once: true });
    ws.addEventListener('close', onFail, { once: true });
    ws.addEventListener('open', () => {
      clearTimeout(timer);
      ws.removeEventListener('error', onFail);
      ws.removeEventListener('close', onFail);
      const transport = new BrowserWebSocketTransport(ws);
      const hello: UiBridgeHello = { type: 'hello', token, environment };
      transport.send(JSON.stringify(hello));
      resolve(transport);
    });
  });
}

/** The sentence for a close that must not be retried (wrong token), else undefined. */
export function finalBridgeClose(info: CloseInfo): string | undefined {
  if (info.code === UiBridgeCloseCode.BadToken) return 'This page’s link is not valid for this host. Open the address that `codex-host serve --ui` printed.';
  if (info.code === UiBridgeCloseCode.UnknownEnvironment) return info.reason || 'This environment is not available on the host.';
  return undefined;
}

/** The bridge's WebSocket address for the page it served (same host and port). */
export function bridgeUrlForPage(loc: Pick<Location, 'protocol' | 'host'>): string {
  return `${loc.protocol === 'https:' ? 'wss' : 'ws'}://${loc.host}/ws`;
}
