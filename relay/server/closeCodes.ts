/**
 * WebSocket close codes the relay uses (remote-protocol.md §3; docs/relay.md "Close codes").
 * 4400-4499 are the protocol's own; 1000-1015 keep their RFC 6455 meaning.
 */
export const CLOSE = {
  /** Relay shutting down. */
  GOING_AWAY: 1001,
  /** Slow consumer: the destination's send queue passed `maxBufferedBytes`. */
  POLICY: 1008,
  /** Frame larger than `maxFrameBytes` (sent by `ws` itself). */
  TOO_BIG: 1009,
  /** The router failed (e.g. a backplane error). */
  INTERNAL: 1011,
  /** Malformed request or message, or a message not allowed in this state. */
  BAD_REQUEST: 4400,
  /** Host registration failed (bad signature, malformed `register`). */
  UNAUTHORIZED: 4401,
  /** The host ended the session (reason chosen by the host). */
  FORBIDDEN: 4403,
  /** The host is not registered, or its connection went away. */
  OFFLINE: 4404,
  /** Registration or session handshake took too long. */
  TIMEOUT: 4408,
  /** A newer registration of the same host replaced this connection. */
  REPLACED: 4409,
  /** Rate limit, or too many sessions for one host. */
  RATE_LIMITED: 4429,
} as const;

/** Longest close reason in UTF-8 bytes (RFC 6455: 125-byte control frame payload minus the code). */
export const MAX_CLOSE_REASON_BYTES = 123;
