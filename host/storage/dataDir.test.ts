import { chmod, mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../testing/tempDirs.js';
import { defaultDataDir, ensureDataDir, prepareDataDir } from './dataDir.js';

const tempDir = useTempDirs('dd-');

describe('defaultDataDir', () => {
  it('follows each OS convention', () => {
    expect(defaultDataDir('linux', {}, '/home/u')).toBe('/home/u/.config/codex-host');
    expect(defaultDataDir('linux', { XDG_CONFIG_HOME: '/x/cfg' }, '/home/u')).toBe('/x/cfg/codex-host');
    expect(defaultDataDir('darwin', {}, '/Users/u')).toBe('/Users/u/Library/Application Support/Codex Host');
    expect(defaultDataDir('win32', { APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, 'C:\\Users\\u')).toBe('C:\\Users\\u\\AppData\\Roaming\\Codex Host');
  });
});

describe('ensureDataDir', () => {
  it('creates a missing directory', async () => {
    const base = await tempDir();
    await expect(ensureDataDir(path.join(base, 'a', 'b'))).resolves.toBe(path.join(base, 'a', 'b'));
  });

  it('explains a path that is a file', async () => {
    const base = await tempDir();
    await writeFile(path.join(base, 'f'), 'x');
    await expect(ensureDataDir(path.join(base, 'f', 'sub'))).rejects.toThrow(/is not writable \(a path component is not a directory\); choose another with --data-dir/);
  });
});

describe('prepareDataDir', () => {
  const layout = { stateFiles: ['devices.json', 'control.json', 'audit.jsonl'], atomicFiles: ['devices.json', 'control.json'], secretDirs: ['secrets'] };

  it('removes the temp files of interrupted atomic writes, and nothing else', async () => {
    const d = await tempDir();
    await mkdir(path.join(d, 'secrets'), { mode: 0o700 });
    // What write-file-atomic leaves after a kill -9 between its temp write and the rename.
    for (const f of ['devices.json.1402886870', 'control.json.7', 'secrets/host-identity-seed.3735928559']) await writeFile(path.join(d, f), 'partial', { mode: 0o600 });
    for (const f of ['devices.json', 'devices.json.corrupt-1760000000000', 'audit.jsonl', 'notes.txt.123', 'secrets/host-identity-seed']) await writeFile(path.join(d, f), 'keep', { mode: 0o600 });
    const prepared = await prepareDataDir(d, layout);
    try {
      expect([...prepared.removedTempFiles].sort()).toEqual(['control.json.7', 'devices.json.1402886870', path.join('secrets', 'host-identity-seed.3735928559')]);
      expect((await readdir(d)).sort()).toEqual(['audit.jsonl', 'devices.json', 'devices.json.corrupt-1760000000000', 'host.lock', 'notes.txt.123', 'secrets']);
      expect(await readdir(path.join(d, 'secrets'))).toEqual(['host-identity-seed']);
    } finally {
      await prepared.dispose();
    }
    expect(await readdir(d)).not.toContain('host.lock');
  });

  it('checks the modes before the lock, so an unsafe dir is never written', async () => {
    const d = await tempDir();
    await chmod(d, 0o777);
    await expect(prepareDataDir(d, layout)).rejects.toThrow(`data dir ${d} is writable by group/others (mode 777): run chmod 700 ${d}`);
    expect(await readdir(d)).toEqual([]);
  });
});
