/**
 * The connection to one controlled host while its connect toggle is on (docs/remotes.md): one
 * long-lived *status session* (a resumed controller session of kind `host`, through the relay,
 * end to end encrypted) that tells this host, honestly, where things stand — connecting, the
 * handshake, confirming (host/info read, versions checked), waiting for the other host's engine,
 * connected, offline, failed, removed — and the other host's details (name, OS / arch, Codex
 * version). It retries with backoff (250 ms doubling to 30 s, jittered) after anything that
 * may pass (offline, network, timeout, rate limit), and stops for good after what will not
 * (revoked, unknown device, a host that cannot prove its pinned key).
 *
 * Engine connections are separate: `openEngineTransport()` runs a fresh resume handshake per
 * hub client (each client of this host is its own session on the other host, H1), and hands
 * the encrypted session over as a `Transport`.
 */
import type { ControllerDeps } from '../../shared/controller/controllerSession.js';
import { connectController, type ControllerSession } from '../../shared/controller/controllerSession.js';
import { startControllerAttempt } from '../../shared/controller/controllerAttempt.js';
import type { RemoteSessionError } from '../../shared/controller/remoteSessionError.js';
import { trustedHostKey, type TrustedHost } from '../../shared/controller/trustedHost.js';
import type { WelcomeHost } from '../../shared/crypto/handshakeRecords.js';
import type { RemoteStateFacts } from '../../shared/protocol/features/remotesApi.js';
import { HostClient } from '../../shared/protocol/hostClient.js';
import type { EngineState, HostInfo } from '../../shared/protocol/hostMethods.js';
import type { Transport } from '../../shared/rpc/transport.js';
import { Backoff, type BackoffOptions } from '../../shared/util/backoff.js';
import { errorMessage } from '../../shared/util/errors.js';
import { Emitter, type Disposable } from '../../shared/util/lifecycle.js';
import type { Logger } from '../../shared/util/logger.js';
import { compareVersions, parseVersion } from '../engine/checkCodexVersion.js';

/** How long to wait before checking again that a host too old for us was updated. */
const UPDATE_RECHECK_MS = 60_000;
/** The close code the other host's hub uses when its engine restarted (all its engine connections are gone). */
const SERVICE_RESTART = 1012;

/** Where the link stands (the facts a subtitle is chosen from, plus the details). */
export interface LinkStatus {
  readonly phase: RemoteStateFacts['phase'];
  readonly offline: boolean;
  /** Set when the other host's Codex is older than this host needs. */
  readonly updateRequired?: { readonly remote?: string; readonly required: string };
  /** The other host revoked this host. */
  readonly removed: boolean;
  /** Why the last attempt failed, in words for the user. */
  readonly message?: string;
  /** The other host's engine, while the status session is open. */
  readonly engineState?: EngineState;
}

/** What the other host said about itself when a status session opened. */
export interface RemoteSighting {
  readonly welcome: WelcomeHost;
  readonly info: HostInfo;
}

export interface RemoteLinkDeps {
  /** The trust record to resume with (read at each attempt: a rename or re-pairing applies). */
  readonly host: () => TrustedHost;
  /** This host's name for the remote (in messages). */
  readonly displayName: () => string;
  readonly controller: ControllerDeps;
  readonly minCodexVersion: string;
  readonly logger: Logger;
  readonly backoff?: BackoffOptions;
  readonly handshakeTimeoutMs?: number;
}

export class RemoteLink implements Disposable {
  readonly #d: RemoteLinkDeps;
  readonly #backoff: Backoff;
  readonly #changes = new Emitter<LinkStatus>();
  readonly #sightings = new Emitter<RemoteSighting>();
  readonly #restarts = new Emitter<void>();
  readonly #endings = new Emitter<void>();
  #status: LinkStatus = { phase: 'idle', offline: false, removed: false };
  #session: ControllerSession | undefined;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #running = false;
  #disposed = false;

  constructor(deps: RemoteLinkDeps) {
    this.#d = deps;
    this.#backoff = new Backoff(deps.backoff);
  }

  get status(): LinkStatus {
    return this.#status;
  }

  /** Fires on every status change. */
  onChange(listener: (status: LinkStatus) => void): Disposable {
    return this.#changes.on(listener);
  }

  /** Fires when a status session opened and the other host's info was read. */
  onSighting(listener: (sighting: RemoteSighting) => void): Disposable {
    return this.#sightings.on(listener);
  }

  /** Fires when the other host's engine restarted (every engine connection to it is gone). */
  onEngineRestart(listener: () => void): Disposable {
    return this.#restarts.on(listener);
  }

  /** Fires when an open status session ended (last seen). */
  onSessionEnded(listener: () => void): Disposable {
    return this.#endings.on(listener);
  }

  /** Starts connecting (and keeps the connection up); idempotent. */
  start(): void {
    if (this.#running || this.#disposed) return;
    this.#running = true;
    this.#backoff.reset();
    this.#set({ phase: 'connecting', offline: false, removed: false });
    this.#attempt();
  }

  /** Ends the connection (phase `idle`); idempotent. */
  stop(): void {
    this.#running = false;
    clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
    const s = this.#session;
    this.#session = undefined;
    s?.close();
    if (!this.#status.removed) this.#set({ phase: 'idle', offline: false, removed: false });
  }

  dispose(): void {
    this.stop();
    this.#disposed = true;
    this.#changes.clear();
    this.#sightings.clear();
    this.#restarts.clear();
    this.#endings.clear();
  }

  /**
   * Opens a new end-to-end session for one engine connection (a resume handshake) and returns
   * it as a `Transport`. Rejects with a clear message (offline, refused, timed out).
   */
  async openEngineTransport(): Promise<Transport> {
    const host = this.#d.host();
    const c = this.#d.controller;
    let transport: Transport | undefined;
    const attempt = startControllerAttempt({
      relay: host.relay,
      hostKey: trustedHostKey(host),
      mode: 'resume',
      signer: c.device.signer,
      description: { name: c.device.name, platform: c.device.platform, kind: c.device.kind },
      aead: c.aead,
      webSocket: c.webSocket,
      handshakeTimeoutMs: this.#d.handshakeTimeoutMs ?? 10_000,
      timers: { setTimeout: (cb, ms) => setTimeout(cb, ms), clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>) },
      onHandshaking: () => {},
      onOpen: (t) => (transport = t),
    });
    try {
      await attempt.result;
    } catch (err) {
      const e = err as RemoteSessionError;
      if (e.deniedReason === 'revoked') this.#removed();
      throw new Error(this.#messageFor(e, true));
    }
    return transport!;
  }

  #attempt(): void {
    if (!this.#running) return;
    const session = connectController({ mode: 'resume', host: this.#d.host() }, this.#d.controller, {
      reconnect: false,
      ...(this.#d.handshakeTimeoutMs ? { handshakeTimeoutMs: this.#d.handshakeTimeoutMs } : {}),
    });
    this.#session = session;
    let opened = false;
    let ready = false;
    session.onStateChange((state) => {
      if (this.#session !== session) return;
      if (state === 'handshaking') {
        ready = true;
        // The relay answered: the host is registered there, so no longer offline.
        this.#set({ ...this.#keep(), offline: false, phase: 'handshaking' });
      } else if (state === 'closed' || state === 'denied') this.#ended(session, opened, ready);
    });
    void session.opened.then(
      () => {
        opened = true;
        if (this.#session === session) void this.#confirm(session);
      },
      () => {},
    );
  }

  /** Welcomed: read host/info, check the version, follow the engine's state. */
  async #confirm(session: ControllerSession): Promise<void> {
    this.#set({ ...this.#keep(), phase: 'confirming' });
    const client = new HostClient(session.rpc);
    let info: HostInfo;
    try {
      // host/ methods only: no `initialize`, so the other host opens no engine connection for it.
      info = await client.call('host/info');
      client.on('host/engine/changed', (p) => {
        if (this.#session !== session || p.environmentId !== 'local') return;
        this.#engineState(p.state);
      });
      await client.subscribe(['host/engine/changed']);
    } catch (err) {
      if (this.#session !== session) return;
      this.#d.logger.warn('could not read the other host\u2019s info', { error: errorMessage(err) });
      this.#session = undefined;
      this.#endings.fire();
      session.close();
      this.#retryLater({ phase: 'retrying', offline: false, removed: false, message: `could not confirm the connection (${errorMessage(err)})` });
      return;
    }
    if (this.#session !== session) return;
    if (session.host) this.#sightings.fire({ welcome: session.host, info });
    const remote = info.engine.version;
    const parsed = remote ? parseVersion(remote) : undefined;
    const required = parseVersion(this.#d.minCodexVersion)!;
    if (!parsed || compareVersions(parsed, required) < 0) {
      this.#session = undefined;
      session.close();
      this.#status = { phase: 'failed', offline: false, removed: false, updateRequired: { ...(remote ? { remote } : {}), required: this.#d.minCodexVersion }, message: `Codex ${remote ?? '(unknown version)'} on ${this.#d.displayName()}; this host needs ${this.#d.minCodexVersion} or newer` };
      this.#changes.fire(this.#status);
      this.#schedule(UPDATE_RECHECK_MS);
      return;
    }
    this.#backoff.reset();
    this.#engineState(info.engine.state);
  }

  #engineState(state: EngineState): void {
    this.#set({ phase: state === 'running' ? 'open' : 'waiting', offline: false, removed: false, engineState: state });
  }

  #ended(session: ControllerSession, opened: boolean, ready: boolean): void {
    if (this.#session !== session) return;
    this.#session = undefined;
    if (opened) this.#endings.fire();
    if (!this.#running) return;
    const err = session.error;
    if (!err) {
      this.#retryLater({ phase: 'retrying', offline: false, removed: false });
      return;
    }
    if (err.closeCode === SERVICE_RESTART && opened) this.#restarts.fire();
    if (err.deniedReason === 'revoked' || (err.kind === 'denied' && err.reason === 'revoked')) {
      this.#removed();
      return;
    }
    const message = this.#messageFor(err, ready);
    this.#d.logger.info('status session ended', { kind: err.kind, reason: err.reason });
    if (err.kind === 'denied' || err.kind === 'expired' || err.kind === 'host_key') {
      this.#running = false;
      this.#set({ phase: 'failed', offline: false, removed: false, message });
      return;
    }
    this.#retryLater({ phase: 'retrying', offline: err.kind === 'offline', removed: false, message });
  }

  #removed(): void {
    this.#running = false;
    clearTimeout(this.#retryTimer);
    const s = this.#session;
    this.#session = undefined;
    s?.close();
    this.#set({ phase: 'failed', offline: false, removed: true, message: `${this.#d.displayName()} revoked this host` });
  }

  #retryLater(status: LinkStatus): void {
    this.#set(status);
    this.#schedule(this.#backoff.next());
  }

  #schedule(ms: number): void {
    clearTimeout(this.#retryTimer);
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = undefined;
      if (!this.#running) return;
      this.#set({ ...this.#keep(), phase: 'connecting' });
      this.#attempt();
    }, ms);
    this.#retryTimer.unref?.();
  }

  /** The facts that stay while a new attempt runs (the last failure's offline / update flags). */
  #keep(): LinkStatus {
    const { offline, updateRequired, message } = this.#status;
    return { phase: this.#status.phase, offline, removed: false, ...(updateRequired ? { updateRequired } : {}), ...(message ? { message } : {}) };
  }

  #set(status: LinkStatus): void {
    const before = this.#status;
    this.#status = status;
    if (
      before.phase !== status.phase ||
      before.offline !== status.offline ||
      before.removed !== status.removed ||
      before.message !== status.message ||
      before.engineState !== status.engineState ||
      before.updateRequired?.remote !== status.updateRequired?.remote
    ) {
      this.#changes.fire(status);
    }
  }

  /** A failure in the words a user reads after "Connection failed · ". */
  #messageFor(err: RemoteSessionError, ready: boolean): string {
    const name = this.#d.displayName();
    switch (err.kind) {
      case 'offline':
        return `${name} is offline (not connected to its relay)`;
      case 'denied':
        if (err.reason === 'revoked') return `${name} revoked this host`;
        if (err.reason === 'unknown_device') return `${name} does not know this host any more; add it again with a new link`;
        return `${name} refused this host (${err.reason})`;
      case 'expired':
        return 'the pairing link has expired or was already used';
      case 'host_key':
        return `${name} did not prove the host key this host pinned; if it was reinstalled, add it again with a new link`;
      case 'timeout':
        return 'the secure connection timed out';
      case 'rate_limited':
        return 'the relay refused the connection (rate limited); retrying';
      case 'protocol':
        return `protocol error (${err.reason})`;
      case 'network':
        return ready ? `connection lost (${err.reason})` : `cannot reach the relay ${this.#d.host().relay}`;
      case 'closed':
        return `${name} closed the connection`;
    }
  }
}
