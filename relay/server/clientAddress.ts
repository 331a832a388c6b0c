/**
 * Where a request comes from, for the per-address rate limits and connection cap
 * (docs/relay.md "Running behind a reverse proxy").
 */
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';

/** The TCP peer address (what the relay sees without a proxy). */
export function socketClientAddress(req: IncomingMessage): string {
  return req.socket.remoteAddress ?? 'unknown';
}

/**
 * The last `X-Forwarded-For` entry: the address the nearest proxy saw, which a client cannot
 * forge when that proxy appends to (or overwrites) the header. Earlier entries are the client's
 * own claims and are ignored. Falls back to the TCP peer address when the header is missing or
 * its last entry is not an IP literal. Only correct behind a proxy that sets the header.
 */
export function forwardedClientAddress(req: IncomingMessage): string {
  // Node joins repeated X-Forwarded-For headers with ", ", so the last entry is the proxy's.
  const header = req.headers['x-forwarded-for'];
  if (typeof header === 'string') {
    const last = header.slice(header.lastIndexOf(',') + 1).trim().toLowerCase();
    if (isIP(last) !== 0) return last;
  }
  return socketClientAddress(req);
}
