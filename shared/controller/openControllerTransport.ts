/**
 * One controller session as a bare `Transport` (remote-protocol.md §3-§5), for front ends that
 * run their own reconnect loop over a transport factory (the phone web client's `HostSession`,
 * docs/mobile.md): each call is one attempt — connect, handshake, `welcome` — and resolves with
 * the encrypted session's `RecordTransport`. Nothing is retried here; a failure rejects with a
 * `RemoteSessionError` that says what happened (offline, denied/revoked, expired, host key…).
 * `ControllerSession` is the same attempt plus its own reconnects and `RpcConnection`.
 */
import type { AeadFactory } from '../crypto/aead.js';
import type { Welcome } from '../crypto/handshakeRecords.js';
import type { RecordTransport } from '../session/recordTransport.js';
import { CONTROLLER_HANDSHAKE_TIMEOUT_MS, type ControllerClock, type ControllerDevice, type ControllerTarget } from './controllerSession.js';
import { startControllerAttempt } from './controllerAttempt.js';
import { trustedHostFromLink, trustedHostKey, type TrustedHost } from './trustedHost.js';
import type { WebSocketFactory } from './webSocketLike.js';

export interface OpenTransportDeps {
  readonly device: ControllerDevice;
  readonly aead: AeadFactory;
  readonly webSocket: WebSocketFactory;
  readonly clock?: Pick<ControllerClock, 'setTimeout' | 'clearTimeout'>;
  /** Deadline of connect + handshake (default 10 s). */
  readonly handshakeTimeoutMs?: number;
}

export interface OpenedTransport {
  readonly transport: RecordTransport;
  readonly welcome: Welcome;
  /** The record to persist: after pairing, made from the link and the welcome; on resume, the host's (renamed if the host's name changed). */
  readonly trustedHost: TrustedHost;
}

const systemTimers: Pick<ControllerClock, 'setTimeout' | 'clearTimeout'> = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as Parameters<typeof clearTimeout>[0]),
};

/** One attempt; resolves once welcomed (subscribe to the transport right away), rejects with a `RemoteSessionError`. */
export function openControllerTransport(target: ControllerTarget, deps: OpenTransportDeps): Promise<OpenedTransport> {
  const link = target.mode === 'pair' ? target.link : undefined;
  const host = target.mode === 'resume' ? target.host : undefined;
  let opened: { transport: RecordTransport; welcome: Welcome } | undefined;
  const attempt = startControllerAttempt({
    relay: link?.relay ?? host!.relay,
    hostKey: link?.hostKey ?? trustedHostKey(host!),
    mode: target.mode,
    ...(link ? { pairingSecret: link.secret } : {}),
    signer: deps.device.signer,
    description: { name: deps.device.name, platform: deps.device.platform, kind: deps.device.kind },
    aead: deps.aead,
    webSocket: deps.webSocket,
    handshakeTimeoutMs: deps.handshakeTimeoutMs ?? CONTROLLER_HANDSHAKE_TIMEOUT_MS,
    timers: deps.clock ?? systemTimers,
    onHandshaking: () => {},
    onOpen: (transport, welcome) => {
      opened = { transport, welcome };
    },
  });
  return attempt.result.then(() => {
    const { transport, welcome } = opened!;
    const trustedHost = link ? trustedHostFromLink(link, welcome.host.name) : { ...host!, name: welcome.host.name };
    return { transport, welcome, trustedHost };
  });
}
