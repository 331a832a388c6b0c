/**
 * Parses the relay's `--listen ws://IP:PORT` argument. Only IP literals are accepted (binding a
 * hostname can silently pick an unexpected interface), and only `ws://`: TLS belongs to a
 * reverse proxy in front of the relay (docs/relay.md "Running it").
 */
import { isIP } from 'node:net';

/** A bind address. */
export interface ListenAddress {
  /** IP literal without brackets, e.g. `127.0.0.1` or `::1`. */
  readonly host: string;
  /** 0-65535; 0 picks a free port. */
  readonly port: number;
  /** True for 127.0.0.0/8 and ::1. */
  readonly isLoopback: boolean;
}

/**
 * `ws://IP:PORT` (IPv6 as `ws://[::1]:PORT`) → `{ host, port, isLoopback }`.
 * Throws `Error("parseListenUrl: …")` on anything else (hostnames, paths, queries, credentials).
 */
export function parseListenUrl(listenUrl: string): ListenAddress {
  let url: URL;
  try {
    url = new URL(listenUrl);
  } catch {
    throw new Error('parseListenUrl: expected ws://IP:PORT');
  }
  if (url.protocol !== 'ws:') {
    throw new Error('parseListenUrl: only ws:// is supported (terminate TLS in a reverse proxy in front of the relay)');
  }
  if (url.username || url.password || url.search || url.hash || (url.pathname !== '/' && url.pathname !== '')) {
    throw new Error('parseListenUrl: expected ws://IP:PORT with no path, query or credentials');
  }
  // `new URL` drops a default port (80) and keeps brackets around IPv6 literals.
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  if (isIP(host) === 0) throw new Error('parseListenUrl: the host must be an IP address');
  const explicitPort = /:(\d{1,5})\/?$/.exec(listenUrl.trim());
  if (!explicitPort) throw new Error('parseListenUrl: a port is required (ws://IP:PORT)');
  const port = Number(explicitPort[1]);
  if (!Number.isInteger(port) || port > 65535) throw new Error('parseListenUrl: port must be 0-65535');
  const isLoopback = isIP(host) === 4 ? host.startsWith('127.') : host === '::1';
  return { host, port, isLoopback };
}
