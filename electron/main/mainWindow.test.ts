/**
 * The window and its guards (mainWindow.ts) with fake Electron objects: the options it is
 * created with, navigation and window.open (https goes to the system browser, everything else
 * is refused), redirects, webviews, the CSP header on every response, cancelled network
 * requests, permissions, and focusing on a second launch.
 */
import { EventEmitter } from 'node:events';
import type { BrowserWindow, BrowserWindowConstructorOptions, Session, WebContents } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../shared/util/logger.js';
import { createMainWindow, focusWindow, guardWebContents, hardenSession, NETWORK_URL_PATTERNS, withSecurityHeaders } from './mainWindow.js';
import { CONTENT_SECURITY_POLICY } from './windowSecurity.js';

class FakeWebContents extends EventEmitter {
  openHandler: ((d: { url: string }) => { action: string }) | undefined;
  setWindowOpenHandler(h: (d: { url: string }) => { action: string }) {
    this.openHandler = h;
  }
}

function guarded() {
  const wc = new FakeWebContents();
  const opened: string[] = [];
  const openExternal = vi.fn((url: string) => {
    opened.push(url);
    return Promise.resolve();
  });
  guardWebContents(wc as unknown as WebContents, { openExternal, logger: silentLogger });
  const navigate = (event: 'will-navigate' | 'will-redirect', url: string) => {
    const e = { url, preventDefault: vi.fn() };
    wc.emit(event, e);
    return e.preventDefault.mock.calls.length > 0;
  };
  return { wc, opened, navigate };
}

describe('the main window', () => {
  it('is created hidden with the hardened preferences and shown once painted', () => {
    let options: BrowserWindowConstructorOptions | undefined;
    const instances: FakeWindow[] = [];
    class FakeWindow extends EventEmitter {
      webContents = new FakeWebContents();
      show = vi.fn();
      constructor(o: BrowserWindowConstructorOptions) {
        super();
        options = o;
        instances.push(this);
      }
    }
    createMainWindow({ BrowserWindow: FakeWindow as unknown as new (o: BrowserWindowConstructorOptions) => BrowserWindow, openExternal: () => Promise.resolve(), preloadPath: '/app/dist/electron/preload/preload.cjs', iconPath: '/app/resources/icon.png', logger: silentLogger });
    expect(options).toMatchObject({
      show: false,
      minWidth: 960,
      icon: '/app/resources/icon.png',
      webPreferences: { preload: '/app/dist/electron/preload/preload.cjs', contextIsolation: true, sandbox: true, nodeIntegration: false, webviewTag: false },
    });
    expect(instances[0]!.webContents.openHandler).toBeDefined();
    expect(instances[0]!.show).not.toHaveBeenCalled();
    instances[0]!.emit('ready-to-show');
    expect(instances[0]!.show).toHaveBeenCalledOnce();
  });

  it('lets the app navigate within itself only; an https link opens in the system browser instead', () => {
    const { navigate, opened } = guarded();
    expect(navigate('will-navigate', 'app://codex-host/index.html')).toBe(false);
    expect(navigate('will-navigate', 'https://github.com/openai/codex')).toBe(true);
    expect(navigate('will-navigate', 'http://example.com/')).toBe(true);
    expect(navigate('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(navigate('will-navigate', 'javascript:alert(1)')).toBe(true);
    expect(opened).toEqual(['https://github.com/openai/codex']);
  });

  it('denies every window.open, sending only https links to the system browser', () => {
    const { wc, opened } = guarded();
    for (const url of ['https://example.com/docs', 'http://example.com/', 'file:///tmp/x', 'app://codex-host/index.html', 'mailto:a@b.c']) {
      expect(wc.openHandler!({ url })).toEqual({ action: 'deny' });
    }
    expect(opened).toEqual(['https://example.com/docs']);
  });

  it('cancels redirects away from the app and every <webview>', () => {
    const { wc, navigate, opened } = guarded();
    expect(navigate('will-redirect', 'https://example.com/')).toBe(true);
    expect(navigate('will-redirect', 'app://codex-host/index.html')).toBe(false);
    const e = { preventDefault: vi.fn() };
    wc.emit('will-attach-webview', e);
    expect(e.preventDefault).toHaveBeenCalledOnce();
    expect(opened).toEqual([]);
  });

  it('puts our CSP on every response in place of the one it had', () => {
    expect(withSecurityHeaders({ 'content-security-policy': ["default-src *"], 'Content-Type': ['text/html'] })).toEqual({
      'Content-Type': ['text/html'],
      'Content-Security-Policy': [CONTENT_SECURITY_POLICY],
      'X-Content-Type-Options': ['nosniff'],
      'Referrer-Policy': ['no-referrer'],
      'Cross-Origin-Opener-Policy': ['same-origin'],
      'Permissions-Policy': ['camera=(), microphone=(), geolocation=()'],
    });
  });

  it('hardens the session: CSP header, no network for the page, the permission allow-list', () => {
    const calls: Record<string, unknown[]> = {};
    const session = {
      webRequest: {
        onHeadersReceived: (l: unknown) => (calls.headers = [l]),
        onBeforeRequest: (filter: unknown, l: unknown) => (calls.before = [filter, l]),
      },
      setPermissionRequestHandler: (h: unknown) => (calls.request = [h]),
      setPermissionCheckHandler: (h: unknown) => (calls.check = [h]),
    };
    hardenSession(session as unknown as Session, silentLogger);
    const onHeaders = calls.headers![0] as (d: { responseHeaders: Record<string, string[]> }, cb: (r: { responseHeaders: Record<string, string[]> }) => void) => void;
    let headers: Record<string, string[]> | undefined;
    onHeaders({ responseHeaders: { 'Content-Security-Policy': ["script-src 'unsafe-inline'"] } }, (r) => (headers = r.responseHeaders));
    expect(headers!['Content-Security-Policy']).toEqual([CONTENT_SECURITY_POLICY]);

    expect(calls.before![0]).toEqual({ urls: NETWORK_URL_PATTERNS });
    const onBefore = calls.before![1] as (d: { url: string }, cb: (r: { cancel: boolean }) => void) => void;
    let cancelled: boolean | undefined;
    onBefore({ url: 'https://example.com/tracker.js' }, (r) => (cancelled = r.cancel));
    expect(cancelled).toBe(true);

    const onRequest = calls.request![0] as (wc: unknown, p: string, cb: (ok: boolean) => void, d: { requestingUrl: string }) => void;
    const answers: [string, boolean][] = [];
    for (const p of ['clipboard-sanitized-write', 'media', 'notifications']) onRequest(undefined, p, (ok) => answers.push([p, ok]), { requestingUrl: 'app://codex-host/index.html' });
    expect(answers).toEqual([
      ['clipboard-sanitized-write', true],
      ['media', false],
      ['notifications', false],
    ]);
    const onCheck = calls.check![0] as (wc: unknown, p: string, origin: string) => boolean;
    expect(onCheck(undefined, 'fullscreen', 'app://codex-host')).toBe(true);
    expect(onCheck(undefined, 'fullscreen', 'https://example.com')).toBe(false);
  });

  it('comes to the front on a second launch, restored if minimized', () => {
    const calls: string[] = [];
    const win = { isMinimized: () => true, restore: () => calls.push('restore'), show: () => calls.push('show'), focus: () => calls.push('focus') };
    focusWindow(win);
    expect(calls).toEqual(['restore', 'show', 'focus']);
  });
});
