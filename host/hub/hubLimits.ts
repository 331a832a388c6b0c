/**
 * The hub's limits table (docs/architecture.md "Hub limits"). One place, documented in
 * docs/architecture.md; every number is overridable through `HubOptions.limits`.
 */
import type { ClientKind } from '../../shared/protocol/clientIdentity.js';
import { CLOSE } from '../../shared/protocol/closeCodes.js';

export interface HubLimits {
  /** Simultaneous clients across all kinds; one more is closed with 1013. */
  readonly maxClients: number;
  /**
   * Of `maxClients`, this many are kept for the host's admins (`cli`, `desktop`): other kinds
   * are refused once only these are left, so revoking a device always works (red-team P1).
   */
  readonly reservedAdminSlots: number;
  /** Simultaneous clients of one kind. */
  readonly maxClientsPerKind: Readonly<Record<ClientKind, number>>;
  /** Simultaneous sessions of one paired device (`phone` / `host` clients with the same id). */
  readonly maxSessionsPerDevice: number;
  /** Largest client message, in bytes (UTF-16 length is used as a cheap upper bound check first). */
  readonly maxMessageBytes: number;
  /** Bytes queued towards a client that stopped reading; past this the client is dropped (1008). */
  readonly maxClientOutboundBytes: number;
  /** Client messages held while its engine connection is being opened. */
  readonly maxPendingBeforeEngine: number;
  /** Client messages queued behind an approval answer that waits for its audit line… */
  readonly maxHeldMessages: number;
  /** …and their bytes; beyond either, a message is refused with -32001. */
  readonly maxHeldBytes: number;
  /** Messages per second a client may send: requests, notifications and answers (token bucket refill rate). */
  readonly requestsPerSecond: number;
  /** Burst size of that bucket. */
  readonly requestBurst: number;
  /** How long opening a client's engine connection may take. */
  readonly engineConnectTimeoutMs: number;
}

/** What `HubOptions.limits` may override (per-kind caps one kind at a time). */
export type HubLimitOverrides = Partial<Omit<HubLimits, 'maxClientsPerKind'>> & {
  readonly maxClientsPerKind?: Partial<Record<ClientKind, number>>;
};

export const DEFAULT_HUB_LIMITS: HubLimits = {
  maxClients: 64,
  reservedAdminSlots: 8,
  maxClientsPerKind: { desktop: 16, cli: 16, tui: 32, phone: 32, host: 32 },
  maxSessionsPerDevice: 8,
  maxMessageBytes: 16 * 1024 * 1024,
  maxClientOutboundBytes: 32 * 1024 * 1024,
  maxPendingBeforeEngine: 256,
  maxHeldMessages: 256,
  maxHeldBytes: 8 * 1024 * 1024,
  requestsPerSecond: 200,
  requestBurst: 1000,
  engineConnectTimeoutMs: 15_000,
};

export function resolveHubLimits(overrides: HubLimitOverrides = {}): HubLimits {
  return {
    ...DEFAULT_HUB_LIMITS,
    ...overrides,
    maxClientsPerKind: { ...DEFAULT_HUB_LIMITS.maxClientsPerKind, ...overrides.maxClientsPerKind },
  };
}

/**
 * Close codes the hub uses towards clients (RFC 6455 range; reasons are human-readable). The
 * numbers live in the one close-code table, shared/protocol/closeCodes.ts.
 */
export const HubCloseCode = {
  GoingAway: CLOSE.GOING_AWAY,
  PolicyViolation: CLOSE.POLICY,
  TooBig: CLOSE.TOO_BIG,
  InternalError: CLOSE.INTERNAL,
  ServiceRestart: CLOSE.SERVICE_RESTART,
  TryAgainLater: CLOSE.TRY_AGAIN_LATER,
} as const;
