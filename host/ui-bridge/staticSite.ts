/**
 * The built renderer (dist/renderer/desktop) held in memory and served by exact path: only
 * files that exist in the build answer, so no path in a request can reach anything else on
 * disk. Hashed assets are cached for good, index.html never.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { codexHostPackageRoot, readStaticTree } from '../../relay/server/staticTree.js';

export interface StaticFile {
  readonly body: Buffer;
  readonly contentType: string;
  readonly cacheControl: string;
}

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
};

/** At most this many files / bytes are loaded (a build is a few files; a wrong folder is refused). */
const MAX_FILES = 500;
const MAX_BYTES = 50 * 1024 * 1024;

export class StaticSiteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StaticSiteError';
  }
}

/**
 * dist/renderer/desktop of this package, whether the host runs from dist/ (the `codex-host`
 * bin) or from source (tsx): the nearest folder up with a package.json is the package root.
 */
export function defaultUiDistDir(): string {
  const root = codexHostPackageRoot(import.meta.url);
  if (root !== undefined) return path.join(root, 'dist', 'renderer', 'desktop');
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'renderer', 'desktop');
}

/** Loads every file under `root` (keyed by URL path, `/` for index.html). */
export async function loadStaticSite(root: string): Promise<ReadonlyMap<string, StaticFile>> {
  if (!existsSync(path.join(root, 'index.html'))) {
    throw new StaticSiteError(`the UI is not built (no ${path.join(root, 'index.html')}); run \`npm run build\` first`);
  }
  const files = await readStaticTree<StaticFile>(
    root,
    { maxFiles: MAX_FILES, maxBytes: MAX_BYTES },
    () => new StaticSiteError(`${root} holds more than a UI build (over ${MAX_FILES} files or ${MAX_BYTES} bytes)`),
    ({ body, ext, dirUrl }) => ({
      body,
      contentType: TYPES[ext] ?? 'application/octet-stream',
      cacheControl: dirUrl.startsWith('/assets') ? 'public, max-age=31536000, immutable' : 'no-store',
    }),
  );
  const index = files.get('/index.html');
  if (index) files.set('/', index);
  return files;
}
