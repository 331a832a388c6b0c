/**
 * What the renderer's entry calls to learn whether it runs in the desktop app (docs/desktop.md):
 * the preload sets `window.codexHost = { platform }` there, and only there. In the app, the
 * hub connection is a MessagePort (electronTransport.ts) and needs no token; in a browser
 * (`codex-host serve --ui`) there is no `codexHost` and the bridge socket is used instead.
 *
 * ```ts
 * // in the entry (main.tsx): no token is needed in the app
 * const connect = desktopApp() ? () => getElectronTransport()! : () => openBridgeTransport(url, token);
 * ```
 */
import type { Transport } from '../../shared/rpc/transport.js';
import type { PortWindow } from './electronTransport.js';

/** What the preload exposes (and nothing more). */
export interface CodexHostGlobal {
  readonly platform: string;
}

type DesktopWindow = PortWindow & { readonly codexHost?: CodexHostGlobal };

/** The preload's `codexHost`, when this page runs in the desktop app. */
export function desktopApp(win: DesktopWindow = window as unknown as DesktopWindow): CodexHostGlobal | undefined {
  const v = win.codexHost;
  return typeof v === 'object' && v !== null && typeof v.platform === 'string' ? v : undefined;
}

/**
 * In the desktop app: a promise of a fresh transport to the hub (each call asks main for a new
 * port: one per connection the page holds, e.g. one per environment; a reload ends them all).
 * Outside it: undefined.
 */
export function getElectronTransport(win: DesktopWindow = window as unknown as DesktopWindow): Promise<Transport> | undefined {
  if (!desktopApp(win)) return undefined;
  // A chunk of its own: the port's frame schemas bring the schema library (zod, ~23 KB
  // gzipped), which a browser window's first screen has no use for.
  return import('./electronTransport.js').then((m) => m.openElectronTransport(win));
}
