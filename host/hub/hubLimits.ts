/**
 * The hub's limits table (design.md §2 "Bounded everything"). One place, documented in
 * docs/architecture.md; every number is overridable through `HubOptions.limits`.
 */
import { CLOSE } from '../../shared/protocol/closeCodes.js';

export interface HubLimits {
  /** Simultaneous clients across all kinds; one more is closed with 1013. */
  readonly maxClients: number;
  /** Largest client message, in bytes (UTF-16 length is used as a cheap upper bound check first). */
  readonly maxMessageBytes: number;
  /** Bytes queued towards a client that stopped reading; past this the client is dropped (1008). */
  readonly maxClientOutboundBytes: number;
  /** Client messages held while its engine connection is being opened. */
  readonly maxPendingBeforeEngine: number;
  /** Requests per second a client may send (token bucket refill rate). */
  readonly requestsPerSecond: number;
  /** Burst size of that bucket. */
  readonly requestBurst: number;
  /** How long opening a client's engine connection may take. */
  readonly engineConnectTimeoutMs: number;
}

export const DEFAULT_HUB_LIMITS: HubLimits = {
  maxClients: 64,
  maxMessageBytes: 16 * 1024 * 1024,
  maxClientOutboundBytes: 32 * 1024 * 1024,
  maxPendingBeforeEngine: 256,
  requestsPerSecond: 200,
  requestBurst: 1000,
  engineConnectTimeoutMs: 15_000,
};

/**
 * Close codes the hub uses towards clients (RFC 6455 range; reasons are human-readable). The
 * numbers live in the one close-code table, shared/protocol/closeCodes.ts.
 */
export const HubCloseCode = {
  Normal: CLOSE.NORMAL,
  GoingAway: CLOSE.GOING_AWAY,
  UnsupportedData: CLOSE.UNSUPPORTED_DATA,
  PolicyViolation: CLOSE.POLICY,
  TooBig: CLOSE.TOO_BIG,
  InternalError: CLOSE.INTERNAL,
  ServiceRestart: CLOSE.SERVICE_RESTART,
  TryAgainLater: CLOSE.TRY_AGAIN_LATER,
} as const;
