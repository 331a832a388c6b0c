/**
 * The desktop window's security settings in one place (docs/desktop.md, "Security settings and
 * why"; style.md G10), as plain data and pure functions so the unit tests can check every flag:
 *
 * - the renderer runs sandboxed, context-isolated, without Node, and sees only what the preload
 *   exposes (`window.codexHost = { platform }` and the hub port);
 * - it is served from our own `app://codex-host` origin (appProtocol.ts), never `file://`: a
 *   real origin makes CSP `'self'` mean "our files" (under file:// it would mean the whole disk),
 *   keeps storage to this app, and lets the port be posted to an exact origin;
 * - a strict Content-Security-Policy (no inline code, no network at all: the hub is reached
 *   through a MessagePort, so `connect-src 'none'`);
 * - navigation away from the app and new windows are refused; an https link opens in the
 *   system browser, anything else (http, file, javascript:, custom schemes) is dropped.
 */
import type { WebPreferences } from 'electron';

export const APP_SCHEME = 'app';
export const APP_HOST = 'codex-host';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
/** The page the window loads. */
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** The CSP of every response in the app (header; the renderer's meta tag may only narrow it further). */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'none'",
  "media-src 'none'",
  "worker-src 'none'",
  "frame-src 'none'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * The meta tag for renderer/desktop/index.html: the same page also runs in a browser under
 * `codex-host serve --ui`, whose bridge socket is same-origin, hence `connect-src 'self'` (the
 * header above narrows it to nothing in Electron). `frame-ancestors` cannot be set by a meta tag.
 */
export const RENDERER_META_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/** Headers added to every response the window receives (onHeadersReceived and the app protocol). */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=()',
};

/** The `webPreferences` of the window: every hardening flag set explicitly, never left to a default. */
export function secureWebPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false,
    enableWebSQL: false,
    experimentalFeatures: false,
  };
}

/** True for URLs of our own app origin. */
export function isAppUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST;
  } catch {
    return false;
  }
}

/**
 * The link to open in the system browser for a navigation or window.open the app refused, or
 * undefined: only https, with no credentials in it, at most 2,048 characters.
 */
export function externalLinkToOpen(url: string): string | undefined {
  if (url.length > 2048) return undefined;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined;
  }
  if (u.protocol !== 'https:' || u.username || u.password || !u.hostname) return undefined;
  return u.toString();
}

/** Permissions the page may have (copy to clipboard, QR code fullscreen); every other request is denied. */
export const ALLOWED_PERMISSIONS: readonly string[] = ['clipboard-sanitized-write', 'fullscreen'];

/** Whether the page at `requestingUrl` gets `permission`. */
export function permissionAllowed(permission: string, requestingUrl: string): boolean {
  return ALLOWED_PERMISSIONS.includes(permission) && isAppUrl(requestingUrl);
}
