/**
 * Keep-awake policy (docs/keep-awake.md, docs/connections-ui.md "Keep this computer awake"): a
 * reference count over reasons, driving one `PowerBlocker`.
 *
 * - `turn`: held while any turn runs, whatever the setting (a turn that a phone started must
 *   not die because the laptop slept). Callers acquire and release by key (one key per
 *   environment/thread); keys are a set, so a repeated acquire or release is harmless, which
 *   suits status notifications that may repeat.
 * - `remote-access`: held while remote access is on AND the computer is on AC power AND the
 *   "Keep this computer awake" setting is on. Unknown power (no battery, no way to ask) counts
 *   as AC.
 *
 * The blocker is started only when the count goes 0→1 and released on 1→0; a start that
 * resolves after the count fell back to 0 (or after dispose) is released at once, so a block
 * never leaks. A start that fails marks keep-awake unavailable with the adapter's one-line
 * reason (shown in the UI as "not available here: why") and is tried again on the next 0→1.
 * `state` is the real state (held or not, for which reasons); `onDidChange` fires when it
 * changes.
 */
import { Emitter, type Disposable } from '../../shared/util/lifecycle.js';
import type { Logger } from '../../shared/util/logger.js';
import { errorMessage } from '../../shared/util/errors.js';
import type { PowerBlock, PowerBlocker, PowerSource } from './powerBlocker.js';

export type KeepAwakeReason = 'remote-access' | 'turn';

/** What keep-awake is doing right now (host/ status, Settings > Connections). */
export interface KeepAwakeState {
  /** True only while the OS really holds the computer awake for us. */
  readonly held: boolean;
  /** The reasons that want it awake now, in a fixed order (`remote-access` before `turn`). */
  readonly reasons: readonly KeepAwakeReason[];
  /** How many turn keys are held. */
  readonly runningTurns: number;
  /** The "Keep this computer awake" setting (governs the remote-access reason only). */
  readonly enabled: boolean;
  /** Whether remote access is on. */
  readonly remoteAccess: boolean;
  /** False when the adapter cannot hold the computer awake here (see `unavailableReason`). */
  readonly available: boolean;
  /** Why keep-awake is not available here (one line), when `available` is false. */
  readonly unavailableReason?: string;
  /** True on battery, false on AC; absent when unknown (treated as AC). */
  readonly onBattery?: boolean;
  /** The adapter in use ("systemd-inhibit", "Electron powerSaveBlocker", "none"). */
  readonly mechanism: string;
}

export interface KeepAwakeOptions {
  readonly blocker: PowerBlocker;
  readonly power: PowerSource;
  readonly logger: Logger;
  /** Initial "Keep this computer awake" setting (persisted by the caller). Default on. */
  readonly enabled?: boolean;
  /** Initial remote-access state. Default off. */
  readonly remoteAccess?: boolean;
}

const WHY: Record<KeepAwakeReason, string> = {
  'remote-access': 'remote access is on',
  turn: 'a Codex turn is running',
};

export class KeepAwake implements Disposable {
  readonly #blocker: PowerBlocker;
  readonly #power: PowerSource;
  readonly #logger: Logger;
  readonly #changed: Emitter<KeepAwakeState>;
  readonly #powerSub: Disposable;
  readonly #turns = new Set<string>();
  #enabled: boolean;
  #remoteAccess: boolean;
  #block: PowerBlock | undefined;
  /** Set while a `start` is in flight. */
  #starting: Promise<void> | undefined;
  /** Why the last start failed or the block ended by itself; cleared by a successful start. */
  #failure: string | undefined;
  /** True after a failure while the count stayed above 0: no retry until it falls to 0. */
  #gaveUp = false;
  #disposed = false;
  #last: string;

  constructor(options: KeepAwakeOptions) {
    this.#blocker = options.blocker;
    this.#power = options.power;
    this.#logger = options.logger;
    this.#changed = new Emitter(options.logger);
    this.#enabled = options.enabled ?? true;
    this.#remoteAccess = options.remoteAccess ?? false;
    this.#powerSub = this.#power.onDidChange(() => this.#update());
    this.#last = JSON.stringify(this.state);
    this.#reconcile();
  }

  get state(): KeepAwakeState {
    const staticReason = this.#blocker.unavailableReason;
    const unavailableReason = staticReason ?? this.#failure;
    const onBattery = this.#power.onBattery;
    return {
      held: this.#block !== undefined,
      reasons: this.#reasons(),
      runningTurns: this.#turns.size,
      enabled: this.#enabled,
      remoteAccess: this.#remoteAccess,
      available: unavailableReason === undefined,
      ...(unavailableReason !== undefined ? { unavailableReason } : {}),
      ...(onBattery !== undefined ? { onBattery } : {}),
      mechanism: this.#blocker.name,
    };
  }

  /** Fires with the new state whenever any field of `state` changes. */
  onDidChange(listener: (state: KeepAwakeState) => void): Disposable {
    return this.#changed.on(listener);
  }

  /** Marks the turn `key` as running (idempotent). */
  acquireTurn(key: string): void {
    if (this.#disposed || this.#turns.has(key)) return;
    this.#turns.add(key);
    this.#update();
  }

  /** Marks the turn `key` as finished (idempotent; unknown keys are ignored). */
  releaseTurn(key: string): void {
    if (!this.#turns.delete(key)) return;
    this.#update();
  }

  /** The "Keep this computer awake" setting; it governs the remote-access reason only. */
  setEnabled(enabled: boolean): void {
    if (this.#disposed || enabled === this.#enabled) return;
    this.#enabled = enabled;
    this.#update();
  }

  /** Tells the policy whether remote access is on. */
  setRemoteAccess(on: boolean): void {
    if (this.#disposed || on === this.#remoteAccess) return;
    this.#remoteAccess = on;
    this.#update();
  }

  /**
   * Learns whether the adapter works here by holding and releasing a block once, so the UI
   * can say "not available here: why" before anything needed it. Does nothing while a block
   * is wanted (the real state already tells) or when the adapter is known to be unavailable.
   */
  async probe(): Promise<void> {
    await this.settled();
    if (this.#disposed || this.#reasons().length > 0 || this.#blocker.unavailableReason !== undefined) return;
    try {
      const block = await this.#blocker.start('checking that sleep can be prevented', () => {});
      block.dispose();
      this.#failure = undefined;
    } catch (err) {
      this.#failure = errorMessage(err);
    }
    this.#update();
  }

  /** Resolves once no start is in flight (orderly shutdown, tests). */
  async settled(): Promise<void> {
    while (this.#starting) await this.#starting;
  }

  /** Releases any block (also one still starting) and stops listening. */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#turns.clear();
    this.#powerSub.dispose();
    this.#release();
    this.#changed.clear();
  }

  #reasons(): KeepAwakeReason[] {
    const reasons: KeepAwakeReason[] = [];
    if (this.#enabled && this.#remoteAccess && this.#power.onBattery !== true) reasons.push('remote-access');
    if (this.#turns.size > 0) reasons.push('turn');
    return reasons;
  }

  #wanted(): boolean {
    return !this.#disposed && this.#reasons().length > 0;
  }

  #update(): void {
    this.#reconcile();
    this.#emitIfChanged();
  }

  #emitIfChanged(): void {
    if (this.#disposed) return;
    const state = this.state;
    const json = JSON.stringify(state);
    if (json === this.#last) return;
    this.#last = json;
    this.#changed.fire(state);
  }

  /** Brings the OS block in line with the count: start on 0→1, release on 1→0. */
  #reconcile(): void {
    if (!this.#wanted()) {
      this.#gaveUp = false;
      this.#release();
      return;
    }
    if (this.#block || this.#starting || this.#gaveUp || this.#blocker.unavailableReason !== undefined) return;
    const why = this.#reasons()
      .map((r) => WHY[r])
      .join(', ');
    let mine: PowerBlock | undefined;
    let endedEarly: string | undefined;
    let attempt: Promise<PowerBlock>;
    try {
      attempt = this.#blocker.start(`Codex Host: ${why}`, (reason) => {
        if (mine) this.#onEnded(mine, reason);
        else endedEarly = reason;
      });
    } catch (err) {
      attempt = Promise.reject(err instanceof Error ? err : new Error(errorMessage(err)));
    }
    const failed = (reason: string) => {
      this.#failure = reason;
      this.#gaveUp = true;
      this.#logger.warn('cannot keep the computer awake', { mechanism: this.#blocker.name, reason });
    };
    this.#starting = attempt.then(
      (block) => {
        this.#starting = undefined;
        mine = block;
        if (endedEarly !== undefined) {
          block.dispose();
          failed(endedEarly);
          return;
        }
        if (!this.#wanted()) {
          // The count fell to 0 (or we were disposed) while starting: never keep it.
          block.dispose();
          return;
        }
        this.#block = block;
        this.#failure = undefined;
        this.#logger.info('keeping the computer awake', { reasons: this.#reasons(), mechanism: this.#blocker.name });
      },
      (err: unknown) => {
        this.#starting = undefined;
        failed(errorMessage(err));
      },
    );
    void this.#starting.then(() => this.#update());
  }

  #onEnded(block: PowerBlock, reason: string): void {
    if (this.#block !== block) return;
    this.#block = undefined;
    this.#failure = reason;
    this.#gaveUp = true;
    this.#logger.warn('the keep-awake block ended by itself', { mechanism: this.#blocker.name, reason });
    this.#update();
  }

  #release(): void {
    const block = this.#block;
    if (!block) return;
    this.#block = undefined;
    try {
      block.dispose();
    } catch (err) {
      this.#logger.warn('releasing the keep-awake block failed', { error: errorMessage(err) });
    }
    this.#logger.info('no longer keeping the computer awake', { mechanism: this.#blocker.name });
  }
}
