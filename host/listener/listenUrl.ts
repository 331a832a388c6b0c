/**
 * `--listen ws://IP:PORT` parsing with the rules of `codex app-server` 0.169.0: the host must be
 * an IP literal (IPv6 in brackets), the port a decimal 0..65535 (0 = any free port), and nothing
 * else may follow (no path, query, user info). `ws://localhost:0` is rejected like upstream does.
 */
import { SocketAddress, isIPv4, isIPv6 } from 'node:net';

/** A parsed `ws://IP:PORT` address. `host` is canonical (IPv6 without brackets, compressed). */
export interface ListenAddress {
  readonly host: string;
  readonly family: 'ipv4' | 'ipv6';
  readonly port: number;
}

/** Thrown for a `--listen` value that is not a usable `ws://IP:PORT`. */
export class ListenUrlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ListenUrlError';
  }
}

const MAX_LISTEN_URL_CHARS = 200;

/**
 * Parses `ws://IP:PORT`. Error texts match upstream's: an unsupported scheme gives
 * ``unsupported --listen URL `X`; expected `ws://IP:PORT` `` and a bad address gives
 * ``invalid websocket --listen URL `X`; expected `ws://IP:PORT` ``.
 */
export function parseListenUrl(url: string): ListenAddress {
  if (url.length > MAX_LISTEN_URL_CHARS) {
    throw new ListenUrlError(`invalid websocket --listen URL (longer than ${MAX_LISTEN_URL_CHARS} characters); expected \`ws://IP:PORT\``);
  }
  // Upstream matches the scheme case-sensitively and does not trim: `WS://…` and ` ws://…` are
  // "unsupported", not "invalid".
  if (!url.startsWith('ws://')) {
    throw new ListenUrlError(`unsupported --listen URL \`${url}\`; expected \`ws://IP:PORT\``);
  }
  const invalid = () => new ListenUrlError(`invalid websocket --listen URL \`${url}\`; expected \`ws://IP:PORT\``);
  const rest = url.slice('ws://'.length);
  let hostPart: string;
  let portPart: string;
  let family: 'ipv4' | 'ipv6';
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close < 0 || rest[close + 1] !== ':') throw invalid();
    hostPart = rest.slice(1, close);
    portPart = rest.slice(close + 2);
    // Zone ids (`%eth0`) are rejected: a listener on a link-local address is not something the
    // host supports, and upstream only accepts numeric zones.
    if (hostPart.includes('%') || !isIPv6(hostPart)) throw invalid();
    family = 'ipv6';
  } else {
    const colon = rest.lastIndexOf(':');
    if (colon < 0) throw invalid();
    hostPart = rest.slice(0, colon);
    portPart = rest.slice(colon + 1);
    // node's isIPv4 is strict dotted-quad without leading zeros, like Rust's Ipv4Addr parser.
    if (!isIPv4(hostPart)) throw invalid();
    family = 'ipv4';
  }
  if (!/^[0-9]{1,10}$/.test(portPart)) throw invalid();
  const port = Number(portPart);
  if (port > 65_535) throw invalid();
  const host = family === 'ipv6' ? new SocketAddress({ address: hostPart, family: 'ipv6' }).address : hostPart;
  return { host, family, port };
}

/** True for 127.0.0.0/8 and `::1` (Rust's `IpAddr::is_loopback`; `::ffff:127.0.0.1` is not loopback). */
export function isLoopbackHost(host: string): boolean {
  if (isIPv4(host)) return host.startsWith('127.');
  if (isIPv6(host)) return new SocketAddress({ address: host, family: 'ipv6' }).address === '::1';
  return false;
}

/** `IP:PORT` as Rust prints a `SocketAddr` (`[v6]:port` for IPv6). */
export function formatHostPort(host: string, port: number): string {
  return isIPv6(host) ? `[${host}]:${port}` : `${host}:${port}`;
}
