/**
 * Keep-awake in the desktop app (docs/keep-awake.md): Electron's `powerSaveBlocker` with
 * 'prevent-app-suspension' (the system stays up, the display may sleep) as the `PowerBlocker`,
 * and `powerMonitor`'s `on-ac` / `on-battery` events as the `PowerSource`. Both take the
 * Electron modules as constructor arguments, typed by the subsets declared here (style.md G6),
 * so main passes the real ones and tests pass fakes without loading Electron.
 */
import type { Disposable } from '../../../shared/util/lifecycle.js';
import { Emitter } from '../../../shared/util/lifecycle.js';
import type { PowerBlock, PowerBlocker, PowerSource } from '../../../host/power/powerBlocker.js';

/** The subset of Electron's `powerSaveBlocker` used. */
export interface PowerSaveBlockerModule {
  start(type: 'prevent-app-suspension'): number;
  stop(id: number): boolean;
  isStarted(id: number): boolean;
}

/** The subset of Electron's `powerMonitor` used. */
export interface PowerMonitorModule {
  isOnBatteryPower(): boolean;
  on(event: 'on-ac', listener: () => void): unknown;
  on(event: 'on-battery', listener: () => void): unknown;
  removeListener(event: 'on-ac', listener: () => void): unknown;
  removeListener(event: 'on-battery', listener: () => void): unknown;
}

export class ElectronPowerSaveBlocker implements PowerBlocker {
  readonly name = 'Electron powerSaveBlocker';
  readonly unavailableReason = undefined;
  readonly #module: PowerSaveBlockerModule;

  constructor(powerSaveBlocker: PowerSaveBlockerModule) {
    this.#module = powerSaveBlocker;
  }

  /** Electron's blocker is synchronous and cannot end by itself, so `onEnded` is never called. */
  start(): Promise<PowerBlock> {
    let id: number;
    try {
      id = this.#module.start('prevent-app-suspension');
    } catch (err) {
      return Promise.reject(new Error(`powerSaveBlocker: ${err instanceof Error ? err.message : String(err)}`));
    }
    if (!this.#module.isStarted(id)) return Promise.reject(new Error('powerSaveBlocker: the system refused to prevent sleep'));
    let stopped = false;
    return Promise.resolve({
      dispose: () => {
        if (stopped) return;
        stopped = true;
        this.#module.stop(id);
      },
    });
  }
}

export class ElectronPowerSource implements PowerSource {
  readonly #module: PowerMonitorModule;
  readonly #changed = new Emitter<boolean | undefined>();
  readonly #onAc = () => this.#set(false);
  readonly #onBatteryEvent = () => this.#set(true);
  #onBattery: boolean;
  #disposed = false;

  constructor(powerMonitor: PowerMonitorModule) {
    this.#module = powerMonitor;
    this.#onBattery = powerMonitor.isOnBatteryPower();
    powerMonitor.on('on-ac', this.#onAc);
    powerMonitor.on('on-battery', this.#onBatteryEvent);
  }

  get onBattery(): boolean {
    return this.#onBattery;
  }

  onDidChange(listener: (onBattery: boolean | undefined) => void): Disposable {
    return this.#changed.on(listener);
  }

  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#module.removeListener('on-ac', this.#onAc);
    this.#module.removeListener('on-battery', this.#onBatteryEvent);
    this.#changed.clear();
  }

  #set(onBattery: boolean): void {
    if (this.#disposed || onBattery === this.#onBattery) return;
    this.#onBattery = onBattery;
    this.#changed.fire(onBattery);
  }
}
