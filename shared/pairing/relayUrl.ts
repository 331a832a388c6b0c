/**
 * Validation of the relay addresses a pairing link carries (remote-protocol.md §2): the
 * WebSocket base URL (`wss://`, or `ws://` only for loopback/LAN hosts) and the http(s) origin
 * the link itself points at. shared/ has no `URL` global, and a hand-written grammar is also the
 * stricter choice: no user info, query, fragment, percent-escapes or numeric host shorthands
 * (`127.1`), so the string a user sees is the address that gets used.
 *
 * "Loopback/LAN" is `isLocalNetworkHost` (shared/net/address.ts, the one predicate): `localhost`,
 * `*.localhost`, `*.local`, IPv4 127/8, 10/8, 172.16/12, 192.168/16, 169.254/16, IPv6 ::1,
 * fc00::/7, fe80::/10 (docs/encryption.md).
 */
import { isLocalNetworkHost, parseIPv4, parseIPv6 } from '../net/address.js';

/** Longest relay URL accepted in a link. */
export const MAX_RELAY_URL_CHARS = 256;

const AUTHORITY = /^([a-z][a-z0-9+.-]*):\/\/(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+)(?::([0-9]{1,5}))?(.*)$/;
const DNS_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const PATH_PREFIX = /^(?:\/[A-Za-z0-9._~-]+)*$/;

interface ParsedAddress {
  readonly scheme: string;
  readonly host: string;
  readonly rest: string;
}

/** Why `host` (as written in a URL authority) is not a valid host, or undefined. */
function hostProblem(host: string): string | undefined {
  if (host.startsWith('[')) return parseIPv6(host.slice(1, -1)) ? undefined : 'invalid IPv6 address';
  if (parseIPv4(host)) return undefined;
  const name = host.toLowerCase();
  if (name.length > 253) return 'host name too long';
  const labels = name.split('.');
  if (!labels.every((l) => DNS_LABEL.test(l))) return 'invalid host name';
  // A WHATWG URL parser reads a name ending in a number as an IPv4 address (`127.1`); refuse it.
  if (/^(?:[0-9]+|0x[0-9a-f]*)$/.test(labels[labels.length - 1] ?? '')) return 'invalid IPv4 address';
  return undefined;
}

/** Splits `scheme://host[:port]rest`, checking host and port; returns a problem string on failure. */
function parseAddress(url: string): ParsedAddress | string {
  const m = AUTHORITY.exec(url);
  if (!m) return 'not an absolute URL';
  const [, scheme = '', host = '', port, rest = ''] = m;
  const problem = hostProblem(host);
  if (problem) return problem;
  if (port !== undefined && (!/^[1-9][0-9]*$/.test(port) || Number(port) > 65535)) return 'invalid port';
  return { scheme, host, rest };
}

/** Checks that the secure scheme is used, or the plain one only towards a local host. */
function schemeProblem(address: ParsedAddress, secure: string, plain: string): string | undefined {
  if (address.scheme === secure) return undefined;
  if (address.scheme === plain) return isLocalNetworkHost(address.host) ? undefined : `${plain}:// is only allowed for loopback/LAN hosts`;
  return `must be a ${secure}:// URL`;
}

/**
 * Why `url` is not an acceptable relay WebSocket base URL, or undefined if it is:
 * `wss://host[:port][/path]` (`ws://` only for loopback/LAN hosts), no trailing slash, query or
 * fragment, at most 256 characters.
 */
export function relayUrlProblem(url: string): string | undefined {
  if (url.length > MAX_RELAY_URL_CHARS) return `must be at most ${MAX_RELAY_URL_CHARS} characters`;
  const address = parseAddress(url);
  if (typeof address === 'string') return address;
  const scheme = schemeProblem(address, 'wss', 'ws');
  if (scheme) return scheme;
  return PATH_PREFIX.test(address.rest) ? undefined : 'must have no query, fragment or trailing slash, and only a plain path';
}

/**
 * Why `origin` is not an acceptable http(s) origin (`https://host[:port]`, `http://` only for
 * loopback/LAN hosts, no path), or undefined if it is.
 */
export function httpOriginProblem(origin: string): string | undefined {
  if (origin.length > MAX_RELAY_URL_CHARS) return `must be at most ${MAX_RELAY_URL_CHARS} characters`;
  const address = parseAddress(origin);
  if (typeof address === 'string') return address;
  const scheme = schemeProblem(address, 'https', 'http');
  if (scheme) return scheme;
  return address.rest === '' ? undefined : 'must be an origin (no path, query or fragment)';
}
