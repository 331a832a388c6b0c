/**
 * Atomic state files (docs/architecture.md, H6): `write-file-atomic` writes a temp file,
 * fsyncs it and renames it over the target, so a crash at any instant leaves the old or the
 * new file, never a torn one. Reads parse with a schema and report corruption clearly.
 */
import { readFile, stat } from 'node:fs/promises';
import writeFileAtomicLib from 'write-file-atomic';
import type { z } from 'zod';
import { parseJson, parseUnknown } from '../../shared/util/schema.js';

export async function writeFileAtomic(file: string, data: string | Uint8Array, mode = 0o600): Promise<void> {
  await writeFileAtomicLib(file, typeof data === 'string' ? data : Buffer.from(data), { mode, fsync: true });
}

export async function writeJsonAtomic(file: string, value: unknown, mode = 0o600): Promise<void> {
  await writeFileAtomic(file, `${JSON.stringify(value, null, 2)}\n`, mode);
}

/**
 * Reads and validates a JSON file. Returns undefined when the file does not exist; throws
 * `SchemaParseError` (naming the file) when it exists but is not valid.
 */
export async function readJsonFile<S extends z.ZodType>(file: string, schema: S, maxBytes = 4 * 1024 * 1024): Promise<z.output<S> | undefined> {
  let text: string;
  try {
    // Check the size before reading: a huge file (wrong path, corruption) is never loaded whole.
    const { size } = await stat(file);
    if (size > maxBytes) throw new Error(`${file}: larger than ${maxBytes} bytes`);
    text = (await readFile(file)).toString('utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  return parseUnknown(schema, parseJson(text, file), file);
}
