/**
 * `--listen ws://IP:PORT` with the rules and the exact error texts of `codex app-server` 0.169.0:
 * the host must be an IP literal (IPv6 in brackets), the port a decimal 0..65535 (0 = any free
 * port), and nothing else may follow (no path, query, user info). `ws://localhost:0` is rejected
 * like upstream does. The grammar is the shared one (shared/net/address.ts); this file only
 * words its problems the way upstream does.
 */
import {
  formatHostPort,
  isLoopbackIp,
  ListenAddressError,
  MAX_LISTEN_ADDRESS_CHARS,
  parseListenUrl as parseWsListenUrl,
  type ListenAddress,
} from '../../shared/net/address.js';

export type { ListenAddress };
export { formatHostPort };

/** Thrown for a `--listen` value that is not a usable `ws://IP:PORT`. */
export class ListenUrlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ListenUrlError';
  }
}

/**
 * Parses `ws://IP:PORT`. Error texts match upstream's: an unsupported scheme gives
 * ``unsupported --listen URL `X`; expected `ws://IP:PORT` `` and a bad address gives
 * ``invalid websocket --listen URL `X`; expected `ws://IP:PORT` ``.
 */
export function parseListenUrl(url: string): ListenAddress {
  try {
    return parseWsListenUrl(url);
  } catch (err) {
    if (!(err instanceof ListenAddressError)) throw err;
    switch (err.problem) {
      case 'too_long':
        throw new ListenUrlError(`invalid websocket --listen URL (longer than ${MAX_LISTEN_ADDRESS_CHARS} characters); expected \`ws://IP:PORT\``);
      case 'scheme':
        // Upstream matches the scheme case-sensitively and does not trim: `WS://…` and ` ws://…`
        // are "unsupported", not "invalid".
        throw new ListenUrlError(`unsupported --listen URL \`${url}\`; expected \`ws://IP:PORT\``);
      default:
        throw new ListenUrlError(`invalid websocket --listen URL \`${url}\`; expected \`ws://IP:PORT\``);
    }
  }
}

/** True for 127.0.0.0/8 and `::1` (Rust's `IpAddr::is_loopback`; `::ffff:127.0.0.1` is not loopback). */
export function isLoopbackHost(host: string): boolean {
  return isLoopbackIp(host);
}
