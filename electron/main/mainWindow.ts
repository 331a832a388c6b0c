/**
 * The one window of the desktop app and the guards on its web contents and session
 * (docs/desktop.md, "Security settings and why"). The settings themselves are data in
 * windowSecurity.ts; this file applies them:
 *
 * - navigation outside app://codex-host is cancelled (an https link opens in the system
 *   browser instead), redirects away are cancelled, `<webview>` is never attached;
 * - `window.open` always answers "deny" (https links go to the system browser);
 * - every response gets our CSP and security headers (`onHeadersReceived`, in addition to the
 *   ones the app protocol sets), every network request from the page is cancelled, and only
 *   clipboard-write and fullscreen permissions are granted, to our own origin.
 */
import type { BrowserWindow, BrowserWindowConstructorOptions, Session, WebContents } from 'electron';
import { errorMessage } from '../../shared/util/errors.js';
import type { Logger } from '../../shared/util/logger.js';
import { externalLinkToOpen, isAppUrl, permissionAllowed, secureWebPreferences, SECURITY_HEADERS } from './windowSecurity.js';

export interface GuardDeps {
  /** `shell.openExternal`. */
  readonly openExternal: (url: string) => Promise<void>;
  readonly logger: Logger;
}

export interface MainWindowDeps extends GuardDeps {
  readonly BrowserWindow: new (options: BrowserWindowConstructorOptions) => BrowserWindow;
  readonly preloadPath: string;
  /** The window icon (Linux, Windows); macOS takes it from the bundle. */
  readonly iconPath?: string;
}

/** The window's options: a usable size at 1024 px, hidden until painted, and the hardened preferences. */
export function mainWindowOptions(preloadPath: string, iconPath?: string): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 820,
    minWidth: 960,
    minHeight: 600,
    show: false,
    title: 'Codex Host',
    ...(iconPath ? { icon: iconPath } : {}),
    webPreferences: secureWebPreferences(preloadPath),
  };
}

/** Creates the window with its guards; it shows itself once painted. */
export function createMainWindow(deps: MainWindowDeps): BrowserWindow {
  const win = new deps.BrowserWindow(mainWindowOptions(deps.preloadPath, deps.iconPath));
  guardWebContents(win.webContents, deps);
  win.once('ready-to-show', () => win.show());
  return win;
}

/** Opens `url` in the system browser if it is an https link; logs (never opens) anything else. */
function openIfExternalLink(url: string, deps: GuardDeps, what: string): void {
  const link = externalLinkToOpen(url);
  if (!link) {
    deps.logger.warn(`${what}: refused`, { url: url.slice(0, 200) });
    return;
  }
  deps.openExternal(link).catch((err: unknown) => deps.logger.warn(`${what}: the system browser did not open the link`, { error: errorMessage(err) }));
}

/** Navigation, redirect, webview and window-open guards on the window's web contents. */
export function guardWebContents(wc: WebContents, deps: GuardDeps): void {
  wc.on('will-navigate', (event) => {
    if (isAppUrl(event.url)) return;
    event.preventDefault();
    openIfExternalLink(event.url, deps, 'navigation away from the app');
  });
  wc.on('will-redirect', (event) => {
    if (isAppUrl(event.url)) return;
    event.preventDefault();
    deps.logger.warn('redirect away from the app: refused', { url: event.url.slice(0, 200) });
  });
  wc.on('will-attach-webview', (event) => {
    event.preventDefault();
    deps.logger.warn('a <webview> was refused');
  });
  wc.setWindowOpenHandler(({ url }) => {
    openIfExternalLink(url, deps, 'window.open');
    return { action: 'deny' };
  });
}

/** `responseHeaders` with our CSP and security headers in place of any the response had. */
export function withSecurityHeaders(responseHeaders: Record<string, string[]> | undefined): Record<string, string[]> {
  const ours = new Set(Object.keys(SECURITY_HEADERS).map((k) => k.toLowerCase()));
  const out: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(responseHeaders ?? {})) if (!ours.has(k.toLowerCase())) out[k] = v;
  for (const [k, v] of Object.entries(SECURITY_HEADERS)) out[k] = [v];
  return out;
}

/** URL patterns of every request the page could make to the network (all cancelled). */
export const NETWORK_URL_PATTERNS = ['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*'];

/** CSP header on every response, no network for the page, and the permission allow-list. */
export function hardenSession(session: Session, logger: Logger): void {
  session.webRequest.onHeadersReceived((details, callback) => callback({ responseHeaders: withSecurityHeaders(details.responseHeaders) }));
  session.webRequest.onBeforeRequest({ urls: NETWORK_URL_PATTERNS }, (details, callback) => {
    logger.warn('a network request from the window was cancelled', { url: details.url.slice(0, 200) });
    callback({ cancel: true });
  });
  session.setPermissionRequestHandler((_wc, permission, callback, details) => {
    const ok = permissionAllowed(permission, details.requestingUrl);
    if (!ok) logger.info('permission denied', { permission });
    callback(ok);
  });
  session.setPermissionCheckHandler((_wc, permission, requestingOrigin) => permissionAllowed(permission, requestingOrigin));
}

/** Brings the window to the front (a second launch of the app focuses the first). */
export function focusWindow(win: Pick<BrowserWindow, 'isMinimized' | 'restore' | 'show' | 'focus'>): void {
  if (win.isMinimized()) win.restore();
  win.show();
  win.focus();
}
