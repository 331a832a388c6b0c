/**
 * The desktop window's preload (docs/desktop.md, "How the port reaches the renderer"; style.md
 * G1, G10). It runs sandboxed, so it is one CommonJS file that requires nothing but `electron`.
 * It exposes exactly two things to the page:
 *
 * - `window.codexHost = { platform }` (frozen), so the renderer knows it runs in the desktop app;
 * - hub ports: when the page posts `{type: 'codex-host:hub-port-request', nonce}` to itself,
 *   the preload asks main (`hub-port-request`), and hands the port main sends back
 *   (`hub-port`) to the page with `window.postMessage({type: 'codex-host:hub-port', nonce},
 *   <the page's own origin>, [port])`.
 *
 * `ipcRenderer` itself never reaches the page, and only messages the page posted to itself
 * (not from a frame, not from another origin) are forwarded. The names below are the ones in
 * shared/protocol/desktopPort.ts (the preload cannot import it; preload.test.ts checks they match).
 */
import { contextBridge, ipcRenderer } from 'electron';

const IPC_PORT_REQUEST = 'hub-port-request';
const IPC_PORT_CHANNEL = 'hub-port';
const PAGE_PORT_REQUEST = 'codex-host:hub-port-request';
const PAGE_PORT = 'codex-host:hub-port';
const NONCE = /^[A-Za-z0-9_-]{8,64}$/;

/** What the preload needs from its environment (the test passes fakes). */
export interface PreloadEnvironment {
  readonly contextBridge: { exposeInMainWorld(apiKey: string, api: unknown): void };
  readonly ipcRenderer: {
    send(channel: string, ...args: unknown[]): void;
    on(channel: string, listener: (event: { readonly ports: readonly MessagePort[] }, ...args: unknown[]) => void): unknown;
  };
  readonly window: Pick<Window, 'addEventListener' | 'postMessage'> & { readonly location: { readonly origin: string } };
  readonly platform: string;
}

function nonceOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const nonce = (value as { nonce?: unknown }).nonce;
  return typeof nonce === 'string' && NONCE.test(nonce) ? nonce : undefined;
}

/** Exposes `codexHost` and forwards hub ports between main and the page. */
export function installPreload(env: PreloadEnvironment): void {
  env.contextBridge.exposeInMainWorld('codexHost', Object.freeze({ platform: env.platform }));
  env.window.addEventListener('message', (event: MessageEvent) => {
    if (event.source !== env.window || event.origin !== env.window.location.origin) return;
    const data: unknown = event.data;
    if (typeof data !== 'object' || data === null || (data as { type?: unknown }).type !== PAGE_PORT_REQUEST) return;
    const nonce = nonceOf(data);
    if (nonce) env.ipcRenderer.send(IPC_PORT_REQUEST, nonce);
  });
  env.ipcRenderer.on(IPC_PORT_CHANNEL, (event, message) => {
    const nonce = nonceOf(message);
    const port = event.ports[0];
    if (!nonce || !port) return;
    env.window.postMessage({ type: PAGE_PORT, nonce }, env.window.location.origin, [port]);
  });
}

installPreload({ contextBridge, ipcRenderer, window, platform: process.platform });
