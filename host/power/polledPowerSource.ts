/**
 * A `PowerSource` for the headless host, which has no OS power events: it reads the power state
 * through an injected `read` (sysfs on Linux, `pmset` on macOS) now and then every
 * `intervalMs`, and fires when the answer changes. A read that fails counts as unknown (AC).
 */
import { Emitter, type Disposable } from '../../shared/util/lifecycle.js';
import type { PowerSource } from './powerBlocker.js';

export const POWER_POLL_INTERVAL_MS = 30_000;

export interface PolledPowerSourceOptions {
  /** True on battery, false on AC, undefined when unknown. */
  readonly read: () => Promise<boolean | undefined>;
  readonly intervalMs?: number;
  /** Timer functions (tests pass fakes); the default interval is unref'd. */
  readonly setInterval?: (fn: () => void, ms: number) => Disposable;
}

export class PolledPowerSource implements PowerSource {
  readonly #read: () => Promise<boolean | undefined>;
  readonly #changed = new Emitter<boolean | undefined>();
  readonly #timer: Disposable;
  #onBattery: boolean | undefined;
  #disposed = false;

  constructor(options: PolledPowerSourceOptions) {
    this.#read = options.read;
    const every =
      options.setInterval ??
      ((fn: () => void, ms: number) => {
        const t = setInterval(fn, ms);
        t.unref();
        return { dispose: () => clearInterval(t) };
      });
    this.#timer = every(() => void this.refresh(), options.intervalMs ?? POWER_POLL_INTERVAL_MS);
    void this.refresh();
  }

  get onBattery(): boolean | undefined {
    return this.#onBattery;
  }

  onDidChange(listener: (onBattery: boolean | undefined) => void): Disposable {
    return this.#changed.on(listener);
  }

  /** Reads the power state now; resolves to the new value (also fired if it changed). */
  async refresh(): Promise<boolean | undefined> {
    let value: boolean | undefined;
    try {
      value = await this.#read();
    } catch {
      value = undefined;
    }
    if (!this.#disposed && value !== this.#onBattery) {
      this.#onBattery = value;
      this.#changed.fire(value);
    }
    return this.#onBattery;
  }

  dispose(): void {
    this.#disposed = true;
    this.#timer.dispose();
    this.#changed.clear();
  }
}
