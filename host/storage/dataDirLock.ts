/**
 * One host per data dir (docs/security.md): two hosts on one identity and one device list
 * would each trust, revoke and pair on their own, and the CLI would manage only one of them.
 * The probe of the control endpoint cannot decide this (a busy or flooded endpoint looks like
 * no host at all), so the data dir holds a lock file created with O_EXCL that names the owner
 * (pid and, on Linux, the process start time, so a reused pid is not mistaken for the owner).
 * A lock whose owner is gone (kill -9, power loss) is stale and is taken over.
 */
import { readFileSync } from 'node:fs';
import { open, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { parseJson, parseUnknown } from '../../shared/util/schema.js';
import type { AsyncDisposable } from '../../shared/util/lifecycle.js';

export const LOCK_FILE_NAME = 'host.lock';

export class DataDirLockedError extends Error {
  constructor(
    message: string,
    readonly pid: number,
  ) {
    super(message);
    this.name = 'DataDirLockedError';
  }
}

const LockSchema = z.object({ pid: z.number().int().positive(), start: z.string().max(32).nullable(), startedAt: z.string().max(40) }).strict();
type LockContent = z.infer<typeof LockSchema>;

/** How the lock learns about processes (replaceable in tests). */
export interface LockDeps {
  readonly pid?: number;
  /** True if a process with this pid exists (EPERM counts: it exists, it is someone else's). */
  readonly isAlive?: (pid: number) => boolean;
  /** An opaque start-time token of `pid` (Linux: /proc/PID/stat field 22), or null if unknown. */
  readonly startToken?: (pid: number) => string | null;
  readonly now?: () => Date;
}

/** Locks held by this process (an in-process second start on the same dir is refused too). */
const heldHere = new Set<string>();

/** A held lock; `dispose()` removes the file (only if it is still ours). */
export interface DataDirLock extends AsyncDisposable {
  readonly file: string;
}

/** A lock file still being written by its creator looks empty for a moment: wait this long before calling it stale. */
const UNREADABLE_GRACE_MS = 2000;

/**
 * Takes the data-dir lock or throws `DataDirLockedError` naming the running host's pid.
 * A stale lock (dead owner, or a reused pid with another start time) is removed and retaken.
 */
export async function lockDataDir(dataDir: string, deps: LockDeps = {}): Promise<DataDirLock> {
  const file = path.join(dataDir, LOCK_FILE_NAME);
  const pid = deps.pid ?? process.pid;
  const isAlive = deps.isAlive ?? processExists;
  const startToken = deps.startToken ?? linuxStartToken;
  const now = deps.now ?? (() => new Date());
  const mine: LockContent = { pid, start: startToken(pid), startedAt: now().toISOString() };
  const text = `${JSON.stringify(mine)}\n`;

  for (let attempt = 0; attempt < 50; attempt++) {
    try {
      const fh = await open(file, 'wx', 0o600);
      try {
        await fh.writeFile(text, 'utf8');
        await fh.sync();
      } finally {
        await fh.close();
      }
      heldHere.add(file);
      return {
        file,
        dispose: async () => {
          heldHere.delete(file);
          const current = await readFile(file, 'utf8').catch(() => undefined);
          if (current === text) await rm(file, { force: true });
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const seen = await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return undefined;
      throw err;
    });
    if (seen === undefined) continue; // released meanwhile: try again
    const owner = parseLock(seen, file);
    if (owner === undefined) {
      // Empty or torn: a host that is creating it right now, or one that crashed mid-write.
      const age = Date.now() - (await stat(file).then((s) => s.mtimeMs, () => 0));
      if (age < UNREADABLE_GRACE_MS) {
        await new Promise((r) => setTimeout(r, 50));
        continue;
      }
    } else if (ownerIsRunning(owner, pid, file, isAlive, startToken)) {
      throw new DataDirLockedError(
        `codex-host is already running with data dir ${dataDir}; stop it first or choose another --data-dir (pid ${owner.pid} holds ${file})`,
        owner.pid,
      );
    }
    // Stale. Remove it only if it is still the same stale content (another starter may have
    // replaced it with a live lock in the meantime).
    const again = await readFile(file, 'utf8').catch(() => undefined);
    if (again === seen) await rm(file, { force: true });
  }
  throw new Error(`could not take the lock ${file}: it keeps changing; is another codex-host starting?`);
}

function parseLock(text: string, file: string): LockContent | undefined {
  try {
    return parseUnknown(LockSchema, parseJson(text, file), file);
  } catch {
    return undefined;
  }
}

function ownerIsRunning(owner: LockContent, selfPid: number, file: string, isAlive: (pid: number) => boolean, startToken: (pid: number) => string | null): boolean {
  if (owner.pid === selfPid) return heldHere.has(file); // our pid from an earlier life (e.g. a container restart) is stale
  if (!isAlive(owner.pid)) return false;
  // Same pid, another process (pid reuse after a crash): the start time tells them apart.
  if (owner.start !== null) {
    const current = startToken(owner.pid);
    if (current !== null && current !== owner.start) return false;
  }
  return true;
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Field 22 of /proc/PID/stat (start time in clock ticks since boot); null off Linux. */
function linuxStartToken(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may contain spaces: split after it.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19] ?? null;
  } catch {
    return null;
  }
}
