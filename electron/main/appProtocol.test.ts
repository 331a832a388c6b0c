/**
 * The app:// protocol (appProtocol.ts) on a real folder: it serves the renderer build with the
 * right types and the security headers, and nothing outside it — not by `..`, encoded dots or
 * slashes, backslashes, a symlink out, another host, a dotfile or a POST.
 */
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../shared/util/logger.js';
import { APP_SCHEME_PRIVILEGES, registerAppProtocol, rendererResponse } from './appProtocol.js';
import { CONTENT_SECURITY_POLICY } from './windowSecurity.js';

let base: string;
let root: string;
beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'app-protocol-'));
  root = join(base, 'renderer');
  await mkdir(join(root, 'assets'), { recursive: true });
  await writeFile(join(root, 'index.html'), '<!doctype html><title>Codex Host</title>');
  await writeFile(join(root, 'assets', 'index-abc.js'), 'console.log(1)');
  await writeFile(join(root, 'assets', 'index-abc.css'), 'body{}');
  await writeFile(join(root, '.env'), 'SECRET=1');
  await writeFile(join(base, 'secret.txt'), 'not for the window');
  await symlink(join(base, 'secret.txt'), join(root, 'assets', 'link.txt'));
});
afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

const get = (url: string, method = 'GET') => rendererResponse(root, { url, method });

describe('the app:// protocol', () => {
  it('is registered as a standard, secure scheme that loads module scripts, without service workers or CSP bypass', () => {
    expect(APP_SCHEME_PRIVILEGES).toEqual([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, codeCache: true } }]);
  });

  it('serves the renderer build with its content types and the security headers', async () => {
    const index = await get('app://codex-host/index.html');
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(index.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(index.headers.get('x-content-type-options')).toBe('nosniff');
    expect(index.headers.get('access-control-allow-origin')).toBeNull(); // no other origin may read our files
    expect(await index.text()).toContain('<title>Codex Host</title>');
    expect((await get('app://codex-host/')).status).toBe(200);
    const js = await get('app://codex-host/assets/index-abc.js');
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await js.text()).toBe('console.log(1)');
    expect((await get('app://codex-host/assets/index-abc.css')).headers.get('content-type')).toBe('text/css; charset=utf-8');
    const head = await get('app://codex-host/index.html', 'HEAD');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it.each([
    'app://codex-host/../secret.txt',
    'app://codex-host/%2e%2e/secret.txt',
    'app://codex-host/assets/%2e%2e%2f..%2fsecret.txt',
    'app://codex-host/..%5csecret.txt',
    'app://codex-host/assets/link.txt',
    'app://codex-host/.env',
    'app://codex-host/missing.js',
    'app://codex-host/assets',
    'app://other-host/index.html',
    'file:///etc/passwd',
    'app://codex-host/%00index.html',
    'app://codex-host/%E0%A4%A',
  ])('answers 404 for %s', async (url) => {
    const r = await get(url);
    expect(r.status).toBe(404);
    expect(await r.text()).toBe('not found');
    expect(r.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
  });

  it('refuses methods other than GET and HEAD', async () => {
    expect((await get('app://codex-host/index.html', 'POST')).status).toBe(405);
  });

  it('registers its handler on the app scheme', async () => {
    let handler: ((r: Request) => Promise<Response> | Response) | undefined;
    registerAppProtocol({ handle: (scheme, h) => void (scheme === 'app' && (handler = h)) }, root, silentLogger);
    const r = await handler!(new Request('app://codex-host/index.html'));
    expect(r.status).toBe(200);
  });
});
