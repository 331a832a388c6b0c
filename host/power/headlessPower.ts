/**
 * Picks the keep-awake adapters for the headless host (no Electron): `systemd-inhibit` and
 * sysfs on Linux, `caffeinate` and `pmset` on macOS, and "not available here: why" elsewhere
 * or when the tool is not on PATH. The Electron app uses `electron/main/adapters/
 * powerSaveBlocker.ts` instead.
 */
import { execFile, spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { access, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { readLinuxOnBattery, type SysfsReader } from './linuxPowerSupply.js';
import { readMacOnBattery, type ExecText } from './macPmset.js';
import { PolledPowerSource } from './polledPowerSource.js';
import { UnavailablePowerBlocker, UnknownPowerSource, type PowerBlocker, type PowerSource } from './powerBlocker.js';
import { ProcessPowerBlocker, type SpawnHelper } from './processPowerBlocker.js';

export interface HeadlessPowerDeps {
  readonly platform?: NodeJS.Platform;
  /** PATH to search for the helper tools. */
  readonly pathEnv?: string | undefined;
  /** Our pid (for `caffeinate -w`). */
  readonly pid?: number;
  readonly spawn?: SpawnHelper;
  readonly isExecutable?: (file: string) => Promise<boolean>;
  readonly sysfs?: SysfsReader;
  readonly exec?: ExecText;
  readonly pollIntervalMs?: number;
}

export interface HeadlessPower {
  readonly blocker: PowerBlocker;
  readonly power: PowerSource;
}

/** The shell command systemd-inhibit runs: says it holds the lock, then lives until our pipe closes. */
export const INHIBIT_CHILD = ['/bin/sh', '-c', 'echo held; exec cat'] as const;

/** Node's fs as a `SysfsReader`. */
export const nodeSysfs: SysfsReader = { readdir: (d) => readdir(d), readFile: (f, e) => readFile(f, e) };

/** The first `name` on `pathEnv` that is executable, or undefined. */
export async function findOnPath(name: string, pathEnv: string | undefined, isExecutable: (file: string) => Promise<boolean>): Promise<string | undefined> {
  for (const dir of (pathEnv ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const file = path.join(dir, name);
    if (await isExecutable(file)) return file;
  }
  return undefined;
}

export async function createHeadlessPower(deps: HeadlessPowerDeps = {}): Promise<HeadlessPower> {
  const platform = deps.platform ?? process.platform;
  const isExecutable =
    deps.isExecutable ??
    ((file: string) =>
      access(file, constants.X_OK).then(
        () => true,
        () => false,
      ));
  const spawnHelper: SpawnHelper = deps.spawn ?? ((command, args, options) => spawn(command, [...args], options));
  const pathEnv = 'pathEnv' in deps ? deps.pathEnv : process.env.PATH;
  if (platform === 'linux') {
    const tool = await findOnPath('systemd-inhibit', pathEnv, isExecutable);
    const blocker = new ProcessPowerBlocker({
      name: 'systemd-inhibit',
      command: tool ?? 'systemd-inhibit',
      args: (why) => ['--what=sleep:idle', '--who=Codex Host', `--why=${why}`, '--mode=block', ...INHIBIT_CHILD],
      ready: 'stdout',
      spawn: spawnHelper,
      ...(tool ? {} : { unavailableReason: 'systemd-inhibit is not installed (not on PATH), so this computer cannot be kept awake' }),
    });
    const sysfs = deps.sysfs ?? nodeSysfs;
    return { blocker, power: new PolledPowerSource({ read: () => readLinuxOnBattery(sysfs), ...interval(deps) }) };
  }
  if (platform === 'darwin') {
    const tool = await findOnPath('caffeinate', pathEnv, isExecutable);
    const pid = deps.pid ?? process.pid;
    const blocker = new ProcessPowerBlocker({
      name: 'caffeinate',
      command: tool ?? 'caffeinate',
      // -i: no idle sleep; -w: end when this process ends (so a killed host never leaks it).
      args: () => ['-i', '-w', String(pid)],
      ready: 'spawned',
      spawn: spawnHelper,
      ...(tool ? {} : { unavailableReason: 'caffeinate is not on PATH, so this computer cannot be kept awake' }),
    });
    const exec: ExecText =
      deps.exec ??
      ((command, args) =>
        new Promise((resolve, reject) => {
          execFile(command, [...args], { timeout: 5000 }, (err, stdout) => (err ? reject(err) : resolve(stdout)));
        }));
    return { blocker, power: new PolledPowerSource({ read: () => readMacOnBattery(exec), ...interval(deps) }) };
  }
  const reason =
    platform === 'win32'
      ? 'the headless host cannot keep Windows awake; the Codex Host desktop app can'
      : `keeping the computer awake is not supported on ${platform}`;
  return { blocker: new UnavailablePowerBlocker(reason), power: new UnknownPowerSource() };
}

function interval(deps: HeadlessPowerDeps): { intervalMs?: number } {
  return deps.pollIntervalMs !== undefined ? { intervalMs: deps.pollIntervalMs } : {};
}
