/**
 * ssh-style strict modes for the data dir (docs/security.md "A data dir someone else controls is
 * refused"). Whoever can write the data dir, `secrets/` or a state file can swap in their own
 * host identity or trusted-device list and then drive the agent as this user. So before
 * anything is read, the host refuses to start, with the fix in one line, when:
 * - the data dir, `secrets/`, a state file or a secret file is owned by another user, or is
 *   writable by group or others;
 * - a parent directory is owned by someone other than this user or root (they could rename
 *   the data dir away and put their own in its place), or is writable by group/others without
 *   the sticky bit (`/tmp` is fine: the sticky bit stops others renaming what is ours).
 * An existing directory is checked like one the host created. Windows has no POSIX modes:
 * there the checks are skipped (the data dir lives in the user's profile).
 */
import { readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';

export class UnsafeDataDirError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsafeDataDirError';
  }
}

/** What the checks need of a file (fs.Stats fits). */
export interface ModeInfo {
  readonly uid: number;
  readonly mode: number;
  isDirectory(): boolean;
}

export interface StrictModesDeps {
  /** This process's uid; undefined where there are no POSIX owners (Windows): nothing is checked. */
  readonly uid?: number | undefined;
  readonly stat?: (p: string) => Promise<ModeInfo>;
}

export interface StrictModesTargets {
  /** State files directly in the data dir (checked when they exist). */
  readonly stateFiles: readonly string[];
  /** Directories inside the data dir whose every entry is a secret (checked when they exist). */
  readonly secretDirs: readonly string[];
}

const GROUP_OTHER_WRITE = 0o022;
const STICKY = 0o1000;

const octal = (mode: number) => (mode & 0o7777).toString(8).padStart(3, '0');

/**
 * Throws `UnsafeDataDirError` naming the first unsafe path and the command that fixes it.
 * `dataDir` must exist (ensureDataDir creates it first).
 */
export async function checkStrictModes(dataDir: string, targets: StrictModesTargets, deps: StrictModesDeps = {}): Promise<void> {
  const uid = 'uid' in deps ? deps.uid : process.getuid?.();
  if (uid === undefined) return;
  const statOf = deps.stat ?? stat;
  const real = await realpath(dataDir).catch(() => dataDir);

  for (const parent of ancestorsOf(real)) {
    const st = await statOf(parent);
    if (st.uid !== uid && st.uid !== 0) {
      throw new UnsafeDataDirError(
        `${parent} (a parent of data dir ${dataDir}) is owned by another user (uid ${st.uid}), who could replace the data dir: choose a --data-dir under a directory only you or root own`,
      );
    }
    if (st.mode & GROUP_OTHER_WRITE && !(st.mode & STICKY)) {
      throw new UnsafeDataDirError(`${parent} (a parent of data dir ${dataDir}) is writable by group/others (mode ${octal(st.mode)}): run chmod go-w ${parent}, or choose another --data-dir`);
    }
  }

  await checkOwned('data dir', dataDir, await statOf(dataDir), uid);
  for (const name of targets.stateFiles) {
    const file = path.join(dataDir, name);
    const st = await statIfExists(statOf, file);
    if (st) await checkOwned('state file', file, st, uid);
  }
  for (const name of targets.secretDirs) {
    const dir = path.join(dataDir, name);
    const st = await statIfExists(statOf, dir);
    if (!st) continue;
    await checkOwned('secrets dir', dir, st, uid);
    for (const entry of await readdir(dir)) {
      const file = path.join(dir, entry);
      const est = await statIfExists(statOf, file);
      if (est) await checkOwned('secret file', file, est, uid);
    }
  }
}

async function checkOwned(what: string, p: string, st: ModeInfo, uid: number): Promise<void> {
  const dir = st.isDirectory();
  if (st.uid !== uid) {
    throw new UnsafeDataDirError(
      `${what} ${p} is owned by another user (uid ${st.uid}), not by you (uid ${uid}): someone else may have put it there; check it, then run chown ${dir ? '-R ' : ''}${uid} ${p}, or choose another --data-dir`,
    );
  }
  if (st.mode & GROUP_OTHER_WRITE) {
    throw new UnsafeDataDirError(`${what} ${p} is writable by group/others (mode ${octal(st.mode)}): run chmod ${dir ? '700' : '600'} ${p}`);
  }
}

async function statIfExists(statOf: (p: string) => Promise<ModeInfo>, p: string): Promise<ModeInfo | undefined> {
  try {
    return await statOf(p);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** `/a/b/c` → `/a/b`, `/a`, `/`. */
function ancestorsOf(p: string): string[] {
  const out: string[] = [];
  let cur = path.dirname(p);
  for (;;) {
    out.push(cur);
    const up = path.dirname(cur);
    if (up === cur) break;
    cur = up;
  }
  return out;
}
