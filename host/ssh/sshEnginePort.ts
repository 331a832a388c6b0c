/**
 * The hub's `EnginePort` for an SSH host (docs/ssh.md): `connect()` opens one proxy channel to
 * the remote engine per client; the engine state follows the connection (connecting → starting,
 * connected → running, reconnecting → restarting, a permanent error → failed, disabled →
 * stopped); `onRestart` fires when the connection is lost or stopped while running, since
 * every engine connection over it is gone. The SSH-specific state, phase and last error are exposed beside it.
 */
import type { EngineState } from '../../shared/protocol/hostMethods.js';
import type { Transport } from '../../shared/rpc/transport.js';
import { Emitter, type Disposable } from '../../shared/util/lifecycle.js';
import type { EnginePort } from '../hub/enginePort.js';
import type { SshHostConnection, SshHostError, SshHostState, SshHostStatus, SshPhase } from './sshHostConnection.js';

export class SshEnginePort implements EnginePort, Disposable {
  readonly #conn: SshHostConnection;
  readonly #states = new Emitter<EngineState>();
  readonly #restarts = new Emitter<void>();
  readonly #info = new Emitter<void>();
  readonly #subs: Disposable[];
  #state: EngineState;
  #everConnected = false;
  #restartCount = 0;
  /** What the hub's environment list shows besides the state (phase, last error, version). */
  #shown: string;

  constructor(connection: SshHostConnection) {
    this.#conn = connection;
    this.#state = this.#map(connection.status);
    this.#shown = shownOf(connection.status);
    this.#subs = [
      connection.onStatus((s) => {
        const next = this.#map(s);
        const shown = shownOf(s);
        const infoChanged = shown !== this.#shown;
        this.#shown = shown;
        if (next !== this.#state) {
          const wasRunning = this.#state === 'running';
          this.#state = next;
          // Stopped while running ("Restart connection", a trust decision): the remote engine
          // and every connection to it are gone, as after a lost connection.
          if (wasRunning && next === 'stopped') {
            this.#restartCount++;
            this.#restarts.fire();
          }
          this.#states.fire(next);
        } else if (infoChanged) {
          this.#info.fire();
        }
      }),
      connection.onConnectionLost(() => {
        this.#restartCount++;
        this.#restarts.fire();
      }),
    ];
  }

  /** The host alias this port reaches. */
  get alias(): string {
    return this.#conn.alias;
  }

  get state(): EngineState {
    return this.#state;
  }

  get version(): string | undefined {
    return this.#conn.status.remote?.codexVersion;
  }

  get restarts(): number {
    return this.#restartCount;
  }

  /** The SSH-level view for Settings and the CLI. */
  get sshState(): SshHostState {
    return this.#conn.status.state;
  }

  get phase(): SshPhase | undefined {
    return this.#conn.status.phase;
  }

  /** The last error's text, as the hub's environment list shows it (`EnginePort.lastError`). */
  get lastError(): string | undefined {
    return this.#conn.status.lastError?.message;
  }

  /** The last error with its kind and fix, for Settings and the CLI. */
  get lastSshError(): SshHostError | undefined {
    return this.#conn.status.lastError;
  }

  get status(): SshHostStatus {
    return this.#conn.status;
  }

  connect(): Promise<Transport> {
    return this.#conn.openTransport();
  }

  onStateChange(listener: (state: EngineState) => void): Disposable {
    return this.#states.on(listener);
  }

  onRestart(listener: () => void): Disposable {
    return this.#restarts.on(listener);
  }

  /** The phase, last error or remote version changed while the engine state stayed the same. */
  onInfoChange(listener: () => void): Disposable {
    return this.#info.on(listener);
  }

  dispose(): void {
    for (const s of this.#subs) s.dispose();
    this.#states.clear();
    this.#restarts.clear();
    this.#info.clear();
  }

  #map(s: SshHostStatus): EngineState {
    switch (s.state) {
      case 'connected':
        this.#everConnected = true;
        return 'running';
      case 'connecting':
      case 'disconnected':
        return this.#everConnected ? 'restarting' : 'starting';
      case 'error':
        return 'failed';
      case 'disabled':
        this.#everConnected = false;
        return 'stopped';
    }
  }
}

function shownOf(s: SshHostStatus): string {
  return JSON.stringify([s.phase, s.lastError?.message, s.remote?.codexVersion]);
}
