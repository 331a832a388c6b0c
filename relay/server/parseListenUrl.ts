/**
 * The relay's bind address in its two spellings: `codex-relay --listen ws://IP:PORT` and the
 * embedded relay's `codex-host serve --relay-listen IP:PORT`. The grammar is the shared one
 * (shared/net/address.ts): only IP literals (binding a hostname can silently pick an unexpected
 * interface), an explicit port, and only `ws://`: TLS belongs to a reverse proxy in front of the
 * relay (docs/relay.md "Running it"). This file words the problems for relay users.
 */
import { ListenAddressError, parseHostPort, parseListenUrl as parseWsListenUrl, type ListenAddress } from '../../shared/net/address.js';

export type { ListenAddress };

/**
 * `ws://IP:PORT` (IPv6 as `ws://[::1]:PORT`, one trailing `/` allowed) → `{ host, family, port }`.
 * Throws `Error("parseListenUrl: …")` on anything else (hostnames, paths, queries, credentials).
 */
export function parseListenUrl(listenUrl: string): ListenAddress {
  try {
    return parseWsListenUrl(listenUrl, { trailingSlash: true });
  } catch (err) {
    if (!(err instanceof ListenAddressError)) throw err;
    if (err.message === 'only ws:// is supported') {
      throw new Error('parseListenUrl: only ws:// is supported (terminate TLS in a reverse proxy in front of the relay)');
    }
    throw new Error(`parseListenUrl: ${err.message}`);
  }
}

/** `IP:PORT` (IPv6 as `[::1]:PORT`) for the embedded relay. Throws `Error("--relay-listen: …")`. */
export function parseRelayListen(hostPort: string): ListenAddress {
  try {
    return parseHostPort(hostPort);
  } catch (err) {
    if (err instanceof ListenAddressError) throw new Error(`--relay-listen: ${err.message}`);
    throw err;
  }
}
