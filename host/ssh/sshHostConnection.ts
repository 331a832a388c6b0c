/**
 * One enabled SSH host's connection, kept alive (docs/ssh.md): resolve → connect →
 * authenticate → check codex → start (or reuse) the remote engine → ready, with each phase
 * reported. A lost connection is reported at once and retried with the shared backoff; the
 * remote engine keeps running meanwhile and is reused when it is still alive. Errors that
 * retrying cannot fix (host key, authentication, config, missing codex, sign-in) stop the
 * retries until the user acts (trust, restart).
 */
import { Backoff, type BackoffOptions } from '../../shared/util/backoff.js';
import type { Transport } from '../../shared/rpc/transport.js';
import { errorMessage } from '../../shared/util/errors.js';
import { Emitter, type Disposable } from '../../shared/util/lifecycle.js';
import type { Logger } from '../../shared/util/logger.js';
import type { RemoteEngineInfo } from './remoteEngine.js';
import type { ResolvedSshHost } from './resolvedHost.js';
import type { SshSession } from './ssh2Client.js';
import { SshError, type SshErrorCode } from './sshErrors.js';

export type SshHostState = 'disabled' | 'connecting' | 'connected' | 'disconnected' | 'error';
export type SshPhase = 'resolving' | 'connecting' | 'authenticating' | 'checking-codex' | 'starting-engine' | 'ready';

export interface SshHostError {
  readonly code: SshErrorCode;
  readonly message: string;
  readonly details: Readonly<Record<string, string>>;
}

/** What the UI shows for a host (no secrets, no internal paths beyond the remote engine folder). */
export interface SshHostStatus {
  readonly state: SshHostState;
  readonly phase: SshPhase | undefined;
  readonly lastError: SshHostError | undefined;
  /** Settings in use (after resolution). */
  readonly target: { readonly hostName: string; readonly port: number; readonly user: string; readonly identityFiles: readonly string[]; readonly via: readonly string[] } | undefined;
  readonly remote: { readonly codexVersion: string; readonly shell: string; readonly user: string } | undefined;
  /** Connection losses since enabled. */
  readonly disconnects: number;
  /** Delay before the next attempt, while `disconnected`. */
  readonly retryInMs: number | undefined;
}

/** The engine side the connection drives (RemoteEngine in production). */
export interface RemoteEngineHandle {
  readonly info: RemoteEngineInfo;
  openTransport(): Promise<Transport>;
  stop(): Promise<void>;
}

export interface SshHostConnectionDeps {
  readonly alias: string;
  readonly resolve: () => Promise<ResolvedSshHost>;
  readonly connect: (host: ResolvedSshHost, onPhase: (phase: 'connecting' | 'authenticating') => void) => Promise<SshSession>;
  readonly startEngine: (session: SshSession, previous: RemoteEngineInfo | undefined, onPhase: (phase: 'checking-codex' | 'starting-engine') => void) => Promise<RemoteEngineHandle>;
  readonly backoff?: BackoffOptions;
  readonly setTimer?: (fn: () => void, ms: number) => unknown;
  readonly clearTimer?: (handle: unknown) => void;
  readonly logger?: Logger;
}

const IDLE: SshHostStatus = { state: 'disabled', phase: undefined, lastError: undefined, target: undefined, remote: undefined, disconnects: 0, retryInMs: undefined };

export class SshHostConnection {
  readonly #d: SshHostConnectionDeps;
  readonly #backoff: Backoff;
  readonly #status = new Emitter<SshHostStatus>();
  readonly #lost = new Emitter<string>();
  readonly #setTimer: (fn: () => void, ms: number) => unknown;
  readonly #clearTimer: (handle: unknown) => void;
  #s: SshHostStatus = IDLE;
  #generation = 0;
  #session: SshSession | undefined;
  #engine: RemoteEngineHandle | undefined;
  #previous: RemoteEngineInfo | undefined;
  #timer: unknown;
  #sessionSub: Disposable | undefined;

  constructor(deps: SshHostConnectionDeps) {
    this.#d = deps;
    this.#backoff = new Backoff({ initialMs: 1_000, maxMs: 60_000, ...deps.backoff });
    this.#setTimer = deps.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.#clearTimer = deps.clearTimer ?? ((h) => clearTimeout(h as NodeJS.Timeout));
  }

  get alias(): string {
    return this.#d.alias;
  }

  get status(): SshHostStatus {
    return this.#s;
  }

  /** The SSH connection while connected (the folder picker runs its listing over it). */
  get session(): SshSession | undefined {
    return this.#s.state === 'connected' && this.#session && !this.#session.isClosed ? this.#session : undefined;
  }

  /** The engine started on the host, while connected. */
  get engineInfo(): RemoteEngineInfo | undefined {
    return this.#engine?.info;
  }

  onStatus(listener: (s: SshHostStatus) => void): Disposable {
    return this.#status.on(listener);
  }

  /** Fired when an established connection is lost: every engine connection over it is gone. */
  onConnectionLost(listener: (reason: string) => void): Disposable {
    return this.#lost.on(listener);
  }

  /** Starts connecting (no-op while already enabled). */
  start(): void {
    if (this.#s.state !== 'disabled' && this.#s.state !== 'error') return;
    this.#backoff.reset();
    // Straight to connecting: a transient "disabled" would tell the hub and the UI the host was turned off.
    this.#set({ ...IDLE, state: 'connecting', phase: 'resolving', disconnects: this.#s.disconnects });
    void this.#attempt(++this.#generation);
  }

  /** Stops the remote engine (when reachable), closes the connection, and stays disabled. */
  async stop(): Promise<void> {
    this.#generation++;
    this.#clearRetry();
    const engine = this.#engine;
    const session = this.#session;
    this.#dropSession();
    if (engine && session && !session.isClosed) {
      try {
        await engine.stop();
      } catch (err) {
        this.#d.logger?.warn('could not stop the remote engine', { host: this.#d.alias, error: errorMessage(err) });
      }
    }
    this.#previous = undefined;
    session?.close();
    this.#set({ ...IDLE, disconnects: this.#s.disconnects });
  }

  /** Stop, then start again (the "Restart connection" action, and after a trust decision). */
  async restart(): Promise<void> {
    await this.stop();
    this.start();
  }

  /** A new engine connection for one client; rejects with a clear message unless connected. */
  async openTransport(): Promise<Transport> {
    const engine = this.#engine;
    if (this.#s.state !== 'connected' || !engine) {
      const why = this.#s.lastError ? `: ${this.#s.lastError.message}` : '';
      throw new SshError('disconnected', `${this.#d.alias} is ${this.#s.state}${why}`);
    }
    return engine.openTransport();
  }

  async #attempt(gen: number): Promise<void> {
    let session: SshSession | undefined;
    const live = () => gen === this.#generation;
    const phase = (p: SshPhase) => {
      if (live()) this.#set({ ...this.#s, state: 'connecting', phase: p, retryInMs: undefined });
    };
    try {
      phase('resolving');
      const host = await this.#d.resolve();
      if (!live()) return;
      this.#set({ ...this.#s, target: { hostName: host.hostName, port: host.port, user: host.user, identityFiles: host.identityFiles, via: host.proxyJump.map((h) => h.host) } });
      session = await this.#d.connect(host, phase);
      if (!live()) return session.close();
      const engine = await this.#d.startEngine(session, this.#previous, phase);
      if (!live()) return session.close();
      this.#session = session;
      this.#engine = engine;
      this.#previous = engine.info;
      this.#sessionSub = session.onClose((reason) => this.#onLost(gen, reason));
      this.#backoff.reset();
      this.#set({ ...this.#s, state: 'connected', phase: 'ready', lastError: undefined, retryInMs: undefined, remote: { codexVersion: engine.info.codexVersion, shell: engine.info.shell, user: engine.info.user } });
    } catch (err) {
      session?.close();
      if (!live()) return;
      const e = err instanceof SshError ? err : new SshError('internal', errorMessage(err));
      const lastError = { code: e.code, message: e.message, details: e.details };
      if (!e.retryable) {
        this.#set({ ...this.#s, state: 'error', phase: undefined, lastError, retryInMs: undefined });
        return;
      }
      this.#scheduleRetry(gen, lastError);
    }
  }

  #onLost(gen: number, reason: string): void {
    if (gen !== this.#generation) return;
    this.#dropSession();
    this.#set({ ...this.#s, disconnects: this.#s.disconnects + 1 });
    this.#lost.fire(reason);
    this.#scheduleRetry(gen, { code: 'disconnected', message: `Disconnected: ${reason}`, details: {} });
  }

  #scheduleRetry(gen: number, lastError: SshHostError): void {
    const delay = this.#backoff.next();
    this.#set({ ...this.#s, state: 'disconnected', phase: undefined, lastError, retryInMs: delay });
    this.#clearRetry();
    this.#timer = this.#setTimer(() => {
      this.#timer = undefined;
      if (gen === this.#generation) void this.#attempt(gen);
    }, delay);
  }

  #clearRetry(): void {
    if (this.#timer !== undefined) this.#clearTimer(this.#timer);
    this.#timer = undefined;
  }

  #dropSession(): void {
    this.#sessionSub?.dispose();
    this.#sessionSub = undefined;
    this.#session = undefined;
    this.#engine = undefined;
  }

  #set(s: SshHostStatus): void {
    this.#s = s;
    this.#status.fire(s);
  }
}
