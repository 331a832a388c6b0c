/**
 * The host's data directory: per-OS default, creation with mode 0700, a writability probe
 * that turns EACCES/ENOTDIR/EROFS into one clear sentence, and `prepareDataDir`, which adds
 * the strict-modes check, the one-host lock and the temp-file cleanup before anything is read.
 */
import { mkdir, open, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { errorMessage } from '../../shared/util/errors.js';
import type { AsyncDisposable } from '../../shared/util/lifecycle.js';
import { removeAtomicTempFiles } from './atomicFile.js';
import { lockDataDir, type LockDeps } from './dataDirLock.js';
import { checkStrictModes, type StrictModesDeps } from './strictModes.js';

export class DataDirError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DataDirError';
  }
}

/** ~/.config/codex-host (Linux, honouring XDG_CONFIG_HOME), ~/Library/Application Support/Codex Host, %APPDATA%\Codex Host. */
export function defaultDataDir(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env, home = os.homedir()): string {
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Codex Host');
  if (platform === 'win32') return path.win32.join(env.APPDATA ?? path.win32.join(home, 'AppData', 'Roaming'), 'Codex Host');
  const xdg = env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : path.join(home, '.config');
  return path.join(xdg, 'codex-host');
}

/** Creates the directory (0700) if needed and proves it is writable. */
export async function ensureDataDir(dir: string): Promise<string> {
  const abs = path.resolve(dir);
  try {
    await mkdir(abs, { recursive: true, mode: 0o700 });
    const probe = path.join(abs, `.write-probe-${process.pid}`);
    const fh = await open(probe, 'w', 0o600);
    await fh.close();
    await rm(probe, { force: true });
  } catch (err) {
    throw notWritable(abs, err);
  }
  return abs;
}

function notWritable(abs: string, err: unknown): DataDirError {
  const code = (err as NodeJS.ErrnoException).code ?? 'error';
  const why =
    code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'ENOTDIR' || code === 'EEXIST' ? 'a path component is not a directory' : code === 'EROFS' ? 'read-only file system' : errorMessage(err);
  return new DataDirError(`data dir ${abs} is not writable (${why}); choose another with --data-dir`);
}

export interface DataDirLayout {
  /** Every state file the host keeps directly in the data dir (checked by strict modes). */
  readonly stateFiles: readonly string[];
  /** The subset written atomically (their interrupted-write temp files are removed at start). */
  readonly atomicFiles: readonly string[];
  /** Directories of secret files (checked by strict modes; temp files removed at start). */
  readonly secretDirs: readonly string[];
}

/** A data dir the host may use: created, owned by this user and safe, locked, temp files cleared. */
export interface PreparedDataDir extends AsyncDisposable {
  readonly dir: string;
  /** Temp files of interrupted atomic writes that were removed (relative to the data dir). */
  readonly removedTempFiles: readonly string[];
}

/**
 * Everything before the first state file is read, in this order: create (0700) or check the
 * directory, refuse unsafe owners and modes (strict modes), prove it writable, take the
 * one-host lock, then remove leftover temp files (safe only once the lock is held: no other
 * host can be writing). `dispose()` releases the lock.
 */
export async function prepareDataDir(dir: string, layout: DataDirLayout, deps: { strictModes?: StrictModesDeps; lock?: LockDeps } = {}): Promise<PreparedDataDir> {
  const abs = path.resolve(dir);
  try {
    await mkdir(abs, { recursive: true, mode: 0o700 });
  } catch (err) {
    throw notWritable(abs, err);
  }
  await checkStrictModes(abs, { stateFiles: layout.stateFiles, secretDirs: layout.secretDirs }, deps.strictModes);
  await ensureDataDir(abs);
  const lock = await lockDataDir(abs, deps.lock);
  try {
    const removed = await removeAtomicTempFiles(abs, layout.atomicFiles);
    for (const sub of layout.secretDirs) {
      const entries = await readdir(path.join(abs, sub)).catch(() => [] as string[]);
      const names = [...new Set(entries.map((e) => /^([a-z0-9-]{1,64})\.\d{1,10}$/.exec(e)?.[1]).filter((n): n is string => n !== undefined))];
      removed.push(...(await removeAtomicTempFiles(path.join(abs, sub), names)).map((e) => path.join(sub, e)));
    }
    return { dir: abs, removedTempFiles: removed, dispose: () => lock.dispose() };
  } catch (err) {
    await lock.dispose();
    throw err;
  }
}
