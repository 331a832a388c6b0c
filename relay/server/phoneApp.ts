/**
 * The phone web client served by the relay (docs/mobile.md, docs/relay.md "Serving the phone
 * app"): the built `dist/renderer/mobile` held in memory and answered by exact path, with the
 * app at `/` and at `/pair` (the pairing link's path; its secret stays in the fragment, which
 * no browser sends). Nothing else on disk is reachable. Every answer carries a strict CSP and
 * the usual hardening headers; text files are also kept gzip-compressed for phones on slow
 * networks. Only GET and HEAD are answered.
 */
import { existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { pathOf } from './relayHttp.js';
import { codexHostPackageRoot, readStaticTree } from './staticTree.js';

/** One file of the build, as served. */
export interface PhoneAppFile {
  readonly body: Buffer;
  /** Present for text files worth compressing. */
  readonly gzip?: Buffer;
  readonly contentType: string;
  readonly cacheControl: string;
}

export type PhoneApp = ReadonlyMap<string, PhoneAppFile>;

export class PhoneAppError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PhoneAppError';
  }
}

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.txt': 'text/plain; charset=utf-8',
};
const COMPRESSIBLE = new Set(['.html', '.js', '.css', '.svg', '.json', '.webmanifest', '.txt']);

/** At most this many files / bytes (a build is a few dozen files; a wrong folder is refused). */
const MAX_FILES = 300;
const MAX_BYTES = 20 * 1024 * 1024;

/** Paths that answer with the app's index.html. */
export const PHONE_APP_ROUTES = ['/', '/index.html', '/pair'] as const;

/**
 * Every answer's policy. `connect-src` allows any ws:/wss: because one phone may pair hosts
 * on several relays (and LAN relays speak plain ws); scripts, styles, frames and forms stay
 * locked to this origin or nothing.
 */
export const PHONE_APP_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self' wss: ws:",
  "manifest-src 'self'",
  "worker-src 'self'",
  "media-src 'self' blob:",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': PHONE_APP_CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  // The camera is for scanning a pairing code inside the app; nothing else is asked for.
  'permissions-policy': 'camera=(self), microphone=(), geolocation=(), payment=(), usb=()',
};

/**
 * dist/renderer/mobile of this package, whether the relay runs from dist/ (the `codex-relay`
 * bin) or from source: the nearest folder up with our package.json is the package root.
 */
export function defaultPhoneAppDir(): string {
  const root = codexHostPackageRoot(import.meta.url);
  if (root !== undefined) return path.join(root, 'dist', 'renderer', 'mobile');
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'renderer', 'mobile');
}

/** Loads every file under `root`, keyed by URL path; throws `PhoneAppError` when there is no build. */
export async function loadPhoneApp(root: string): Promise<PhoneApp> {
  if (!existsSync(path.join(root, 'index.html'))) {
    throw new PhoneAppError(`the phone app is not built (no ${path.join(root, 'index.html')}); run \`npm run build\` first`);
  }
  const files = await readStaticTree<PhoneAppFile>(
    root,
    { maxFiles: MAX_FILES, maxBytes: MAX_BYTES },
    () => new PhoneAppError(`${root} holds more than the phone app (over ${MAX_FILES} files or ${MAX_BYTES} bytes)`),
    ({ body, ext, dirUrl }) => ({
      body,
      ...(COMPRESSIBLE.has(ext) && body.length > 512 ? { gzip: gzipSync(body, { level: 9 }) } : {}),
      contentType: TYPES[ext] ?? 'application/octet-stream',
      // Hashed assets never change; everything else (index.html, sw.js, the manifest) is re-checked.
      cacheControl: dirUrl.startsWith('/assets') ? 'public, max-age=31536000, immutable' : 'no-cache',
    }),
  );
  const index = files.get('/index.html')!;
  for (const route of PHONE_APP_ROUTES) files.set(route, index);
  return files;
}

function acceptsGzip(req: IncomingMessage): boolean {
  const h = req.headers['accept-encoding'];
  return typeof h === 'string' && /\bgzip\b/.test(h);
}

/** The relay's `staticHandler` for the app: answers what the build holds; anything else falls through (404). */
export function phoneAppHandler(app: PhoneApp): (req: IncomingMessage, res: ServerResponse) => boolean {
  return (req, res) => {
    const file = app.get(pathOf(req));
    if (!file) return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain', ...SECURITY_HEADERS }).end('method not allowed\n');
      return true;
    }
    const gzip = file.gzip && acceptsGzip(req) ? file.gzip : undefined;
    const body = gzip ?? file.body;
    res.writeHead(200, {
      'content-type': file.contentType,
      'content-length': String(body.length),
      'cache-control': file.cacheControl,
      ...(file.gzip ? { vary: 'Accept-Encoding' } : {}),
      ...(gzip ? { 'content-encoding': 'gzip' } : {}),
      ...(pathOf(req) === '/sw.js' ? { 'service-worker-allowed': '/' } : {}),
      ...SECURITY_HEADERS,
    });
    res.end(req.method === 'HEAD' ? undefined : body);
    return true;
  };
}
