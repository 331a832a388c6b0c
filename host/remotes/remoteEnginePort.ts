/**
 * A controlled host as an environment of this host's hub (docs/remotes.md): the `EnginePort`
 * of environment `remote:<hostId>`. Every `connect()` is a fresh end-to-end session to the
 * other host (a resume handshake with this host's controller key), so each client of this host
 * — its desktop window, its phones, a Codex TUI on a listener — is its own client (kind `host`)
 * of the other host's hub, with the other host's per-device session cap.
 *
 * The engine state follows the link: `running` while connected and the other host's engine
 * runs; `starting` until the first connection, `restarting` while it is re-established (or the
 * other engine restarts), `failed` when refused for good (revoked, unknown, wrong key, too old),
 * `stopped` when the connect toggle is off.
 */
import type { EngineState } from '../../shared/protocol/hostMethods.js';
import type { Transport } from '../../shared/rpc/transport.js';
import { DisposableStore, Emitter, type Disposable } from '../../shared/util/lifecycle.js';
import type { EnginePort } from '../hub/enginePort.js';
import type { LinkStatus, RemoteLink } from './remoteLink.js';

/** What the port needs of a link (a fake in tests). */
export type RemoteLinkView = Pick<RemoteLink, 'status' | 'onChange' | 'onEngineRestart' | 'openEngineTransport'>;

export class RemoteEnginePort implements EnginePort, Disposable {
  readonly #link: RemoteLinkView;
  readonly #version: () => string | undefined;
  readonly #states = new Emitter<EngineState>();
  readonly #restartsFired = new Emitter<void>();
  readonly #infoChanged = new Emitter<void>();
  readonly #store = new DisposableStore();
  #state: EngineState;
  #everRunning = false;
  #restarts = 0;

  constructor(link: RemoteLinkView, version: () => string | undefined) {
    this.#link = link;
    this.#version = version;
    this.#state = this.#map(link.status);
    let lastMessage = link.status.message;
    this.#store.add(
      link.onChange((s) => {
        const next = this.#map(s);
        if (next === this.#state) {
          // The message (lastError) can change while the state stays, e.g. between two retries.
          if (s.message !== lastMessage) this.#infoChanged.fire();
          lastMessage = s.message;
          return;
        }
        lastMessage = s.message;
        this.#state = next;
        this.#states.fire(next);
      }),
    );
    this.#store.add(
      link.onEngineRestart(() => {
        this.#restarts++;
        this.#restartsFired.fire();
      }),
    );
  }

  get state(): EngineState {
    return this.#state;
  }

  get version(): string | undefined {
    return this.#version();
  }

  get restarts(): number {
    return this.#restarts;
  }

  get lastError(): string | undefined {
    return this.#link.status.message;
  }

  async connect(): Promise<Transport> {
    if (this.#state !== 'running') throw new Error(`the other host is not connected (${this.#link.status.message ?? this.#state})`);
    return this.#link.openEngineTransport();
  }

  onStateChange(listener: (state: EngineState) => void): Disposable {
    return this.#states.on(listener);
  }

  onRestart(listener: () => void): Disposable {
    return this.#restartsFired.on(listener);
  }

  /** Fired when what the environment list shows changed without a state change (its name, its last error). */
  onInfoChange(listener: () => void): Disposable {
    return this.#infoChanged.on(listener);
  }

  /** The environment's name changed (a rename): clients are told through `host/environments/changed`. */
  nameChanged(): void {
    this.#infoChanged.fire();
  }

  dispose(): void {
    void this.#store.dispose();
    this.#states.clear();
    this.#restartsFired.clear();
    this.#infoChanged.clear();
  }

  #map(s: LinkStatus): EngineState {
    if (s.phase === 'open') {
      this.#everRunning = true;
      return 'running';
    }
    if (s.removed || s.phase === 'failed') return 'failed';
    if (s.phase === 'idle') return 'stopped';
    return this.#everRunning ? 'restarting' : 'starting';
  }
}
