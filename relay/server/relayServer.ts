/**
 * The relay server (remote-protocol.md §3; docs/relay.md): an HTTP server with `/healthz`, the
 * WebSocket endpoints `/v1/host` and `/v1/connect`, and an optional static handler for the phone
 * web client. It forwards session payloads between hosts and controllers without parsing them,
 * and logs ids only as short hashes.
 *
 * Its parts, each in its own file: `RelayHttp` (the Node server, the raw-socket guard, plain
 * requests), `RelayUpgrades` (WebSocket admission, peers, the sweep), `RelayShutdown` (the
 * ordered close), and the `SessionRouter` (relay/router/) that pairs controllers with hosts.
 */
import { randomBytes as nodeRandomBytes } from 'node:crypto';
import { silentLogger } from '../../shared/util/logger.js';
import { createInMemorySessionRouter } from '../router/router.js';
import { forwardedClientAddress, socketClientAddress } from './clientAddress.js';
import { resolveRelayLimits, type Clock, type RelayOptions } from './limits.js';
import { RelayHttp } from './relayHttp.js';
import { RelayShutdown } from './relayShutdown.js';
import { RelayTls } from './relayTls.js';
import { RelayUpgrades } from './relayUpgrades.js';

/** What `Relay.stats()` reports. */
export interface RelayStats {
  /** Registered hosts. */
  readonly hosts: number;
  /** Open controller sessions. */
  readonly sessions: number;
  /** Open WebSocket connections (hosts, controllers, and ones being closed). */
  readonly connections: number;
  /** Open TCP sockets, upgraded or not. */
  readonly sockets: number;
  /** TCP sockets that have not sent a complete request or upgrade yet. */
  readonly pendingSockets: number;
  /** TCP sockets dropped for the header deadline or to make room (since start). */
  readonly socketsDropped: number;
  readonly unknownSidFrames: number;
  readonly rateLimited: number;
  /** Controllers closed because they did not read what their host sent. */
  readonly slowConsumers: number;
  /** Times a controller stopped being read because its host's send queue was full. */
  readonly hostBackpressurePauses: number;
}

/** A running relay. */
export interface Relay {
  /** WebSocket base URL, `ws://IP:PORT` (`wss://` with TLS; IPv6 in brackets). */
  readonly url: string;
  /** HTTP origin, `http://IP:PORT` (`https://` with TLS). */
  readonly httpUrl: string;
  /** The bound address (IPv6 without brackets) and port (the real one when 0 was asked for). */
  readonly host: string;
  readonly port: number;
  /** Closes every connection (1001) and the listener. Idempotent. */
  dispose(): Promise<void>;
  stats(): RelayStats;
}

/**
 * Starts a relay listening on `options.host:options.port` (default `127.0.0.1:0`).
 * Rejects when the options are invalid or the address cannot be bound.
 */
export async function startRelay(options: RelayOptions = {}): Promise<Relay> {
  const limits = resolveRelayLimits(options);
  const logger = (options.logger ?? silentLogger).child('relay');
  const clock: Clock = options.clock ?? { now: () => performance.now() };
  const randomBytes = options.randomBytes ?? ((n: number) => new Uint8Array(nodeRandomBytes(n)));
  const router =
    options.router ??
    createInMemorySessionRouter({ maxSessionsPerHost: limits.maxSessionsPerHost, maxPendingSessionsPerHost: limits.maxPendingSessionsPerHost, randomBytes });
  const peerIsClient = !options.trustProxy && !options.clientAddress;
  const clientAddress = options.clientAddress ?? (options.trustProxy ? forwardedClientAddress : socketClientAddress);

  const upgrades = new RelayUpgrades({ limits, logger, clock, router, randomBytes, clientAddress });
  const tls = options.tls ? new RelayTls(options.tls, logger) : undefined;
  const http = new RelayHttp({
    limits,
    logger,
    clock,
    peerIsClient,
    ...(options.staticHandler ? { staticHandler: options.staticHandler } : {}),
    ...(tls ? { tls } : {}),
    onUpgrade: (req, socket, head) => upgrades.handle(req, socket, head),
  });
  const shutdown = new RelayShutdown(http, upgrades, options.router === undefined ? router : undefined, logger);

  let addr;
  try {
    addr = await http.listen();
  } catch (err) {
    tls?.dispose();
    throw err;
  }
  upgrades.start();
  const hostPart = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  logger.info('relay listening', { address: `${hostPart}:${addr.port}`, tls: tls !== undefined });

  return {
    url: `${tls ? 'wss' : 'ws'}://${hostPart}:${addr.port}`,
    httpUrl: `${tls ? 'https' : 'http'}://${hostPart}:${addr.port}`,
    host: addr.address,
    port: addr.port,
    stats: () => ({ ...router.stats(), connections: upgrades.connections, ...http.socketStats(), ...upgrades.counters }),
    dispose: () => shutdown.run().finally(() => tls?.dispose()),
  };
}
