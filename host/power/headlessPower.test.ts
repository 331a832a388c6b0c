import { EventEmitter } from 'node:events';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createHeadlessPower, findOnPath } from './headlessPower.js';
import { readLinuxOnBattery, type SysfsReader } from './linuxPowerSupply.js';
import { parsePmsetBatt } from './macPmset.js';
import { PolledPowerSource } from './polledPowerSource.js';

/** A fake /sys/class/power_supply: name → { file: contents }. */
function sysfs(tree: Record<string, Record<string, string>> | undefined): SysfsReader {
  return {
    readdir: (dir) => (tree ? Promise.resolve(Object.keys(tree)) : Promise.reject(new Error(`ENOENT: ${dir}`))),
    readFile: (file) => {
      const [name, leaf] = [path.basename(path.dirname(file)), path.basename(file)];
      const v = tree?.[name]?.[leaf];
      return v === undefined ? Promise.reject(new Error(`ENOENT: ${file}`)) : Promise.resolve(`${v}\n`);
    },
  };
}

const noTimer = () => ({ dispose() {} });

describe('readLinuxOnBattery', () => {
  const cases: [string, Record<string, Record<string, string>> | undefined, boolean | undefined][] = [
    ['no power_supply directory (container)', undefined, undefined],
    ['no supplies at all (server): AC', {}, false],
    ['mains only (desktop): AC', { AC: { type: 'Mains', online: '1' } }, false],
    ['laptop plugged in', { AC: { type: 'Mains', online: '1' }, BAT0: { type: 'Battery', status: 'Charging' } }, false],
    ['laptop on battery', { AC: { type: 'Mains', online: '0' }, BAT0: { type: 'Battery', status: 'Discharging' } }, true],
    ['laptop charging over USB-C', { AC: { type: 'Mains', online: '0' }, ucsi: { type: 'USB', online: '1' }, BAT0: { type: 'Battery', status: 'Charging' } }, false],
    ['only a mouse battery: AC', { hidpp_battery_0: { type: 'Battery', scope: 'Device', status: 'Discharging' } }, false],
    ['battery without a mains entry, discharging', { BAT0: { type: 'Battery', status: 'Discharging' } }, true],
    ['battery without a mains entry, full', { BAT0: { type: 'Battery', status: 'Full' } }, false],
  ];
  for (const [name, tree, expected] of cases) {
    it(name, async () => {
      expect(await readLinuxOnBattery(sysfs(tree))).toBe(expected);
    });
  }
});

describe('parsePmsetBatt', () => {
  it('reads AC, battery and UPS power, and unknown output', () => {
    expect(parsePmsetBatt("Now drawing from 'AC Power'\n -InternalBattery-0 (id=1)\t100%; charged;")).toBe(false);
    expect(parsePmsetBatt("Now drawing from 'Battery Power'\n -InternalBattery-0 (id=1)\t81%; discharging;")).toBe(true);
    expect(parsePmsetBatt("Now drawing from 'UPS Power'")).toBe(true);
    expect(parsePmsetBatt('pmset: unknown')).toBeUndefined();
  });
});

describe('PolledPowerSource', () => {
  it('fires on a change only, and treats a failing read as unknown', async () => {
    let value: boolean | undefined | 'throw' = false;
    const src = new PolledPowerSource({
      read: () => (value === 'throw' ? Promise.reject(new Error('EIO')) : Promise.resolve(value)),
      setInterval: noTimer,
    });
    const seen: (boolean | undefined)[] = [];
    src.onDidChange((v) => seen.push(v));
    await src.refresh();
    await src.refresh();
    value = true;
    await src.refresh();
    value = 'throw';
    await src.refresh();
    expect(seen).toEqual([false, true, undefined]);
    src.dispose();
  });
});

describe('createHeadlessPower', () => {
  const onPath = (...files: string[]) => (f: string) => Promise.resolve(files.includes(f));

  it('finds the first executable on PATH', async () => {
    expect(await findOnPath('caffeinate', '/a:/usr/bin:/b', onPath('/usr/bin/caffeinate', '/b/caffeinate'))).toBe('/usr/bin/caffeinate');
    expect(await findOnPath('caffeinate', '', onPath('/usr/bin/caffeinate'))).toBeUndefined();
  });

  it('uses systemd-inhibit on Linux and says why not when it is missing', async () => {
    const found = await createHeadlessPower({ platform: 'linux', pathEnv: '/usr/bin', isExecutable: onPath('/usr/bin/systemd-inhibit'), sysfs: sysfs({}) });
    expect([found.blocker.name, found.blocker.unavailableReason]).toEqual(['systemd-inhibit', undefined]);
    found.power.dispose();
    const missing = await createHeadlessPower({ platform: 'linux', pathEnv: '/usr/bin', isExecutable: onPath(), sysfs: sysfs({}) });
    expect(missing.blocker.unavailableReason).toBe('systemd-inhibit is not installed (not on PATH), so this computer cannot be kept awake');
    missing.power.dispose();
  });

  it('runs caffeinate -i -w <our pid> on macOS, held once spawned', async () => {
    const argv: string[][] = [];
    const { blocker, power } = await createHeadlessPower({
      platform: 'darwin',
      pathEnv: '/usr/bin',
      pid: 777,
      isExecutable: onPath('/usr/bin/caffeinate'),
      exec: () => Promise.resolve("Now drawing from 'Battery Power'"),
      spawn: (c, a) => {
        argv.push([c, ...a]);
        const child = Object.assign(new EventEmitter(), { stdin: { end() {}, on() {} }, stdout: null, stderr: null, kill: () => true });
        setImmediate(() => child.emit('spawn'));
        return child;
      },
    });
    const block = await blocker.start('why', () => {});
    block.dispose();
    expect(argv).toEqual([['/usr/bin/caffeinate', '-i', '-w', '777']]);
    await (power as PolledPowerSource).refresh();
    expect(power.onBattery).toBe(true);
    power.dispose();
  });

  it('says why keeping awake is not available on Windows', async () => {
    const { blocker, power } = await createHeadlessPower({ platform: 'win32' });
    expect(blocker.unavailableReason).toBe('the headless host cannot keep Windows awake; the Codex Host desktop app can');
    expect(power.onBattery).toBeUndefined();
    await expect(blocker.start('why', () => {})).rejects.toThrow(blocker.unavailableReason!);
  });
});

