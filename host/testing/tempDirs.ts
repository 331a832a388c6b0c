/**
 * Temporary folders for unit tests that touch the file system (state files, secrets, locks):
 * `useTempDirs('devices-')` registers an `afterAll` that removes every folder the returned
 * function made, so a test run leaves nothing in the OS temp dir.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';

/** Call once per file (or `describe`); each call of the result makes a new empty folder. */
export function useTempDirs(prefix: string): () => Promise<string> {
  const made: string[] = [];
  afterAll(async () => {
    await Promise.all(made.splice(0).map((d) => rm(d, { recursive: true, force: true })));
  });
  return async () => {
    const d = await mkdtemp(path.join(os.tmpdir(), prefix));
    made.push(d);
    return d;
  };
}
