/**
 * What the hub needs from the engine: a way to open one connection per client, and the
 * engine's state. The composition root implements it over the `EngineSupervisor` (a private
 * loopback WebSocket with a per-start capability token); tests may implement it over anything
 * that speaks the engine's protocol.
 */
import type { EngineState } from '../../shared/protocol/hostMethods.js';
import type { Disposable, Transport } from '../../shared/rpc/transport.js';

export interface EnginePort {
  /** Opens a fresh engine connection (rejects with a clear message if the engine is not running). */
  connect(): Promise<Transport>;
  readonly state: EngineState;
  readonly version: string | undefined;
  /** How many times the engine process was restarted since the host started. */
  readonly restarts: number;
  onStateChange(listener: (state: EngineState) => void): Disposable;
  /** Fired when the engine process died and is being replaced: every engine connection is gone. */
  onRestart(listener: () => void): Disposable;
}
