/**
 * What the hub needs from an engine: a way to open one connection per client, and the
 * engine's state. The composition root implements it over the `EngineSupervisor` (a private
 * loopback WebSocket with a per-start capability token); an SSH environment implements it over
 * an SSH channel; tests implement it over anything that speaks the engine's protocol.
 *
 * Each environment in the hub's `EngineRegistry` has one port. Server-request ids are only
 * unique within one engine process, so the hub keys everything that tracks them by
 * environment. Compatibility: members added later are optional, so existing ports keep
 * compiling (`lastError` was added with environments, `phase` and `onInfoChange` with SSH hosts).
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
  /**
   * Why the engine is not running, for the host's admins (`host/environments/list`); may name
   * internal addresses, so the hub never shows it to phones or TUI clients.
   */
  readonly lastError?: string;
  /** Progress while starting, for engines that report it (an SSH host's connection phase). */
  readonly phase?: string;
  onStateChange(listener: (state: EngineState) => void): Disposable;
  /** Fired when the engine process died and is being replaced: every engine connection is gone. */
  onRestart(listener: () => void): Disposable;
  /** Fired when `phase`, `lastError` or `version` changed without a state change (optional). */
  onInfoChange?(listener: () => void): Disposable;
}
