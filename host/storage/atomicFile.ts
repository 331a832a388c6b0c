/**
 * Atomic state files (docs/architecture.md, H6): `write-file-atomic` writes a temp file,
 * fsyncs it and renames it over the target, so a crash at any instant leaves the old or the
 * new file, never a torn one. Reads are bounded (regular files only, a byte cap), parse with
 * a schema and report corruption clearly. A crash between the temp write and the rename leaves
 * the temp file (`<name>.<uint32>`); `removeAtomicTempFiles` clears those at start.
 */
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import writeFileAtomicLib from 'write-file-atomic';
import type { z } from 'zod';
import { parseJson, parseUnknown } from '../../shared/util/schema.js';
import { readBoundedFile } from './boundedRead.js';

export async function writeFileAtomic(file: string, data: string | Uint8Array, mode = 0o600): Promise<void> {
  await writeFileAtomicLib(file, typeof data === 'string' ? data : Buffer.from(data), { mode, fsync: true });
}

export async function writeJsonAtomic(file: string, value: unknown, mode = 0o600): Promise<void> {
  await writeFileAtomic(file, `${JSON.stringify(value, null, 2)}\n`, mode);
}

/** Default cap of `readJsonFile`: a state file bigger than this is a wrong path or corruption. */
export const MAX_STATE_FILE_BYTES = 4 * 1024 * 1024;

/**
 * Reads and validates a JSON file. Returns undefined when the file does not exist; throws
 * `SchemaParseError` (naming the file) when it exists but is not valid, and `FileRefusedError`
 * when it is not a regular file or is larger than `maxBytes` (never read whole).
 */
export async function readJsonFile<S extends z.ZodType>(file: string, schema: S, maxBytes = MAX_STATE_FILE_BYTES): Promise<z.output<S> | undefined> {
  let text: string;
  try {
    text = Buffer.from((await readBoundedFile(file, maxBytes)).bytes).toString('utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  return parseUnknown(schema, parseJson(text, file), file);
}

/** `write-file-atomic`'s temp name for `name`: `name.` + a decimal uint32. */
export function isAtomicTempFor(name: string, candidate: string): boolean {
  return candidate.startsWith(`${name}.`) && /^\d{1,10}$/.test(candidate.slice(name.length + 1));
}

/**
 * Deletes the temp files an interrupted atomic write of one of `names` left in `dir`, and
 * returns their names. Call it only while no write can be running (the data-dir lock is held).
 */
export async function removeAtomicTempFiles(dir: string, names: readonly string[]): Promise<string[]> {
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const stale = entries.filter((e) => names.some((n) => isAtomicTempFor(n, e)));
  for (const e of stale) await rm(path.join(dir, e), { force: true });
  return stale;
}
