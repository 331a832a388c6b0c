/**
 * IP addresses as Codex Host reads them from flags and links (docs/protocol.md "Addresses"): one
 * strict parser for listen addresses (`ws://IP:PORT` for the listener and the relay, `IP:PORT`
 * for `--relay-listen`) and one set of loopback / LAN predicates. Pure (shared/ has no `URL` and
 * no `node:net`), and stricter than a WHATWG URL parser on purpose: only IP literals (binding a
 * hostname can silently pick an unexpected interface), no numeric shorthands (`127.1`), no zone
 * ids, no user info, so the string a user typed is the address that gets used.
 *
 * The callers own their error texts: the listener keeps `codex app-server`'s exact messages
 * (host/listener/listenUrl.ts), the relay its own (relay/server/listenAddress.ts). They switch on
 * `ListenAddressError.problem`.
 */

/** An IP family. */
export type IpFamily = 'ipv4' | 'ipv6';

/** A parsed bind address. `host` is canonical: IPv6 without brackets, compressed, lowercase. */
export interface ListenAddress {
  readonly host: string;
  readonly family: IpFamily;
  /** 0-65535; 0 picks a free port. */
  readonly port: number;
}

/**
 * What is wrong with a listen address:
 * - `too_long`: longer than `MAX_LISTEN_ADDRESS_CHARS`;
 * - `scheme`: a `ws://` URL was expected and the text does not start with exactly `ws://`;
 * - `syntax`: not `HOST:PORT` at all;
 * - `extra`: user info, a path, a query or a fragment;
 * - `host`: the host is not an IPv4 literal or a bracketed IPv6 literal;
 * - `port_missing`, `port_range`: no port, or not a decimal 0-65535.
 */
export type ListenAddressProblem = 'too_long' | 'scheme' | 'syntax' | 'extra' | 'host' | 'port_missing' | 'port_range';

/** Thrown for a listen address that cannot be used; `message` is a generic explanation. */
export class ListenAddressError extends Error {
  constructor(
    readonly problem: ListenAddressProblem,
    message: string,
  ) {
    super(message);
    this.name = 'ListenAddressError';
  }
}

/** Longest listen address accepted (upstream's `--listen` bound). */
export const MAX_LISTEN_ADDRESS_CHARS = 200;

/** Options of `parseListenUrl`. */
export interface ListenUrlOptions {
  /** Accept one trailing `/` after the port (`ws://IP:PORT/`). Default false. */
  readonly trailingSlash?: boolean;
}

/**
 * Parses `ws://IP:PORT` (IPv6 as `ws://[::1]:PORT`). The scheme is matched case-sensitively and
 * nothing is trimmed, like `codex app-server --listen`. Throws `ListenAddressError`.
 */
export function parseListenUrl(text: string, options: ListenUrlOptions = {}): ListenAddress {
  const form = 'ws://IP:PORT';
  if (text.length > MAX_LISTEN_ADDRESS_CHARS) throw problem('too_long', form);
  if (!text.startsWith('ws://')) {
    const otherScheme = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(text);
    throw new ListenAddressError('scheme', otherScheme ? 'only ws:// is supported' : `expected ${form}`);
  }
  let rest = text.slice('ws://'.length);
  if (options.trailingSlash && rest.endsWith('/')) rest = rest.slice(0, -1);
  return parseAuthority(rest, form);
}

/** Parses `IP:PORT` (IPv6 as `[::1]:PORT`), e.g. `--relay-listen`. Throws `ListenAddressError`. */
export function parseHostPort(text: string): ListenAddress {
  const form = 'IP:PORT';
  if (text.length > MAX_LISTEN_ADDRESS_CHARS) throw problem('too_long', form);
  if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(text)) throw new ListenAddressError('syntax', `expected ${form} without a scheme`);
  return parseAuthority(text, form);
}

/** `IP:PORT` as Rust prints a `SocketAddr` (`[v6]:port` for IPv6). */
export function formatHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** `host[:port]` after the scheme: user info, path, query and fragment are refused. */
function parseAuthority(rest: string, form: string): ListenAddress {
  const end = rest.search(/[/?#]/);
  const authority = end === -1 ? rest : rest.slice(0, end);
  if (end !== -1 || authority.includes('@')) throw problem('extra', form);
  let hostText: string;
  let portText: string | undefined;
  if (authority.startsWith('[')) {
    const close = authority.indexOf(']');
    if (close < 0) throw problem('host', form);
    hostText = authority.slice(1, close);
    const after = authority.slice(close + 1);
    if (after !== '' && !after.startsWith(':')) throw problem('syntax', form);
    portText = after === '' ? undefined : after.slice(1);
    const groups = parseIPv6(hostText);
    if (!groups) throw problem('host', form);
    return { host: formatIPv6(groups), family: 'ipv6', port: parsePort(portText, form) };
  }
  const colon = authority.lastIndexOf(':');
  hostText = colon === -1 ? authority : authority.slice(0, colon);
  portText = colon === -1 ? undefined : authority.slice(colon + 1);
  if (hostText === '') throw problem('syntax', form);
  if (!parseIPv4(hostText)) throw problem('host', form);
  return { host: hostText, family: 'ipv4', port: parsePort(portText, form) };
}

function parsePort(text: string | undefined, form: string): number {
  if (text === undefined || text === '') throw problem('port_missing', form);
  // Leading zeros are fine (Rust's u16 parser accepts `00`); the length bound keeps Number exact.
  if (!/^[0-9]{1,10}$/.test(text) || Number(text) > 65_535) throw problem('port_range', form);
  return Number(text);
}

function problem(kind: ListenAddressProblem, form: string): ListenAddressError {
  const messages: Record<ListenAddressProblem, string> = {
    too_long: `expected ${form} of at most ${MAX_LISTEN_ADDRESS_CHARS} characters`,
    scheme: `expected ${form}`,
    syntax: `expected ${form}`,
    extra: `expected ${form} with no path, query or credentials`,
    host: 'the host must be an IP address (IPv6 in brackets)',
    port_missing: `a port is required (${form})`,
    port_range: `the port must be 0-65535; expected ${form}`,
  };
  return new ListenAddressError(kind, messages[kind]);
}

/** Parses a strict dotted-quad IPv4 literal (no leading zeros, no shorthands) into its 4 bytes. */
export function parseIPv4(text: string): number[] | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^(?:0|[1-9][0-9]{0,2})$/.test(p) && Number(p) <= 255)) return undefined;
  return parts.map(Number);
}

/**
 * Parses an IPv6 literal (without brackets; an embedded IPv4 tail such as `::ffff:127.0.0.1` is
 * allowed; zone ids are not) into its 8 16-bit groups.
 */
export function parseIPv6(text: string): number[] | undefined {
  if (text.length > 45) return undefined;
  let head = text;
  let v4: number[] | undefined;
  if (text.includes('.')) {
    const lastColon = text.lastIndexOf(':');
    if (lastColon === -1) return undefined;
    v4 = parseIPv4(text.slice(lastColon + 1));
    if (!v4) return undefined;
    head = text.slice(0, lastColon);
    // `::1.2.3.4`: the colon before the IPv4 part is the second half of a `::`.
    if (head.endsWith(':')) head += ':';
  }
  const tailGroups = v4 ? [(v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!] : [];
  const halves = head.split('::');
  if (halves.length > 2) return undefined;
  const groups = (s: string): number[] | undefined => {
    if (s === '') return [];
    const parts = s.split(':');
    return parts.every((p) => /^[0-9a-fA-F]{1,4}$/.test(p)) ? parts.map((p) => parseInt(p, 16)) : undefined;
  };
  const left = groups(halves[0] ?? '');
  const right = halves.length === 2 ? groups(halves[1] ?? '') : [];
  if (!left || !right) return undefined;
  if (halves.length === 1) {
    const all = [...left, ...tailGroups];
    return all.length === 8 ? all : undefined;
  }
  const missing = 8 - left.length - right.length - tailGroups.length;
  return missing >= 1 ? [...left, ...new Array<number>(missing).fill(0), ...right, ...tailGroups] : undefined;
}

/**
 * The canonical text of 8 IPv6 groups, as `inet_ntop` (libuv, hence Node) writes it: lowercase,
 * the longest run of two or more zero groups as `::` (the first one on a tie), and an IPv4 tail
 * for mapped and compatible addresses (`::ffff:127.0.0.1`).
 */
export function formatIPv6(groups: readonly number[]): string {
  let best = { base: -1, len: 0 };
  let cur = { base: -1, len: 0 };
  for (let i = 0; i < 8; i++) {
    if (groups[i] === 0) {
      if (cur.base === -1) cur = { base: i, len: 1 };
      else cur.len++;
    } else if (cur.base !== -1) {
      if (best.base === -1 || cur.len > best.len) best = cur;
      cur = { base: -1, len: 0 };
    }
  }
  if (cur.base !== -1 && (best.base === -1 || cur.len > best.len)) best = cur;
  if (best.base !== -1 && best.len < 2) best = { base: -1, len: 0 };
  let out = '';
  for (let i = 0; i < 8; i++) {
    if (best.base !== -1 && i >= best.base && i < best.base + best.len) {
      if (i === best.base) out += ':';
      continue;
    }
    if (i !== 0) out += ':';
    const v4Tail = i === 6 && best.base === 0 && (best.len === 6 || (best.len === 7 && groups[7] !== 1) || (best.len === 5 && groups[5] === 0xffff));
    if (v4Tail) {
      out += [groups[6]! >> 8, groups[6]! & 0xff, groups[7]! >> 8, groups[7]! & 0xff].join('.');
      return out;
    }
    out += (groups[i] ?? 0).toString(16);
  }
  if (best.base !== -1 && best.base + best.len === 8) out += ':';
  return out;
}

/**
 * True for 127.0.0.0/8 and `::1` (Rust's `IpAddr::is_loopback`: `::ffff:127.0.0.1` is not
 * loopback). `host` is an IP literal without brackets; anything else is false.
 */
export function isLoopbackIp(host: string): boolean {
  const v4 = parseIPv4(host);
  if (v4) return v4[0] === 127;
  const v6 = parseIPv6(host);
  return v6 !== undefined && v6.slice(0, 7).every((g) => g === 0) && v6[7] === 1;
}

/**
 * True if `host` (as written in a URL authority: IPv6 in brackets) is a loopback or LAN host
 * (docs/encryption.md): `localhost`, `*.localhost`, `*.local` (mDNS, link-local by definition),
 * IPv4 127/8, 10/8, 172.16/12, 192.168/16, 169.254/16, IPv6 ::1, fc00::/7, fe80::/10.
 */
export function isLocalNetworkHost(host: string): boolean {
  if (host.startsWith('[')) {
    const inner = host.endsWith(']') ? host.slice(1, -1) : '';
    const g = parseIPv6(inner);
    if (!g) return false;
    const first = g[0] ?? 0;
    return isLoopbackIp(inner) || (first & 0xfe00) === 0xfc00 || (first & 0xffc0) === 0xfe80;
  }
  const ip = parseIPv4(host);
  if (ip) {
    const [a = 0, b = 0] = ip;
    return a === 127 || a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254);
  }
  const name = host.toLowerCase();
  return name === 'localhost' || name.endsWith('.localhost') || name.endsWith('.local');
}
