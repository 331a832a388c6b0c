/**
 * Where controllers reach the relay: the WebSocket base URL in pairing links and the http(s)
 * origin the link itself points at (the relay may serve the phone client there).
 */
import os from 'node:os';
import { httpOriginProblem, relayUrlProblem } from '../../shared/pairing/relayUrl.js';

export interface RelayAddress {
  /** ws(s)://host[:port] — no path, no trailing slash. */
  readonly wsUrl: string;
  /** http(s)://host[:port] */
  readonly httpOrigin: string;
}

/** From a user-given relay URL (`ws://`, `wss://`, `http://` or `https://`; a trailing slash is fine). */
export function relayAddressFromUrl(url: string): RelayAddress {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new Error(`--relay: "${url}" is not a URL (expected wss://host[:port] or ws://IP:PORT)`);
  }
  const secure = u.protocol === 'wss:' || u.protocol === 'https:';
  if (!secure && u.protocol !== 'ws:' && u.protocol !== 'http:') throw new Error(`--relay: unsupported scheme ${u.protocol} (use wss:// or ws://)`);
  if (u.pathname !== '/' || u.search || u.hash || u.username || u.password) throw new Error('--relay: give only the scheme, host and port (no path, query or credentials)');
  return checked({ wsUrl: `${secure ? 'wss' : 'ws'}://${u.host}`, httpOrigin: `${secure ? 'https' : 'http'}://${u.host}` }, '--relay');
}

/** Pairing links only accept wss://, or ws:// to loopback/LAN hosts: refuse anything else up front. */
function checked(a: RelayAddress, what: string): RelayAddress {
  const problem = relayUrlProblem(a.wsUrl) ?? httpOriginProblem(a.httpOrigin);
  if (problem) throw new Error(`${what}: the relay address ${a.wsUrl} ${problem} (phones could not pair through it; put the relay behind TLS and use --relay wss://…)`);
  return a;
}

/**
 * For the embedded relay bound to `host:port` (`secure`: it serves TLS itself). An unspecified
 * bind address (0.0.0.0 / ::) is not reachable as such, so the link names this machine's first
 * non-internal IPv4 address.
 */
export function relayAddressForBind(host: string, port: number, secure = false): RelayAddress {
  let h = host;
  if (h === '0.0.0.0' || h === '::') {
    const nets = Object.values(os.networkInterfaces()).flat();
    h = nets.find((n) => n && n.family === 'IPv4' && !n.internal)?.address ?? '127.0.0.1';
  }
  const hp = h.includes(':') ? `[${h}]:${port}` : `${h}:${port}`;
  return checked(secure ? { wsUrl: `wss://${hp}`, httpOrigin: `https://${hp}` } : { wsUrl: `ws://${hp}`, httpOrigin: `http://${hp}` }, '--relay-listen');
}
