/**
 * The browser bridge's security rules as pure functions (docs/renderer.md, "The bridge's
 * security rules"): a random token shown only in the URL fragment and checked in constant
 * time; requests accepted only for a loopback Host (so a DNS-rebinding page cannot reach us
 * under its own name); WebSockets only from the page we served (Origin = http://Host); and a
 * strict Content-Security-Policy for that page.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A fresh token: 32 random bytes, base64url (43 characters). */
export function newBridgeToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Constant-time token comparison (digests of equal length, so length leaks nothing either). */
export function tokenMatches(expected: string, given: string): boolean {
  const a = createHash('sha256').update(expected, 'utf8').digest();
  const b = createHash('sha256').update(given, 'utf8').digest();
  return timingSafeEqual(a, b);
}

const LOOPBACK_NAMES = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * The Host header, if it names this computer's loopback (any port: an SSH forward changes it).
 * Returns the normalized `host:port` or undefined.
 */
export function loopbackHost(hostHeader: string | undefined): string | undefined {
  if (!hostHeader || hostHeader.length > 300) return undefined;
  const h = hostHeader.trim().toLowerCase();
  const m = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::([0-9]{1,5}))?$/.exec(h);
  if (!m) return undefined;
  const name = m[1]!;
  const isLoopback = LOOPBACK_NAMES.has(name) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name);
  if (!isLoopback) return undefined;
  return m[2] ? `${name}:${m[2]}` : name;
}

/** True when `origin` is exactly the page we serve on `host` (`http://host`). */
export function originAllowed(origin: string | undefined, host: string): boolean {
  return typeof origin === 'string' && origin.toLowerCase() === `http://${host}`;
}

/** The page's CSP: our own scripts and styles only, no inline code, and one socket: our /ws. */
export function contentSecurityPolicy(host: string): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src ws://${host}/ws`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}

/** Headers every answer of the bridge carries. */
export function securityHeaders(host: string): Record<string, string> {
  return {
    'content-security-policy': contentSecurityPolicy(host),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    'permissions-policy': 'camera=(), microphone=(), geolocation=()',
  };
}
