/**
 * The window's security settings as data (windowSecurity.ts): every hardening flag, the CSP,
 * what counts as our app, which links may open in the system browser, which permissions exist.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  APP_ENTRY_URL,
  CONTENT_SECURITY_POLICY,
  externalLinkToOpen,
  isAppUrl,
  permissionAllowed,
  RENDERER_META_CSP,
  secureWebPreferences,
  SECURITY_HEADERS,
} from './windowSecurity.js';

const directives = (csp: string) => Object.fromEntries(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k!, v.join(' ')]));

describe('the window security settings', () => {
  it('set every hardening flag explicitly', () => {
    expect(secureWebPreferences('/app/preload.cjs')).toEqual({
      preload: '/app/preload.cjs',
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
    });
  });

  it('allow only our own scripts and styles, no inline code and no network at all', () => {
    const d = directives(CONTENT_SECURITY_POLICY);
    expect(d).toEqual({
      'default-src': "'none'",
      'script-src': "'self'",
      'style-src': "'self'",
      'img-src': "'self' data: blob:",
      'font-src': "'self'",
      'connect-src': "'none'",
      'media-src': "'none'",
      'worker-src': "'none'",
      'frame-src': "'none'",
      'object-src': "'none'",
      'base-uri': "'none'",
      'form-action': "'none'",
      'frame-ancestors': "'none'",
    });
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-(inline|eval)/);
    expect(SECURITY_HEADERS['Content-Security-Policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(SECURITY_HEADERS['X-Content-Type-Options']).toBe('nosniff');
  });

  it('give the renderer a meta CSP that is as strict except for its same-origin bridge socket', () => {
    const meta = directives(RENDERER_META_CSP);
    expect(meta['connect-src']).toBe("'self'");
    expect(meta['script-src']).toBe("'self'");
    expect(RENDERER_META_CSP).not.toMatch(/unsafe-|frame-ancestors/);
  });

  it('match the meta CSP the renderer page really carries', () => {
    const html = readFileSync(fileURLToPath(new URL('../../renderer/desktop/index.html', import.meta.url)), 'utf8');
    const m = /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html);
    expect(m?.[1]).toBe(RENDERER_META_CSP);
  });

  it('know our app origin and nothing else', () => {
    expect(APP_ENTRY_URL).toBe('app://codex-host/index.html');
    for (const ok of ['app://codex-host/index.html', 'app://codex-host/assets/x.js', 'app://codex-host/']) expect(isAppUrl(ok)).toBe(true);
    for (const bad of ['app://other/index.html', 'file:///index.html', 'https://codex-host/', 'app://codex-host.evil/', 'javascript:alert(1)', 'not a url']) expect(isAppUrl(bad)).toBe(false);
  });

  it.each([
    ['https://github.com/openai/codex', 'https://github.com/openai/codex'],
    ['https://example.com/a b', 'https://example.com/a%20b'],
    ['http://example.com/', undefined],
    ['file:///etc/passwd', undefined],
    ['javascript:alert(1)', undefined],
    ['ssh://host', undefined],
    ['app://codex-host/index.html', undefined],
    ['https://user:pw@example.com/', undefined],
    [`https://example.com/${'a'.repeat(2100)}`, undefined],
    ['not a url', undefined],
  ])('open %s in the system browser: %s', (url, expected) => {
    expect(externalLinkToOpen(url)).toBe(expected);
  });

  it('grant only clipboard writes and fullscreen, and only to our app', () => {
    expect(permissionAllowed('clipboard-sanitized-write', 'app://codex-host/index.html')).toBe(true);
    expect(permissionAllowed('fullscreen', 'app://codex-host')).toBe(true);
    expect(permissionAllowed('fullscreen', 'https://example.com/')).toBe(false);
    for (const p of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'hid', 'serial', 'usb']) expect(permissionAllowed(p, 'app://codex-host/')).toBe(false);
  });
});
