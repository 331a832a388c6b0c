/**
 * The file-system subset discovery reads through (style.md G6): injected so the walk over
 * `~/.ssh/config` and its `Include`s is unit-tested on an in-memory tree, and read-only by
 * construction (discovery never writes to `~/.ssh`, anti-pattern 10).
 */
import { readFile, readdir, realpath, stat } from 'node:fs/promises';

export interface ConfigFs {
  /** The file's text; rejects with a Node-style error (`code` ENOENT, EACCES, EISDIR…). */
  readFile(path: string): Promise<string>;
  /** Entry names of a directory. */
  readdir(path: string): Promise<string[]>;
  /** The canonical path (symlinks resolved), for cycle detection. */
  realpath(path: string): Promise<string>;
  stat(path: string): Promise<{ readonly size: number; readonly isDirectory: boolean }>;
}

/** The real file system. */
export const nodeConfigFs: ConfigFs = {
  readFile: (p) => readFile(p, 'utf8'),
  readdir: (p) => readdir(p),
  realpath: (p) => realpath(p),
  stat: async (p) => {
    const s = await stat(p);
    return { size: s.size, isDirectory: s.isDirectory() };
  },
};
