import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listFoldersScript, listRemoteFolders, parseFolderListing, RemoteFolderError, shQuote } from './remoteFolders.js';
import { LocalSession } from './testing/localSession.js';

describe('parseFolderListing', () => {
  it('sorts by name (case and numbers as people read them), hidden folders last, with the parent', () => {
    const r = parseFolderListing('box', '~/src', [
      ['path', '/home/a/src'],
      ['dir', 'zeta'],
      ['dir', '.git'],
      ['dir', 'Alpha'],
      ['dir', 'item10'],
      ['dir', 'item9'],
      ['dir', '.cache'],
      ['end', ''],
    ]);
    expect(r).toEqual({
      host: 'box',
      path: '/home/a/src',
      parent: '/home/a',
      entries: [
        { name: 'Alpha', path: '/home/a/src/Alpha', hidden: false },
        { name: 'item9', path: '/home/a/src/item9', hidden: false },
        { name: 'item10', path: '/home/a/src/item10', hidden: false },
        { name: 'zeta', path: '/home/a/src/zeta', hidden: false },
        { name: '.cache', path: '/home/a/src/.cache', hidden: true },
        { name: '.git', path: '/home/a/src/.git', hidden: true },
      ],
      truncated: false,
    });
  });

  it('has no parent at /, and says when the list was cut', () => {
    const r = parseFolderListing('box', '/', [['path', '/'], ['dir', 'etc'], ['truncated', ''], ['end', '']]);
    expect(r).toMatchObject({ path: '/', parent: null, entries: [{ name: 'etc', path: '/etc', hidden: false }], truncated: true });
    expect(parseFolderListing('box', '/srv', [['path', '/srv'], ['end', '']]).parent).toBe('/');
  });

  it("turns each failure into one \"Can't open this folder\" sentence", () => {
    expect(() => parseFolderListing('b', '/x', [['error', 'missing']])).toThrow(new RemoteFolderError("Can't open this folder: /x: it does not exist"));
    expect(() => parseFolderListing('b', '/x', [['error', 'notdir']])).toThrow("Can't open this folder: /x: it is not a folder");
    expect(() => parseFolderListing('b', '/x', [['error', 'denied']])).toThrow("Can't open this folder: /x: permission denied");
    // cut short (the channel died): not a listing
    expect(() => parseFolderListing('b', '/x', [['path', '/x'], ['dir', 'a']])).toThrow("Can't open this folder: /x: the host did not list it");
  });
});

describe('the listing script, run by the real sh', () => {
  let dir: string;
  let session: LocalSession;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "folders 'quoted' $HOME `x`-"));
    for (const d of ['b dir', 'a', '.hidden', 'has\nnewline', 'real']) await mkdir(path.join(dir, d));
    await writeFile(path.join(dir, 'file.txt'), 'x');
    await symlink(path.join(dir, 'real'), path.join(dir, 'link-to-dir'));
    await mkdir(path.join(dir, 'home', 'work'), { recursive: true });
    session = new LocalSession({ ...process.env, HOME: path.join(dir, 'home') });
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('lists sub-folders (symlinks to folders too), skips files and names it cannot print, and quotes any path', async () => {
    const r = await listRemoteFolders(session, 'local', dir);
    expect(r.path).toBe(dir);
    expect(r.entries.map((e) => e.name)).toEqual(['a', 'b dir', 'home', 'link-to-dir', 'real', '.hidden']);
    expect(session.commands.at(-1)).toBe('exec /bin/sh -s');
  });

  it('resolves ~ and ~/x on the host', async () => {
    expect(await listRemoteFolders(session, 'local', '~')).toMatchObject({ path: path.join(dir, 'home'), entries: [{ name: 'work' }] });
    expect(await listRemoteFolders(session, 'local', '~/work')).toMatchObject({ path: path.join(dir, 'home', 'work'), entries: [] });
  });

  it('reports a missing folder and a file', async () => {
    await expect(listRemoteFolders(session, 'local', `${dir}/nope`)).rejects.toThrow(`Can't open this folder: ${dir}/nope: it does not exist`);
    await expect(listRemoteFolders(session, 'local', `${dir}/file.txt`)).rejects.toThrow('it is not a folder');
  });

  it('stops at the limit and says so', async () => {
    const { runRemoteScript } = await import('./runRemoteScript.js');
    const marker = '__codex_host_0123456789abcdef__';
    const r = await runRemoteScript(session, { invocation: { command: 'exec /bin/sh -s' }, script: listFoldersScript(marker, dir, 2), marker, timeoutMs: 10_000, failCode: 'disconnected', what: 'test' });
    const listing = parseFolderListing('local', dir, r.lines);
    expect(listing.entries).toHaveLength(2);
    expect(listing.truncated).toBe(true);
  });

  it('quotes for sh whatever the string holds', () => {
    expect(shQuote("it's $HOME `x`")).toBe(`'it'\\''s $HOME \`x\`'`);
  });
});
