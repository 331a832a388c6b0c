/**
 * The renderer's transport in the desktop app (docs/desktop.md, "How the port reaches the
 * renderer"): a DOM `MessagePort` whose other end Electron's main process attached to the hub
 * as a `desktop` client. Nothing above the `Transport` interface knows whether it talks over
 * this port or the browser bridge's WebSocket (bridgeTransport.ts).
 *
 * Getting a port is a handshake with the preload through `window.postMessage`, because a port
 * cannot cross the context bridge: the page posts `{type: PAGE_PORT_REQUEST, nonce}` to itself,
 * the preload asks main, and posts back `{type: PAGE_PORT, nonce}` with the port attached. Only
 * an answer from this window, from our own origin, with our nonce is taken. Every call makes a
 * fresh port (a connection of its own; a reload ends them all), so a reconnect is just another call.
 *
 * On the port a string is one JSON-RPC message; `{type:'close', code, reason}` carries a close
 * code (shared/protocol/desktopPort.ts). Anything else is a protocol error.
 */
import { PAGE_PORT, PAGE_PORT_REQUEST } from '../../shared/protocol/desktopPort.js';
import { PortTransport } from '../../shared/rpc/portTransport.js';
import type { Transport } from '../../shared/rpc/transport.js';

/** `Transport` over the page's end of the hub port (the frames: shared/rpc/portTransport.ts). */
export class MessagePortTransport extends PortTransport {
  constructor(port: MessagePort) {
    super(
      {
        postMessage: (m) => port.postMessage(m),
        close: () => port.close(),
        listen: (onData, onGone) => {
          port.addEventListener('message', (e: MessageEvent) => onData(e.data));
          // Chromium fires `close` when the other end goes away (main closed it without a frame).
          port.addEventListener('close', onGone);
          port.start();
        },
      },
      'the desktop app closed the connection',
    );
  }
}

/** What the handshake needs from `window` (tests pass a fake). */
export interface PortWindow {
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  removeEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  postMessage(message: unknown, targetOrigin: string): void;
  readonly location: { readonly origin: string };
}

/** How long the preload and main may take to hand over a port. */
export const PORT_HANDSHAKE_TIMEOUT_MS = 10_000;

function newNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(18));
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Asks the preload for a fresh hub port; rejects after `timeoutMs` with one clear sentence. */
export function requestHubPort(win: PortWindow, timeoutMs = PORT_HANDSHAKE_TIMEOUT_MS): Promise<MessagePort> {
  const nonce = newNonce();
  return new Promise((resolve, reject) => {
    const onMessage = (event: MessageEvent) => {
      if (event.source !== win || event.origin !== win.location.origin) return;
      const data: unknown = event.data;
      if (typeof data !== 'object' || data === null) return;
      const { type, nonce: got } = data as { type?: unknown; nonce?: unknown };
      const port = event.ports[0];
      if (type !== PAGE_PORT || got !== nonce || !port) return;
      clearTimeout(timer);
      win.removeEventListener('message', onMessage);
      resolve(port);
    };
    const timer = setTimeout(() => {
      win.removeEventListener('message', onMessage);
      reject(new Error('the desktop app did not connect this window to the host in time'));
    }, timeoutMs);
    win.addEventListener('message', onMessage);
    win.postMessage({ type: PAGE_PORT_REQUEST, nonce }, win.location.origin);
  });
}

/** A fresh transport to the hub over a new port. */
export async function openElectronTransport(win: PortWindow, timeoutMs?: number): Promise<Transport> {
  return new MessagePortTransport(await requestHubPort(win, timeoutMs));
}
