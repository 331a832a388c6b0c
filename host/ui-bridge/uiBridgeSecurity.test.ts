import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, loopbackHost, newBridgeToken, originAllowed, tokenMatches } from './uiBridgeSecurity.js';
import { parseUiListen } from './uiListenAddress.js';

describe('the bridge token', () => {
  it('is 43 base64url characters of fresh randomness each time', () => {
    const a = newBridgeToken();
    const b = newBridgeToken();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe(b);
  });

  it('matches only itself, whatever the length of the guess', () => {
    const t = newBridgeToken();
    expect(tokenMatches(t, t)).toBe(true);
    for (const guess of ['', t.slice(0, -1), `${t}x`, t.toUpperCase(), 'a'.repeat(1000)]) expect(tokenMatches(t, guess)).toBe(false);
  });
});

describe('which requests the bridge answers', () => {
  it.each([
    ['127.0.0.1:8765', '127.0.0.1:8765'],
    ['localhost:8080', 'localhost:8080'],
    ['LOCALHOST:8080', 'localhost:8080'],
    ['[::1]:9000', '[::1]:9000'],
    ['127.0.0.2:1', '127.0.0.2:1'],
  ])('a loopback Host %s is accepted as %s (any port: an SSH forward changes it)', (header, normalized) => {
    expect(loopbackHost(header)).toBe(normalized);
  });

  it.each(['evil.example:8765', '192.168.1.5:8765', '127.0.0.1.evil.example', '', 'local host', '[::2]:80', undefined])(
    'a Host that is not this computer (%s) is refused (DNS rebinding)',
    (header) => {
      expect(loopbackHost(header)).toBeUndefined();
    },
  );

  it('a WebSocket must come from the page served on that same Host', () => {
    expect(originAllowed('http://127.0.0.1:8765', '127.0.0.1:8765')).toBe(true);
    expect(originAllowed('http://localhost:8080', 'localhost:8080')).toBe(true);
    expect(originAllowed(undefined, '127.0.0.1:8765')).toBe(false);
    expect(originAllowed('null', '127.0.0.1:8765')).toBe(false);
    expect(originAllowed('http://127.0.0.1:9999', '127.0.0.1:8765')).toBe(false);
    expect(originAllowed('https://127.0.0.1:8765', '127.0.0.1:8765')).toBe(false);
    expect(originAllowed('http://evil.example', '127.0.0.1:8765')).toBe(false);
  });

  it('the page may run only its own scripts and open only its own socket', () => {
    const csp = contentSecurityPolicy('127.0.0.1:8765');
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).toContain('connect-src ws://127.0.0.1:8765/ws;');
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
  });
});

describe('--ui-listen', () => {
  it.each([
    ['127.0.0.1:8765', { host: '127.0.0.1', port: 8765 }],
    ['8765', { host: '127.0.0.1', port: 8765 }],
    ['localhost:0', { host: '127.0.0.1', port: 0 }],
    ['[::1]:8765', { host: '::1', port: 8765 }],
  ])('%s is a loopback address', (v, want) => {
    expect(parseUiListen(v)).toEqual(want);
  });

  it('refuses a network interface and says how to reach the UI from elsewhere', () => {
    expect(() => parseUiListen('0.0.0.0:8765')).toThrow(/only listens on loopback.*ssh -L/);
    expect(() => parseUiListen('192.168.1.2:8765')).toThrow(/only listens on loopback/);
  });

  it.each(['', 'abc', '127.0.0.1', '127.0.0.1:99999', 'ws://127.0.0.1:1', '[::1]8765'])('refuses the malformed %s', (v) => {
    expect(() => parseUiListen(v)).toThrow(/--ui-listen must be IP:PORT/);
  });
});
