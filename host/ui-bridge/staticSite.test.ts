import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadStaticSite } from './staticSite.js';

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('the served build', () => {
  it('holds exactly the built files, index.html also at /, hashed assets cached for good', async () => {
    dir = await mkdtemp(join(tmpdir(), 'ui-site-'));
    await mkdir(join(dir, 'assets'));
    await writeFile(join(dir, 'index.html'), '<html></html>');
    await writeFile(join(dir, 'favicon.svg'), '<svg/>');
    await writeFile(join(dir, 'assets', 'index-abc.js'), 'x');
    await writeFile(join(dir, '.hidden'), 'secret');
    const site = await loadStaticSite(dir);
    expect([...site.keys()].sort()).toEqual(['/', '/assets/index-abc.js', '/favicon.svg', '/index.html']);
    expect(site.get('/')!.cacheControl).toBe('no-store');
    expect(site.get('/assets/index-abc.js')).toMatchObject({ contentType: 'text/javascript; charset=utf-8', cacheControl: 'public, max-age=31536000, immutable' });
    expect(site.get('/favicon.svg')!.contentType).toBe('image/svg+xml');
  });

  it('a folder without a build says how to make one', async () => {
    dir = await mkdtemp(join(tmpdir(), 'ui-site-'));
    await expect(loadStaticSite(dir)).rejects.toThrow(/the UI is not built .*run `npm run build` first/);
  });
});
