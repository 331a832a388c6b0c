/**
 * The relay's one limits table (remote-protocol.md §3, docs/relay.md "Limits") and the options
 * of `startRelay`. Every bound the relay enforces is declared once, in `RELAY_LIMITS`, with its
 * default: the options type, the validation schema and the merge are derived from it, so adding a
 * limit is one entry. `resolveRelayLimits` validates overrides so a typo in a deployment fails at
 * start, not under load.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { DEFAULT_MAX_HOST_TO_RELAY_BYTES } from '../../shared/relay/messages.js';
import type { Logger } from '../../shared/util/logger.js';
import type { RateLimit } from '../../shared/util/tokenBucket.js';
import { parseUnknown } from '../../shared/util/schema.js';
import type { SessionRouter } from '../router/router.js';

/** Defaults of every relay bound. Units are in the names. Adding a limit is one entry here. */
const DEFAULTS = {
  /** Largest session payload (controller frame; host frames may add the 16-byte sid). Else close 1009. */
  maxFrameBytes: 1024 * 1024,
  /** Open sessions per registered host. The next controller is closed with 4429. */
  maxSessionsPerHost: 64,
  /**
   * Sessions of one host that have not finished their handshake (see
   * `sessionHandshakeTimeoutMs`). A new session beyond it closes the oldest pending one with
   * 4429, so strangers who know a hostId cannot keep its trusted devices out.
   */
  maxPendingSessionsPerHost: 16,
  /** WebSocket connections the relay holds at once (hosts, controllers, closing). Beyond: HTTP 503. */
  maxConnections: 10_000,
  /**
   * TCP sockets open at once, upgraded or not. A socket beyond it first drops the oldest socket
   * that has not finished its HTTP request or upgrade; only if there is none is it refused.
   * Keep it below the process's file-descriptor limit.
   */
  maxSockets: 11_000,
  /**
   * TCP sockets from one client address that have not finished their HTTP request or upgrade.
   * A new one beyond it drops that address's oldest. Not applied with `trustProxy` or
   * `clientAddress` (every socket then comes from the proxy).
   */
  maxPendingSocketsPerAddress: 16,
  /** A host must send a valid `register` this long after the challenge, else close 4408. */
  registrationTimeoutMs: 10_000,
  /**
   * A session must finish its handshake this long after the controller connected, else close
   * 4408: two payloads each way (ClientHello and ClientAuth from the controller, ServerHello and
   * the first record from the host, remote-protocol.md §4). Until then it is pending.
   */
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
  maxControlMessageBytes: DEFAULT_MAX_HOST_TO_RELAY_BYTES,
  /** WebSocket upgrades per client address (any endpoint). Beyond: close 4429. */
  connectionRate: rate(60, 10),
  /** Registrations (signature checks) and session opens per client address. Beyond: close 4429. */
  handshakeRate: rate(30, 5),
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
  /**
   * Time from TCP accept to a complete request or upgrade (the first-message / slow-loris
   * deadline), enforced by the relay's own sweep, not Node's 30 s one.
   */
  httpHeadersTimeoutMs: 10_000,
};

/** Every relay bound (`RELAY_LIMITS` holds the defaults). */
export type RelayLimits = Readonly<typeof DEFAULTS>;

/** The defaults of every relay bound (docs/relay.md "Limits"). */
export const RELAY_LIMITS: RelayLimits = Object.freeze(DEFAULTS);

/**
 * The limits of the relay a host embeds in its own process (`codex-host serve` without
 * `--relay`). It serves one host and that host's devices, so it needs few sockets, and it must
 * never use up the file descriptors the host needs for its engine, listener, control endpoint
 * and state files: 256 sockets in all, well under the lowest common soft limit (1024; Node
 * raises its own limit to the hard limit, usually far higher). Room: 64 sessions + the host's own
 * connection + rejected and pending sockets; pending ones are dropped first when it is full.
 */
export const EMBEDDED_RELAY_LIMITS: Partial<RelayLimits> = Object.freeze({
  maxSockets: 256,
  maxConnections: 192,
  maxConnectionsPerAddress: 128,
  maxTrackedAddresses: 1_024,
});

function rate(burst: number, perSecond: number): RateLimit {
  return Object.freeze({ burst, perSecond });
}

/** A monotonic millisecond clock. */
export interface Clock {
  now(): number;
}

/** Options of `startRelay`: every limit of `RelayLimits` (default `RELAY_LIMITS`), and the collaborators. */
export type RelayOptions = Partial<RelayLimits> & RelayCollaborators;

/** The non-numeric options of `startRelay`. */
export interface RelayCollaborators {
  /** Interface to bind. Default `127.0.0.1` (loopback only). */
  host?: string;
  /** TCP port; 0 (default) picks a free one. */
  port?: number;
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
  /**
   * Serve HTTPS and WSS with this certificate and key (PEM files, reloaded when they change;
   * relayTls.ts). Default: plain HTTP and WS (behind a TLS-terminating proxy, or on loopback).
   */
  tls?: { readonly certFile: string; readonly keyFile: string };
}

const positiveInt = z.number().int().positive().max(2 ** 31);
const rateSchema = z.strictObject({ burst: positiveInt, perSecond: z.number().positive().finite() });
/** Limits whose bounds are not "a positive integer" (numbers) or "a rate" (objects). */
const SPECIAL_BOUNDS: Partial<Record<keyof RelayLimits, z.ZodType>> = {
  maxControlMessageBytes: z.number().int().min(256).max(65536),
};

/** One validator per key of `RELAY_LIMITS`, derived from its default's shape. */
const limitsSchema = z.strictObject({
  host: z.string().min(1).max(255),
  port: z.number().int().min(0).max(65535),
  ...Object.fromEntries(
    (Object.keys(RELAY_LIMITS) as (keyof RelayLimits)[]).map((k) => [k, SPECIAL_BOUNDS[k] ?? (typeof RELAY_LIMITS[k] === 'number' ? positiveInt : rateSchema)]),
  ),
});

/** The numeric part of the options, fully resolved, plus where to bind. */
export type ResolvedRelayLimits = RelayLimits & { readonly host: string; readonly port: number };

/** The limits `options` sets (undefined means "the default"). */
function definedLimits(options: RelayOptions): Partial<RelayLimits> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(RELAY_LIMITS) as (keyof RelayLimits)[]) if (options[k] !== undefined) out[k] = options[k];
  return out as Partial<RelayLimits>;
}

/**
 * Merges `options` over the defaults and validates the result.
 * Throws a `SchemaParseError` ("startRelay: options: …") on a bad value.
 */
export function resolveRelayLimits(options: RelayOptions): ResolvedRelayLimits {
  const limits: ResolvedRelayLimits = { ...RELAY_LIMITS, host: options.host ?? '127.0.0.1', port: options.port ?? 0, ...definedLimits(options) };
  parseUnknown(limitsSchema, limits, 'startRelay: options');
  if (options.trustProxy !== undefined && typeof options.trustProxy !== 'boolean') {
    throw new Error('startRelay: options: trustProxy must be a boolean');
  }
  if (options.trustProxy && options.clientAddress) {
    throw new Error('startRelay: options: trustProxy and clientAddress are exclusive');
  }
  if (limits.idleTimeoutMs <= limits.pingIntervalMs) {
    throw new Error('startRelay: options: idleTimeoutMs must be greater than pingIntervalMs');
  }
  if (limits.maxSockets < limits.maxConnections) {
    throw new Error('startRelay: options: maxSockets must be at least maxConnections');
  }
  return limits;
}
