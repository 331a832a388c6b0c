import { EventEmitter } from 'node:events';
import type { PowerMonitor, PowerSaveBlocker } from 'electron';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { KeepAwake } from '../../../host/power/keepAwake.js';
import { silentLogger } from '../../../shared/util/logger.js';
import { ElectronPowerSaveBlocker, ElectronPowerSource, type PowerMonitorModule, type PowerSaveBlockerModule } from './powerSaveBlocker.js';

/** Electron's powerSaveBlocker as the OS sees it: ids of running blockers. */
class FakePowerSaveBlocker implements PowerSaveBlockerModule {
  running = new Map<number, string>();
  refuse = false;
  #next = 0;
  start(type: 'prevent-app-suspension'): number {
    const id = this.#next++;
    if (!this.refuse) this.running.set(id, type);
    return id;
  }
  stop(id: number): boolean {
    return this.running.delete(id);
  }
  isStarted(id: number): boolean {
    return this.running.has(id);
  }
}

class FakePowerMonitor extends EventEmitter implements PowerMonitorModule {
  battery = false;
  isOnBatteryPower(): boolean {
    return this.battery;
  }
  unplug(): void {
    this.battery = true;
    this.emit('on-battery');
  }
  plugIn(): void {
    this.battery = false;
    this.emit('on-ac');
  }
}

describe('Electron keep-awake adapters', () => {
  it('fit the real electron module types (checked by tsc -p electron)', () => {
    expectTypeOf<PowerSaveBlocker>().toExtend<PowerSaveBlockerModule>();
    expectTypeOf<PowerMonitor>().toExtend<PowerMonitorModule>();
  });

  it('hold one prevent-app-suspension blocker while a turn runs and stop it after', async () => {
    const psb = new FakePowerSaveBlocker();
    const ka = new KeepAwake({ blocker: new ElectronPowerSaveBlocker(psb), power: new ElectronPowerSource(new FakePowerMonitor()), logger: silentLogger });
    ka.acquireTurn('env/thread');
    await ka.settled();
    expect([...psb.running.values()]).toEqual(['prevent-app-suspension']);
    expect(ka.state).toMatchObject({ held: true, reasons: ['turn'], mechanism: 'Electron powerSaveBlocker' });
    ka.releaseTurn('env/thread');
    expect(psb.running.size).toBe(0);
  });

  it('follow powerMonitor AC/battery events for the remote-access reason', async () => {
    const psb = new FakePowerSaveBlocker();
    const monitor = new FakePowerMonitor();
    const power = new ElectronPowerSource(monitor);
    const ka = new KeepAwake({ blocker: new ElectronPowerSaveBlocker(psb), power, logger: silentLogger, remoteAccess: true });
    await ka.settled();
    expect(psb.running.size).toBe(1);
    monitor.unplug();
    expect(ka.state).toMatchObject({ held: false, onBattery: true, reasons: [] });
    expect(psb.running.size).toBe(0);
    monitor.plugIn();
    await ka.settled();
    expect(ka.state).toMatchObject({ held: true, onBattery: false, reasons: ['remote-access'] });
    ka.dispose();
    power.dispose();
    expect(psb.running.size).toBe(0);
    expect(monitor.listenerCount('on-ac') + monitor.listenerCount('on-battery')).toBe(0);
  });

  it('start on battery when Electron says so at startup', () => {
    const monitor = new FakePowerMonitor();
    monitor.battery = true;
    expect(new ElectronPowerSource(monitor).onBattery).toBe(true);
  });

  it('report a blocker the system refused as unavailable', async () => {
    const psb = new FakePowerSaveBlocker();
    psb.refuse = true;
    const ka = new KeepAwake({ blocker: new ElectronPowerSaveBlocker(psb), power: new ElectronPowerSource(new FakePowerMonitor()), logger: silentLogger });
    ka.acquireTurn('t');
    await ka.settled();
    expect(ka.state).toMatchObject({ held: false, available: false, unavailableReason: 'powerSaveBlocker: the system refused to prevent sleep' });
  });
});
