/**
 * The relay's one limits table (remote-protocol.md §3, docs/relay.md "Limits") and the options
 * of `startRelay`. Every bound the relay enforces is here, with its default; `resolveRelayOptions`
 * validates overrides so a typo in a deployment fails at start, not under load.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { Logger } from '../../shared/util/logger.js';
import { parseUnknown } from '../../shared/util/schema.js';
import type { SessionRouter } from '../router/router.js';

/** A token bucket's shape: `burst` tokens at most, refilled at `perSecond`. */
export interface RateLimit {
  readonly burst: number;
  readonly perSecond: number;
}

/** Defaults of every relay bound. Units are in the names. */
export const RELAY_LIMITS = {
  /** Largest session payload (controller frame; host frames may add the 16-byte sid). Else close 1009. */
  maxFrameBytes: 1024 * 1024,
  /** Open sessions per registered host. The next controller is closed with 4429. */
  maxSessionsPerHost: 64,
  /** WebSocket connections the relay holds at once (hosts, controllers, closing). Beyond: HTTP 503. */
  maxConnections: 10_000,
  /** A host must send a valid `register` this long after the challenge, else close 4408. */
  registrationTimeoutMs: 10_000,
  /** A controller that sends no payload this long after connecting is closed with 4408. */
  sessionHandshakeTimeoutMs: 10_000,
  /** A peer silent (no frame, no pong) this long gets a ping. */
  pingIntervalMs: 15_000,
  /** A peer silent this long is dropped (socket destroyed). */
  idleTimeoutMs: 45_000,
  /** Period of the one shared timer that checks deadlines, idleness and pings. */
  sweepIntervalMs: 1_000,
  /**
   * Send-queue bound. A controller with more than this queued is a slow consumer: closed with
   * 1008. A host above it is never closed: its controllers stop being read until it drains.
   */
  maxBufferedBytes: 8 * 1024 * 1024,
  /** Bytes a session may forward to the host before the host sends anything on it. Beyond: close 1008. */
  maxBytesBeforeHostReply: 2 * 1024 * 1024,
  /** Largest text (JSON control) frame accepted from a host. Else close 4400 (4401 before registration). */
  maxControlMessageBytes: 1024,
  /** WebSocket upgrades per client address (any endpoint). Beyond: close 4429. */
  connectionRate: { burst: 60, perSecond: 10 } satisfies RateLimit,
  /** Registrations (signature checks) and session opens per client address. Beyond: close 4429. */
  handshakeRate: { burst: 30, perSecond: 5 } satisfies RateLimit,
  /**
   * WebSocket connections open at once from one client address, so one address cannot fill
   * `maxConnections`. Twice `maxSessionsPerHost`: one address can still hold a host and a full
   * set of its sessions (e.g. everything on loopback). Beyond: close 4429.
   */
  maxConnectionsPerAddress: 128,
  /** Client addresses whose buckets are remembered; the oldest is forgotten first. */
  maxTrackedAddresses: 50_000,
  /** How long a close handshake may take before the socket is destroyed. */
  closeHandshakeTimeoutMs: 5_000,
  /** Time allowed for an HTTP request's headers (slow-loris bound). */
  httpHeadersTimeoutMs: 10_000,
} as const;

/** A monotonic millisecond clock. */
export interface Clock {
  now(): number;
}

/** Options of `startRelay`; every limit defaults to `RELAY_LIMITS`. */
export interface RelayOptions {
  /** Interface to bind. Default `127.0.0.1` (loopback only). */
  host?: string;
  /** TCP port; 0 (default) picks a free one. */
  port?: number;
  maxFrameBytes?: number;
  maxSessionsPerHost?: number;
  maxConnections?: number;
  registrationTimeoutMs?: number;
  sessionHandshakeTimeoutMs?: number;
  pingIntervalMs?: number;
  idleTimeoutMs?: number;
  sweepIntervalMs?: number;
  maxBufferedBytes?: number;
  maxBytesBeforeHostReply?: number;
  maxControlMessageBytes?: number;
  connectionRate?: RateLimit;
  handshakeRate?: RateLimit;
  maxConnectionsPerAddress?: number;
  maxTrackedAddresses?: number;
  closeHandshakeTimeoutMs?: number;
  httpHeadersTimeoutMs?: number;
  /** Where lines go; ids are only ever logged as short hashes. Default: silent. */
  logger?: Logger;
  /** Default: `performance.now()`. */
  clock?: Clock;
  /** Source of nonces and sids. Default: `node:crypto` randomBytes. */
  randomBytes?: (n: number) => Uint8Array;
  /**
   * Session routing. Default: a fresh in-memory router using `maxSessionsPerHost`. A router
   * passed in stays owned by the caller (the relay does not close it).
   */
  router?: SessionRouter;
  /**
   * Take the client address from the last `X-Forwarded-For` entry (the address the reverse
   * proxy saw), falling back to the TCP peer address when the header is missing or not an IP.
   * Only enable this behind a proxy that sets or overwrites that header: otherwise any client
   * can pick the address its limits are counted against. Default false. Exclusive with
   * `clientAddress`.
   */
  trustProxy?: boolean;
  /**
   * The client address rate limits and the per-address connection cap are keyed on. Default:
   * the TCP peer address (see `trustProxy`).
   */
  clientAddress?: (req: IncomingMessage) => string;
  /**
   * Serves plain HTTP requests other than `/healthz` and `/v1/*` (e.g. the phone web client at
   * `/` and `/pair`). Return true when the response was handled; false lets the relay answer 404.
   */
  staticHandler?: (req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>;
}

const positiveInt = z.number().int().positive().max(2 ** 31);
const rateSchema = z.strictObject({ burst: positiveInt, perSecond: z.number().positive().finite() });

const limitsSchema = z.strictObject({
  host: z.string().min(1).max(255),
  port: z.number().int().min(0).max(65535),
  maxFrameBytes: positiveInt,
  maxSessionsPerHost: positiveInt,
  maxConnections: positiveInt,
  registrationTimeoutMs: positiveInt,
  sessionHandshakeTimeoutMs: positiveInt,
  pingIntervalMs: positiveInt,
  idleTimeoutMs: positiveInt,
  sweepIntervalMs: positiveInt,
  maxBufferedBytes: positiveInt,
  maxBytesBeforeHostReply: positiveInt,
  maxControlMessageBytes: z.number().int().min(256).max(65536),
  connectionRate: rateSchema,
  handshakeRate: rateSchema,
  maxConnectionsPerAddress: positiveInt,
  maxTrackedAddresses: positiveInt,
  closeHandshakeTimeoutMs: positiveInt,
  httpHeadersTimeoutMs: positiveInt,
});

/** The numeric part of the options, fully resolved. */
export type ResolvedRelayLimits = z.output<typeof limitsSchema>;

/**
 * Merges `options` over the defaults and validates the result.
 * Throws a `SchemaParseError` ("startRelay: options: …") on a bad value.
 */
export function resolveRelayLimits(options: RelayOptions): ResolvedRelayLimits {
  const merged = {
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 0,
    maxFrameBytes: options.maxFrameBytes ?? RELAY_LIMITS.maxFrameBytes,
    maxSessionsPerHost: options.maxSessionsPerHost ?? RELAY_LIMITS.maxSessionsPerHost,
    maxConnections: options.maxConnections ?? RELAY_LIMITS.maxConnections,
    registrationTimeoutMs: options.registrationTimeoutMs ?? RELAY_LIMITS.registrationTimeoutMs,
    sessionHandshakeTimeoutMs: options.sessionHandshakeTimeoutMs ?? RELAY_LIMITS.sessionHandshakeTimeoutMs,
    pingIntervalMs: options.pingIntervalMs ?? RELAY_LIMITS.pingIntervalMs,
    idleTimeoutMs: options.idleTimeoutMs ?? RELAY_LIMITS.idleTimeoutMs,
    sweepIntervalMs: options.sweepIntervalMs ?? RELAY_LIMITS.sweepIntervalMs,
    maxBufferedBytes: options.maxBufferedBytes ?? RELAY_LIMITS.maxBufferedBytes,
    maxBytesBeforeHostReply: options.maxBytesBeforeHostReply ?? RELAY_LIMITS.maxBytesBeforeHostReply,
    maxControlMessageBytes: options.maxControlMessageBytes ?? RELAY_LIMITS.maxControlMessageBytes,
    connectionRate: options.connectionRate ?? RELAY_LIMITS.connectionRate,
    handshakeRate: options.handshakeRate ?? RELAY_LIMITS.handshakeRate,
    maxConnectionsPerAddress: options.maxConnectionsPerAddress ?? RELAY_LIMITS.maxConnectionsPerAddress,
    maxTrackedAddresses: options.maxTrackedAddresses ?? RELAY_LIMITS.maxTrackedAddresses,
    closeHandshakeTimeoutMs: options.closeHandshakeTimeoutMs ?? RELAY_LIMITS.closeHandshakeTimeoutMs,
    httpHeadersTimeoutMs: options.httpHeadersTimeoutMs ?? RELAY_LIMITS.httpHeadersTimeoutMs,
  };
  const limits = parseUnknown(limitsSchema, merged, 'startRelay: options');
  if (options.trustProxy !== undefined && typeof options.trustProxy !== 'boolean') {
    throw new Error('startRelay: options: trustProxy must be a boolean');
  }
  if (options.trustProxy && options.clientAddress) {
    throw new Error('startRelay: options: trustProxy and clientAddress are exclusive');
  }
  if (limits.idleTimeoutMs <= limits.pingIntervalMs) {
    throw new Error('startRelay: options: idleTimeoutMs must be greater than pingIntervalMs');
  }
  return limits;
}
