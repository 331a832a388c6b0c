/**
 * What the two built-site servers share (relay/server/phoneApp.ts for the phone app,
 * host/ui-bridge/staticSite.ts for the desktop UI): finding this package's folder, and reading
 * a build folder into memory keyed by URL path, bounded, so that only files that exist in the
 * build can ever be answered. Content types, cache policy and errors stay with each server.
 */
import { existsSync, readFileSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The root of the `codex-host` package holding the module at `moduleUrl` (its `import.meta.url`):
 * the nearest folder up, at most 8 levels, whose package.json is named `codex-host`. Works from
 * dist/ (the bins) and from source (tsx). Undefined when there is none.
 */
export function codexHostPackageRoot(moduleUrl: string): string | undefined {
  let dir = path.dirname(fileURLToPath(moduleUrl));
  for (let i = 0; i < 8; i++) {
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: unknown }).name === 'codex-host') return dir;
      } catch {
        // not ours; keep looking
      }
    }
    dir = path.dirname(dir);
  }
  return undefined;
}

/** How much a build folder may hold (a wrong folder is refused rather than loaded). */
export interface StaticTreeLimits {
  readonly maxFiles: number;
  readonly maxBytes: number;
}

/** One file as read: its content, lower-case extension and the URL path of its folder ('' at the root). */
export interface StaticTreeEntry {
  readonly body: Buffer;
  readonly ext: string;
  readonly dirUrl: string;
}

/**
 * Reads every regular file under `root` (skipping dot-files and dot-folders) into a map keyed
 * by URL path (`/index.html`, `/assets/x.js`), each made by `toFile`. Throws `tooMuch()` once
 * the files or bytes pass `limits`, before reading the file that passed them.
 */
export async function readStaticTree<T>(root: string, limits: StaticTreeLimits, tooMuch: () => Error, toFile: (entry: StaticTreeEntry) => T): Promise<Map<string, T>> {
  const files = new Map<string, T>();
  let bytes = 0;
  async function walk(dir: string, dirUrl: string): Promise<void> {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const full = path.join(dir, entry.name);
      const url = `${dirUrl}/${entry.name}`;
      if (entry.isDirectory()) {
        await walk(full, url);
        continue;
      }
      if (!entry.isFile()) continue;
      bytes += (await stat(full)).size;
      if (files.size >= limits.maxFiles || bytes > limits.maxBytes) throw tooMuch();
      files.set(url, toFile({ body: await readFile(full), ext: path.extname(entry.name).toLowerCase(), dirUrl }));
    }
  }
  await walk(root, '');
  return files;
}
