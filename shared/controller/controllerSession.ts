/**
 * A controller session (docs/terminology.md, remote-protocol.md §3-§6): pair with a link or resume a
 * trusted host, then talk JSON-RPC to the host over the end-to-end encrypted session.
 *
 *   const { session, trustedHost } = await pair(linkText, deps);   // persist trustedHost
 *   await session.rpc.request('initialize', {...});
 *   const later = await resume(trustedHost, deps);
 *
 * Reconnects (design choice): a session that was open and drops for a retryable reason (host
 * offline, network, timeout, rate limit, protocol error) reconnects by itself with backoff as a
 * new *resume* session (after a pairing too: the device is trusted by then). Each reconnect is a
 * new handshake with new keys and a new `RpcConnection`, which the host's app server sees as a new
 * client: `rpc` then returns the new connection and `onReconnected(rpc)` fires, and the caller
 * must initialize and subscribe again. A stable facade would hide that the server-side state was
 * lost, so there is none. Not retried: a closed-by-user session, `denied` (incl. revoked),
 * `expired`, `host_key` (the host did not prove its pinned key), a normal close by the host, and
 * the first attempt of `pair`/`resume` (its failure rejects `opened`; pairing is one-shot).
 */
import type { AeadFactory } from '../crypto/aead.js';
import { checkDeviceDescription, type DeviceDescription, type Welcome, type WelcomeHost } from '../crypto/handshakeRecords.js';
import type { Signer } from '../crypto/identity.js';
import { type PairingLink, parsePairingLink } from '../pairing/pairingLink.js';
import { CLOSE } from '../protocol/closeCodes.js';
import { RpcConnection, type RpcConnectionOptions } from '../rpc/connection.js';
import { type CloseInfo } from '../rpc/transport.js';
import { Emitter, type Disposable } from '../util/lifecycle.js';
import { silentLogger, type Logger } from '../util/logger.js';
import { Backoff } from '../util/backoff.js';
import { type ControllerAttempt, type ControllerTimers, startControllerAttempt } from './controllerAttempt.js';
import type { RecordTransport } from '../session/recordTransport.js';
import { errorFromClose, RemoteSessionError } from './remoteSessionError.js';
import { parseTrustedHost, type TrustedHost, trustedHostFromLink, trustedHostKey } from './trustedHost.js';
import type { WebSocketFactory } from './webSocketLike.js';

/** Default deadline for connect + `ready` + handshake (remote-protocol.md §4: 10 s). */
export const CONTROLLER_HANDSHAKE_TIMEOUT_MS = 10_000;
/** An open session that lasted this long resets the reconnect backoff. */
export const CONTROLLER_STABLE_AFTER_MS = 10_000;

/**
 * - `connecting`: opening the relay WebSocket, waiting for `ready`.
 * - `handshaking`: the end-to-end handshake is running.
 * - `open`: welcomed; `rpc` works.
 * - `reconnecting`: the session dropped and a new one will be attempted after a backoff delay.
 * - `closed`: over (closed by the user, a failure that is not retried, or a normal host close); see `error`.
 * - `denied`: over; the host refused this device or the code (`error.kind` is `denied` or `expired`).
 */
export type ControllerState = 'connecting' | 'handshaking' | 'open' | 'reconnecting' | 'closed' | 'denied';

/** This device: its identity key (never leaves the `Signer`) and what it announces. */
export interface ControllerDevice extends DeviceDescription {
  readonly signer: Signer;
}

export interface ControllerClock extends ControllerTimers {
  /** Wall-clock ms (pairing-link expiry, backoff reset). */
  now(): number;
}

export interface ControllerDeps {
  readonly device: ControllerDevice;
  readonly aead: AeadFactory;
  /** e.g. `(url) => new WebSocket(url)` (browser) or `(url) => new WebSocket(url)` from `ws`. */
  readonly webSocket: WebSocketFactory;
  /** Uniform [0, 1) for backoff jitter (default `Math.random`). */
  readonly random?: () => number;
  readonly clock?: ControllerClock;
  readonly logger?: Logger;
}

export interface ControllerOptions {
  /** Deadline of each attempt's connect + handshake (default 10 s). */
  readonly handshakeTimeoutMs?: number;
  /** Reconnect backoff (default 250 ms doubling to 30 s), or `false` to never reconnect. */
  readonly reconnect?: false | { readonly initialMs?: number; readonly maxMs?: number };
  /** Open this long to reset the backoff (default 10 s). */
  readonly stableAfterMs?: number;
  /** Options of each `RpcConnection` (`includeJsonRpcVersion` is always on: the records carry it). */
  readonly rpc?: Omit<RpcConnectionOptions, 'includeJsonRpcVersion'>;
}

/** What to connect to: a parsed pairing link, or a trusted host to resume. */
export type ControllerTarget = { readonly mode: 'pair'; readonly link: PairingLink } | { readonly mode: 'resume'; readonly host: TrustedHost };

const systemClock: ControllerClock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as Parameters<typeof clearTimeout>[0]),
};

export class ControllerSession {
  readonly #deps: ControllerDeps;
  readonly #clock: ControllerClock;
  readonly #logger: Logger;
  readonly #handshakeTimeoutMs: number;
  readonly #stableAfterMs: number;
  readonly #rpcOptions: RpcConnectionOptions;
  readonly #backoff: Backoff | undefined;
  readonly #stateChanges = new Emitter<{ state: ControllerState; error: RemoteSessionError | undefined }>();
  readonly #reconnects = new Emitter<RpcConnection>();
  #target: ControllerTarget;
  #state: ControllerState = 'connecting';
  #error: RemoteSessionError | undefined;
  #attempt: ControllerAttempt | undefined;
  #transport: RecordTransport | undefined;
  #rpc: RpcConnection | undefined;
  #welcome: Welcome | undefined;
  #trustedHost: TrustedHost | undefined;
  #retryTimer: unknown;
  #openedAt = 0;
  #everOpened = false;
  #userClosed = false;
  #resolveOpened!: () => void;
  #rejectOpened!: (err: RemoteSessionError) => void;
  /** Resolves when the first attempt is welcomed; rejects with a `RemoteSessionError` if it fails. */
  readonly opened: Promise<void>;

  /** Use `connectController`, `pair` or `resume`. */
  constructor(target: ControllerTarget, deps: ControllerDeps, options: ControllerOptions = {}) {
    checkDeviceDescription(deps.device);
    this.#target = target;
    this.#deps = deps;
    this.#clock = deps.clock ?? systemClock;
    this.#logger = (deps.logger ?? silentLogger).child('controller');
    this.#handshakeTimeoutMs = options.handshakeTimeoutMs ?? CONTROLLER_HANDSHAKE_TIMEOUT_MS;
    this.#stableAfterMs = options.stableAfterMs ?? CONTROLLER_STABLE_AFTER_MS;
    this.#rpcOptions = { ...options.rpc, includeJsonRpcVersion: true };
    this.#backoff = options.reconnect === false ? undefined : new Backoff({ ...options.reconnect, ...(deps.random ? { random: deps.random } : {}) });
    if (target.mode === 'resume') this.#trustedHost = target.host;
    this.opened = new Promise<void>((resolve, reject) => {
      this.#resolveOpened = resolve;
      this.#rejectOpened = reject;
    });
    // Callers that only watch `onStateChange` must not get an unhandled rejection.
    this.opened.catch(() => {});
    this.#connect();
  }

  get state(): ControllerState {
    return this.#state;
  }

  /** Why the session is not open (the last failure), or undefined. */
  get error(): RemoteSessionError | undefined {
    return this.#error;
  }

  /**
   * The JSON-RPC connection of the current (or last) session. A reconnect replaces it (see
   * `onReconnected`); the old one is closed. Throws before the first `welcome`.
   */
  get rpc(): RpcConnection {
    if (!this.#rpc) throw new Error('ControllerSession.rpc: the session has not opened yet');
    return this.#rpc;
  }

  /** The host as its last `welcome` described it. */
  get host(): WelcomeHost | undefined {
    return this.#welcome?.host;
  }

  /** This device as the host knows it (id, and the host's name for it) from the last `welcome`. */
  get device(): { readonly id: string; readonly name: string } | undefined {
    return this.#welcome?.device;
  }

  /** The record to persist for `resume` (after pairing: set at `welcome`; the name follows the host's). */
  get trustedHost(): TrustedHost | undefined {
    return this.#trustedHost;
  }

  onStateChange(listener: (state: ControllerState, error: RemoteSessionError | undefined) => void): Disposable {
    return this.#stateChanges.on(({ state, error }) => listener(state, error));
  }

  /** Fires with the new `RpcConnection` after each automatic reconnect (initialize it again). */
  onReconnected(listener: (rpc: RpcConnection) => void): Disposable {
    return this.#reconnects.on(listener);
  }

  /** Ends the session for good (state `closed`); idempotent. */
  close(): void {
    if (this.#userClosed) return;
    this.#userClosed = true;
    this.#clock.clearTimeout(this.#retryTimer);
    this.#attempt?.cancel();
    this.#transport?.close(CLOSE.NORMAL, 'closed by the controller');
    const err = new RemoteSessionError('closed', 'closed', 'remote session: closed by the user');
    if (!this.#everOpened) this.#rejectOpened(err);
    if (this.#state !== 'closed' && this.#state !== 'denied') this.#setState('closed', err);
  }

  #connect(): void {
    const target = this.#target;
    const link = target.mode === 'pair' ? target.link : undefined;
    const host = target.mode === 'resume' ? target.host : undefined;
    this.#setState('connecting', this.#error);
    const attempt = startControllerAttempt({
      relay: link?.relay ?? host!.relay,
      hostKey: link?.hostKey ?? trustedHostKey(host!),
      mode: target.mode,
      ...(link ? { pairingSecret: link.secret } : {}),
      signer: this.#deps.device.signer,
      description: { name: this.#deps.device.name, platform: this.#deps.device.platform, kind: this.#deps.device.kind },
      aead: this.#deps.aead,
      webSocket: this.#deps.webSocket,
      handshakeTimeoutMs: this.#handshakeTimeoutMs,
      timers: this.#clock,
      onHandshaking: () => this.#setState('handshaking', this.#error),
      onOpen: (transport, welcome) => this.#onOpen(transport, welcome),
    });
    this.#attempt = attempt;
    attempt.result.catch((err: RemoteSessionError) => {
      if (this.#attempt === attempt) this.#attempt = undefined;
      if (this.#userClosed) return;
      if (!this.#everOpened) {
        this.#finish(err);
        this.#rejectOpened(err);
      } else this.#retryOrFinish(err);
    });
  }

  #onOpen(transport: RecordTransport, welcome: Welcome): void {
    this.#attempt = undefined;
    this.#transport = transport;
    this.#welcome = welcome;
    const rpc = new RpcConnection(transport, this.#rpcOptions);
    this.#rpc = rpc;
    if (this.#target.mode === 'pair') {
      this.#trustedHost = trustedHostFromLink(this.#target.link, welcome.host.name);
      // From now on the device is trusted: later sessions resume.
      this.#target = { mode: 'resume', host: this.#trustedHost };
    } else if (this.#trustedHost && this.#trustedHost.name !== welcome.host.name) {
      this.#trustedHost = { ...this.#trustedHost, name: welcome.host.name };
      this.#target = { mode: 'resume', host: this.#trustedHost };
    }
    transport.onClose((info) => this.#onDrop(transport, info));
    this.#openedAt = this.#clock.now();
    const first = !this.#everOpened;
    this.#everOpened = true;
    this.#setState('open', undefined);
    if (first) this.#resolveOpened();
    else this.#reconnects.fire(rpc);
  }

  #onDrop(transport: RecordTransport, info: CloseInfo): void {
    if (this.#transport !== transport || this.#userClosed) return;
    this.#transport = undefined;
    if (this.#clock.now() - this.#openedAt >= this.#stableAfterMs) this.#backoff?.reset();
    this.#retryOrFinish(errorFromClose(info, 'remote session'));
  }

  #retryOrFinish(err: RemoteSessionError): void {
    if (!err.retryable || !this.#backoff) {
      this.#finish(err);
      return;
    }
    const delay = this.#backoff.next();
    this.#logger.info('session lost; reconnecting', { kind: err.kind, reason: err.reason, delayMs: delay });
    this.#setState('reconnecting', err);
    this.#retryTimer = this.#clock.setTimeout(() => {
      if (!this.#userClosed) this.#connect();
    }, delay);
  }

  #finish(err: RemoteSessionError): void {
    this.#logger.info('session ended', { kind: err.kind, reason: err.reason });
    this.#setState(err.kind === 'denied' || err.kind === 'expired' ? 'denied' : 'closed', err);
  }

  #setState(state: ControllerState, error: RemoteSessionError | undefined): void {
    this.#error = error;
    if (state === this.#state) return;
    this.#state = state;
    this.#stateChanges.fire({ state, error });
  }
}

/** Starts a session at once; watch `state` / `onStateChange`, or await `opened`. */
export function connectController(target: ControllerTarget, deps: ControllerDeps, options?: ControllerOptions): ControllerSession {
  return new ControllerSession(target, deps, options);
}

/**
 * Pairs with the host of a scanned or pasted link (one-shot: a failure is not retried).
 * Resolves once welcomed, with the session and the `trustedHost` record to persist; rejects with
 * a `PairingLinkError` (bad or expired link) or a `RemoteSessionError` (`expired`, `denied`,
 * `offline`, `host_key`, …).
 */
export async function pair(linkText: string, deps: ControllerDeps, options?: ControllerOptions): Promise<{ session: ControllerSession; trustedHost: TrustedHost }> {
  const link = parsePairingLink(linkText, (deps.clock ?? systemClock).now());
  const session = connectController({ mode: 'pair', link }, deps, options);
  await session.opened;
  return { session, trustedHost: session.trustedHost! };
}

/**
 * Resumes a session with a trusted host (`host` is validated with `parseTrustedHost`, so a record
 * read back from storage can be passed as is). Resolves once welcomed; rejects with a
 * `SchemaParseError` or a `RemoteSessionError` (`denied` with reason `revoked`/`unknown_device`,
 * `offline`, `host_key`, …). The first attempt is not retried; later drops are (see the file header).
 */
export async function resume(host: TrustedHost, deps: ControllerDeps, options?: ControllerOptions): Promise<ControllerSession> {
  const session = connectController({ mode: 'resume', host: parseTrustedHost(host) }, deps, options);
  await session.opened;
  return session;
}
