import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { codexHostPackageRoot, readStaticTree } from './staticTree.js';

async function tree(): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), 'static-tree-'));
  await mkdir(path.join(root, 'assets'));
  await mkdir(path.join(root, '.git'));
  await writeFile(path.join(root, 'index.html'), '<html></html>');
  await writeFile(path.join(root, 'assets', 'App.JS'), 'x()');
  await writeFile(path.join(root, '.env'), 'SECRET=1');
  await writeFile(path.join(root, '.git', 'config'), '[core]');
  return root;
}

describe('readStaticTree', () => {
  it('keys every visible file by its URL path, with its extension and folder', async () => {
    const files = await readStaticTree(await tree(), { maxFiles: 10, maxBytes: 1000 }, () => new Error('too much'), (e) => e);
    expect([...files.keys()].sort()).toEqual(['/assets/App.JS', '/index.html']);
    expect(files.get('/assets/App.JS')).toMatchObject({ ext: '.js', dirUrl: '/assets' });
    expect(files.get('/index.html')?.body.toString()).toBe('<html></html>');
  });

  it('refuses a folder with more files or bytes than the limits', async () => {
    const root = await tree();
    await expect(readStaticTree(root, { maxFiles: 1, maxBytes: 1000 }, () => new Error('too many'), (e) => e)).rejects.toThrow('too many');
    await expect(readStaticTree(root, { maxFiles: 10, maxBytes: 5 }, () => new Error('too big'), (e) => e)).rejects.toThrow('too big');
  });
});

describe('codexHostPackageRoot', () => {
  it('finds this package above a module, and nothing above a folder outside it', () => {
    const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
    expect(codexHostPackageRoot(import.meta.url)).toBe(repo);
    expect(codexHostPackageRoot(new URL(`file://${tmpdir()}/x.js`).href)).toBeUndefined();
  });
});
