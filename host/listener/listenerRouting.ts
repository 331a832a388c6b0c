/**
 * HTTP routing of the listener port, reproducing `codex app-server` 0.169.0 (an axum router, checked
 * against the real binary): an `Origin` header → 403 on every path; `/readyz` and `/healthz` → 200
 * for GET/HEAD (405 otherwise), no auth; every other path is the WebSocket endpoint, whose upgrade
 * checks run in axum's order with axum's texts, before authentication.
 */
import type { RequestHeaders } from './upgradeAuth.js';

/** A plain HTTP answer: status, extra headers, body (UTF-8 text). */
export interface ListenerHttpAnswer {
  readonly kind: 'respond';
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** The request is a well-formed WebSocket upgrade on the WebSocket endpoint: authenticate it next. */
export interface ListenerUpgradeRoute {
  readonly kind: 'upgrade';
}

export type ListenerRoute = ListenerHttpAnswer | ListenerUpgradeRoute;

/** The health paths, answered without auth. */
export const HEALTH_PATHS: readonly string[] = ['/readyz', '/healthz'];

const TEXT = { 'content-type': 'text/plain; charset=utf-8' } as const;

/** A plain-text answer (axum's rejections carry `text/plain; charset=utf-8`; empty bodies carry no type). */
export function textAnswer(status: number, body: string, headers: Readonly<Record<string, string>> = {}): ListenerHttpAnswer {
  return { kind: 'respond', status, headers: body ? { ...TEXT, ...headers } : headers, body };
}

/**
 * Classifies one request. `url` is the request target (path and query); `httpVersion` as node
 * reports it ('1.1', '1.0').
 */
export function routeListenerRequest(method: string, url: string, httpVersion: string, headers: RequestHeaders): ListenerRoute {
  if (headers['origin'] !== undefined) return textAnswer(403, '');
  const path = url.split('?', 1)[0] ?? '';
  if (HEALTH_PATHS.includes(path)) {
    return method === 'GET' || method === 'HEAD' ? textAnswer(200, '') : textAnswer(405, '', { allow: 'GET,HEAD' });
  }
  if (method !== 'GET') return textAnswer(405, 'Request method must be `GET`');
  if (!headerHasToken(first(headers['connection']), 'upgrade')) {
    return textAnswer(400, "Connection header did not include 'upgrade'");
  }
  if (first(headers['upgrade'])?.toLowerCase() !== 'websocket') {
    return textAnswer(400, "`Upgrade` header did not include 'websocket'");
  }
  if (first(headers['sec-websocket-key']) === undefined) return textAnswer(400, '`Sec-WebSocket-Key` header missing');
  if (first(headers['sec-websocket-version']) !== '13') {
    return textAnswer(400, "`Sec-WebSocket-Version` header did not include '13'");
  }
  if (httpVersion !== '1.1') {
    return textAnswer(426, "WebSocket request couldn't be upgraded since no upgrade state was present");
  }
  return { kind: 'upgrade' };
}

function first(value: string | readonly string[] | undefined): string | undefined {
  return typeof value === 'string' ? value : value?.[0];
}

function headerHasToken(value: string | undefined, token: string): boolean {
  return value !== undefined && value.split(',').some((part) => part.trim().toLowerCase() === token);
}
