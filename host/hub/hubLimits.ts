/**
 * The hub's limits table (docs/architecture.md "Hub limits"). One place, documented in
 * docs/architecture.md; every number is overridable through `HubOptions.limits`.
 */
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

/** Close codes the hub uses towards clients (RFC 6455 range; reasons are human-readable). */
export const HubCloseCode = {
  Normal: 1000,
  GoingAway: 1001,
  UnsupportedData: 1003,
  PolicyViolation: 1008,
  TooBig: 1009,
  InternalError: 1011,
  ServiceRestart: 1012,
  TryAgainLater: 1013,
} as const;
