/**
 * The `app://codex-host/` protocol that serves the built renderer (dist/renderer/desktop) to the
 * window (docs/desktop.md, "Why app:// and not file://"). Only files inside that folder answer —
 * after decoding, normalizing and resolving symlinks — so no URL can reach anything else on
 * disk; only GET and HEAD; every answer carries the CSP and the other security headers.
 */
import { readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { errorMessage } from '../../shared/util/errors.js';
import type { Logger } from '../../shared/util/logger.js';
import { APP_HOST, APP_SCHEME, SECURITY_HEADERS } from './windowSecurity.js';

/** The subset of Electron's `protocol` used. */
export interface ProtocolModule {
  handle(scheme: string, handler: (request: Request) => Response | Promise<Response>): void;
}

/**
 * `protocol.registerSchemesAsPrivileged` entry (before `ready`): a standard scheme (real origin,
 * relative URLs), secure (a secure context, like https), fetch allowed for the page's own
 * chunks, and CORS-mode requests allowed, because Vite's `<script type="module" crossorigin>`
 * entry and its lazy chunks are fetched in CORS mode (same origin here; our answers carry no
 * Access-Control-Allow-Origin, so no other origin could read them). No service workers, no
 * bypassing the CSP.
 */
export const APP_SCHEME_PRIVILEGES = [{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, codeCache: true } }];

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.webmanifest': 'application/manifest+json',
};

/** The largest file served (a renderer chunk is far smaller; anything bigger is not ours). */
export const MAX_SERVED_BYTES = 32 * 1024 * 1024;

function plain(status: number, text: string): Response {
  return new Response(text, { status, headers: { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' } });
}

/** The file under `root` that `url` names, or undefined when it names nothing we serve. */
export async function resolveRendererFile(root: string, url: string): Promise<string | undefined> {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined;
  }
  if (u.protocol !== `${APP_SCHEME}:` || u.host !== APP_HOST) return undefined;
  let pathname: string;
  try {
    pathname = decodeURIComponent(u.pathname);
  } catch {
    return undefined;
  }
  if (pathname.includes('\0') || pathname.includes('\\')) return undefined;
  const rel = path.posix.normalize(pathname === '/' ? '/index.html' : pathname).replace(/^\/+/, '');
  if (!rel || rel.split('/').some((seg) => seg === '..' || seg.startsWith('.'))) return undefined;
  const realRoot = await realpath(root).catch(() => undefined);
  if (!realRoot) return undefined;
  const real = await realpath(path.join(realRoot, ...rel.split('/'))).catch(() => undefined);
  if (!real || !real.startsWith(realRoot + path.sep)) return undefined;
  const st = await stat(real).catch(() => undefined);
  if (!st?.isFile() || st.size > MAX_SERVED_BYTES) return undefined;
  return real;
}

/** Answers one request of the window from the renderer build in `root`. */
export async function rendererResponse(root: string, request: Pick<Request, 'url' | 'method'>): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405, 'method not allowed');
  const file = await resolveRendererFile(root, request.url);
  if (!file) return plain(404, 'not found');
  const body = await readFile(file);
  const headers = {
    ...SECURITY_HEADERS,
    'Content-Type': TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
    'Cache-Control': 'no-cache',
    'Content-Length': String(body.length),
  };
  return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), { status: 200, headers });
}

/** Serves `root` on app://codex-host/ (after `ready`). */
export function registerAppProtocol(protocol: ProtocolModule, root: string, logger: Logger): void {
  protocol.handle(APP_SCHEME, async (request) => {
    try {
      return await rendererResponse(root, request);
    } catch (err) {
      logger.error('app protocol: cannot serve a file', { url: request.url.slice(0, 200), error: errorMessage(err) });
      return plain(500, 'internal error');
    }
  });
}
