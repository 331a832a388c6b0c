/**
 * The startup banner, laid out like `codex app-server`'s (title, listening on, readyz, healthz,
 * note) plus an `auth:` line, so users see where to point `codex --remote` and how it is guarded.
 */
import type { ListenerConfig } from './listenerOptions.js';

/**
 * Banner lines for a started listener. `boundUrl` is `WsListener.url` (the real port).
 * Print them to stderr, after any `config.warnings`.
 */
export function listenerBannerLines(boundUrl: string, config: ListenerConfig, title = 'codex-host (WebSockets)'): string[] {
  const httpBase = boundUrl.replace(/^ws:\/\//, 'http://');
  return [
    title,
    `  listening on: ${boundUrl}`,
    `  readyz: ${httpBase}/readyz`,
    `  healthz: ${httpBase}/healthz`,
    `  auth: ${describeAuth(config)}`,
    `  note: ${noteFor(config)}`,
  ];
}

function describeAuth(config: ListenerConfig): string {
  const auth = config.auth;
  switch (auth.mode) {
    case 'none':
      return 'none';
    case 'capability-token':
      return 'capability token (Authorization: Bearer <token>)';
    case 'signed-bearer-token': {
      const parts = ['HS256 JWT (Authorization: Bearer <jwt>)', `max clock skew ${auth.maxClockSkewSeconds}s`];
      if (auth.issuer !== undefined) parts.push(`issuer ${auth.issuer}`);
      if (auth.audience !== undefined) parts.push(`audience ${auth.audience}`);
      return parts.join(', ');
    }
  }
}

function noteFor(config: ListenerConfig): string {
  if (config.loopback) return 'binds localhost only (use SSH port-forwarding for remote access)';
  if (config.auth.mode === 'none') {
    return 'WARNING: non-localhost listener WITHOUT websocket auth (--allow-unauthenticated-non-loopback-ws)';
  }
  return 'websocket auth is required for non-localhost listeners';
}
