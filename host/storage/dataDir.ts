/**
 * The host's data directory: per-OS default, creation with mode 0700, and a writability probe
 * that turns EACCES/ENOTDIR/EROFS into one clear sentence.
 */
import { mkdir, open, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { errorMessage } from '../../shared/util/errors.js';

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
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    const why =
      code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'ENOTDIR' || code === 'EEXIST' ? 'a path component is not a directory' : code === 'EROFS' ? 'read-only file system' : errorMessage(err);
    throw new DataDirError(`data dir ${abs} is not writable (${why}); choose another with --data-dir`);
  }
  return abs;
}
