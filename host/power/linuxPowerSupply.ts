/**
 * Whether a Linux machine runs on battery, from `/sys/class/power_supply/<name>/{type,online,
 * scope,status}`. A machine without a system battery (a server, a container, a desktop) is on
 * AC. Batteries of peripherals (`scope` = `Device`: mice, headsets) do not count.
 */
import path from 'node:path';

export const POWER_SUPPLY_DIR = '/sys/class/power_supply';

/** The subset of `node:fs/promises` used (tests pass a fake tree). */
export interface SysfsReader {
  readdir(dir: string): Promise<string[]>;
  readFile(file: string, encoding: 'utf8'): Promise<string>;
}

const EXTERNAL_TYPES = new Set(['Mains', 'USB', 'USB_C', 'USB_PD', 'USB_PD_DRP', 'USB_DCP', 'USB_CDP', 'USB_ACA', 'Wireless']);

/** True on battery, false on AC (or no battery), undefined if the directory cannot be read. */
export async function readLinuxOnBattery(fs: SysfsReader, root = POWER_SUPPLY_DIR): Promise<boolean | undefined> {
  let names: string[];
  try {
    names = await fs.readdir(root);
  } catch {
    return undefined;
  }
  const read = (name: string, file: string) =>
    fs.readFile(path.join(root, name, file), 'utf8').then(
      (s) => s.trim(),
      () => undefined,
    );
  let batteries = 0;
  let discharging = false;
  let externals = 0;
  let externalOnline = false;
  for (const name of names.slice(0, 64)) {
    const type = await read(name, 'type');
    if (type === 'Battery') {
      if ((await read(name, 'scope')) === 'Device') continue;
      batteries += 1;
      if ((await read(name, 'status')) === 'Discharging') discharging = true;
    } else if (type !== undefined && EXTERNAL_TYPES.has(type)) {
      externals += 1;
      if ((await read(name, 'online')) === '1') externalOnline = true;
    }
  }
  if (batteries === 0) return false;
  if (externals > 0) return !externalOnline;
  return discharging;
}
