/**
 * The controller library (remote-protocol.md §3-§6): pair with a host from its link, resume
 * later, and speak JSON-RPC over the end-to-end encrypted relay session. No DOM, no Node: the
 * WebSocket, the AEAD and the device key are injected. The session transport and close-code
 * rules are shared with the host's relay client (host/remote-access).
 */
export { Backoff, type BackoffOptions, DEFAULT_BACKOFF_INITIAL_MS, DEFAULT_BACKOFF_MAX_MS } from '../util/backoff.js';
export {
  connectController,
  CONTROLLER_HANDSHAKE_TIMEOUT_MS,
  CONTROLLER_STABLE_AFTER_MS,
  type ControllerClock,
  type ControllerDeps,
  type ControllerDevice,
  type ControllerOptions,
  ControllerSession,
  type ControllerState,
  type ControllerTarget,
  pair,
  resume,
} from './controllerSession.js';
export { type ControllerTimers } from './controllerAttempt.js';
export { openControllerTransport, type OpenedTransport, type OpenTransportDeps } from './openControllerTransport.js';
export { RecordTransport, type RecordTransportOptions } from '../session/recordTransport.js';
export { errorFromClose, errorFromFailure, type RemoteErrorKind, RemoteSessionError } from './remoteSessionError.js';
export {
  fromRelaySessionCloseCode,
  MAX_CLOSE_REASON_BYTES,
  RELAY_SESSION_CLOSE_MAX,
  RELAY_SESSION_CLOSE_MIN,
  toControllerSocketCloseCode,
  toRelaySessionCloseCode,
  truncateCloseReason,
} from '../protocol/closeCodes.js';
export { parseTrustedHost, type TrustedHost, trustedHostFromLink, trustedHostKey } from './trustedHost.js';
export { binaryFrameBytes, sendableBytes, type CloseEventLike, type MessageEventLike, type WebSocketFactory, type WebSocketLike } from './webSocketLike.js';
