/**
 * What the hub keeps per environment: the approvals pending in that engine (server-request ids
 * are per engine process, so two engines' id 0 are different requests), its busy monitor, and
 * the subscriptions that report its changes. An engine restart resets only this environment.
 */
import type { EngineState, EnvironmentInfo } from '../../shared/protocol/hostMethods.js';
import type { Disposable } from '../../shared/util/lifecycle.js';
import type { Logger } from '../../shared/util/logger.js';
import { ApprovalTracker } from './approvalTracker.js';
import { BusyTracker, type ThreadAttention } from './busyTracker.js';
import type { EnvironmentEntry } from './engineRegistry.js';

export interface EnvironmentEvents {
  /** The engine process died and is being replaced: its connections and approvals are gone. */
  onRestart(env: EnvironmentRuntime): void;
  onStateChange(env: EnvironmentRuntime, state: EngineState): void;
  onBusyChanged(env: EnvironmentRuntime, busy: boolean): void;
  /** A thread of this environment waits on a person, or its turn ended (busyTracker.ts). */
  onAttention?(env: EnvironmentRuntime, event: ThreadAttention): void;
  /** Its phase, last error or version changed (the state did not). */
  onInfoChange(env: EnvironmentRuntime): void;
}

export class EnvironmentRuntime {
  readonly entry: EnvironmentEntry;
  readonly approvals = new ApprovalTracker();
  readonly #busy: BusyTracker;
  readonly #subs: Disposable[] = [];

  constructor(entry: EnvironmentEntry, events: EnvironmentEvents, logger: Logger, hostVersion: string) {
    this.entry = entry;
    this.#busy = new BusyTracker(entry.engine, logger.child('monitor'), hostVersion);
    this.#subs.push(
      entry.engine.onRestart(() => {
        this.approvals.reset();
        events.onRestart(this);
      }),
      entry.engine.onStateChange((s) => events.onStateChange(this, s)),
      this.#busy.onBusyChanged((b) => events.onBusyChanged(this, b)),
      this.#busy.onAttention((e) => events.onAttention?.(this, e)),
    );
    if (entry.engine.onInfoChange) this.#subs.push(entry.engine.onInfoChange(() => events.onInfoChange(this)));
  }

  get id(): string {
    return this.entry.id;
  }

  get busy(): boolean {
    return this.#busy.busy;
  }

  /** The environment as host/ methods report it; `lastError` only for the host's admins. */
  info(forAdmin: boolean): EnvironmentInfo {
    const { id, kind, name, engine } = this.entry;
    const lastError = forAdmin && engine.state !== 'running' ? engine.lastError : undefined;
    return {
      id,
      kind,
      name,
      state: engine.state,
      ...(engine.phase && engine.state !== 'running' ? { phase: engine.phase.slice(0, 32) } : {}),
      ...(engine.version ? { version: engine.version } : {}),
      restarts: engine.restarts,
      busy: this.#busy.busy,
      ...(lastError ? { lastError: lastError.slice(0, 500) } : {}),
    };
  }

  /** Stops watching the engine (synchronously: no event of this environment fires afterwards). */
  dispose(): void {
    for (const d of this.#subs.splice(0)) d.dispose();
    this.#busy.dispose();
  }
}
