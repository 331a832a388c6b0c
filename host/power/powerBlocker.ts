/**
 * The two ports keep-awake drives (style.md G6): a `PowerBlocker` that can hold the OS awake
 * (Electron `powerSaveBlocker`, `systemd-inhibit`, `caffeinate`, or nothing) and a
 * `PowerSource` that says whether the computer runs on battery. The policy (`keepAwake.ts`)
 * knows only these interfaces; each adapter is a small file that declares the subset of its
 * library or tool that it uses.
 */
import type { Disposable } from '../../shared/util/lifecycle.js';

/** One held block: dispose releases it (idempotent). */
export type PowerBlock = Disposable;

export interface PowerBlocker {
  /** What this adapter is, for status lines ("systemd-inhibit", "Electron powerSaveBlocker"). */
  readonly name: string;
  /**
   * Why this adapter can never hold the computer awake here (no tool on PATH, unsupported
   * platform), known without trying; undefined when it may work.
   */
  readonly unavailableReason: string | undefined;
  /**
   * Starts preventing system sleep. Resolves once the block is really held; rejects with a
   * one-line reason (e.g. the helper's stderr line) when it cannot be. `onEnded` is called at
   * most once if the block ends by itself (the helper process died) before it is disposed.
   */
  start(why: string, onEnded: (reason: string) => void): Promise<PowerBlock>;
}

export interface PowerSource {
  /** True on battery, false on AC power, undefined when unknown (treated as AC). */
  readonly onBattery: boolean | undefined;
  /** Fires with the new value whenever `onBattery` changes. */
  onDidChange(listener: (onBattery: boolean | undefined) => void): Disposable;
  /** Stops watching (timers, OS listeners). */
  dispose(): void;
}

/** A power source for machines that cannot tell: always "unknown" (so treated as AC). */
export class UnknownPowerSource implements PowerSource {
  readonly onBattery = undefined;
  onDidChange(): Disposable {
    return { dispose() {} };
  }
  dispose(): void {}
}

/** The adapter for platforms with no way to hold the computer awake: always refuses, saying why. */
export class UnavailablePowerBlocker implements PowerBlocker {
  readonly name = 'none';
  constructor(readonly unavailableReason: string) {}
  start(): Promise<PowerBlock> {
    return Promise.reject(new Error(this.unavailableReason));
  }
}
