import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultDataDir, ensureDataDir } from './dataDir.js';

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
    const base = await mkdtemp(path.join(os.tmpdir(), 'dd-'));
    await expect(ensureDataDir(path.join(base, 'a', 'b'))).resolves.toBe(path.join(base, 'a', 'b'));
  });

  it('explains a path that is a file', async () => {
    const base = await mkdtemp(path.join(os.tmpdir(), 'dd-'));
    await writeFile(path.join(base, 'f'), 'x');
    await expect(ensureDataDir(path.join(base, 'f', 'sub'))).rejects.toThrow(/is not writable \(a path component is not a directory\); choose another with --data-dir/);
  });
});
