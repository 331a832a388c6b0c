/**
 * Where the desktop app finds its parts (docs/desktop.md, "Packaging"), run from the repository
 * (`electron .`: the app path is the repository root) or packaged (the app path is
 * `…/resources/app.asar`), and where it keeps its state: the host's data dir is the one the
 * CLI uses (`codex-host status` and `pair` work against the running app), with Chromium's
 * profile and the logs under it.
 */
import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';
import { findCodexBinary } from '../../host/engine/findCodexBinary.js';
import { defaultDataDir } from '../../host/storage/dataDir.js';

export interface DesktopPaths {
  /** The built renderer (served on app://codex-host/). */
  readonly rendererDir: string;
  /** The sandboxed preload (CommonJS). */
  readonly preloadPath: string;
  /** The window icon (Linux, Windows). */
  readonly iconPath: string;
}

export function desktopPaths(appPath: string): DesktopPaths {
  return {
    rendererDir: path.join(appPath, 'dist', 'renderer', 'desktop'),
    preloadPath: path.join(appPath, 'dist', 'electron', 'preload', 'preload.cjs'),
    iconPath: path.join(appPath, 'resources', 'icon.png'),
  };
}

/**
 * The same path outside the archive: electron-builder unpacks native binaries (`asarUnpack`) to
 * `app.asar.unpacked`, and a process can only be started from there.
 */
export function unpackedPath(p: string): string {
  return p.replace(/([\\/])app\.asar(?=[\\/])/, '$1app.asar.unpacked');
}

function isExecutable(p: string): boolean {
  try {
    if (!statSync(p).isFile()) return false;
    accessSync(p, process.platform === 'win32' ? constants.F_OK : constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The engine binary to run: `CODEX_HOST_CODEX_BIN`, else the bundled one, outside app.asar. */
export function desktopCodexBinary(env: NodeJS.ProcessEnv): string {
  return unpackedPath(findCodexBinary({ env, isExecutableFile: (p) => isExecutable(unpackedPath(p)) }).path);
}

export interface DesktopState {
  /** The host's data dir (shared with the CLI). */
  readonly dataDir: string;
  /** Chromium's profile (set as Electron's `userData`), inside the data dir. */
  readonly userData: string;
}

/** `--data-dir=<dir>` from the command line, else the CLI's default data dir. */
export function desktopState(argv: readonly string[], platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): DesktopState {
  const flag = argv.find((a) => a.startsWith('--data-dir='));
  const given = flag?.slice('--data-dir='.length);
  const dataDir = given ? path.resolve(given) : defaultDataDir(platform, env);
  return { dataDir, userData: path.join(dataDir, 'desktop') };
}
