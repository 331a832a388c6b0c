import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SshProjects } from './sshProjects.js';

let dir: string;
const file = () => path.join(dir, 'ssh-projects.json');
const T = Date.parse('2026-01-02T03:04:05.000Z');

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'ssh-projects-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('SshProjects', () => {
  it('remembers projects per host in the data dir, across a restart; adding one again keeps the first', async () => {
    const p = await SshProjects.open(dir, () => T);
    const a = await p.add('box', '/home/a/src/app');
    expect(a).toEqual({ host: 'box', path: '/home/a/src/app', name: 'app', addedAt: '2026-01-02T03:04:05.000Z' });
    await p.add('box', '/srv', 'Server files');
    await p.add('other', '/');
    expect(await p.add('box', '/home/a/src/app', 'renamed?')).toEqual(a);
    expect(p.list('box').map((x) => x.name)).toEqual(['app', 'Server files']);
    expect(JSON.parse(await readFile(file(), 'utf8'))).toEqual({ version: 1, projects: p.list() });
    const again = await SshProjects.open(dir);
    expect(again.list()).toEqual(p.list());
    expect(again.list('other')).toEqual([expect.objectContaining({ path: '/', name: '/' })]);
  });

  it('keeps both of two adds made at once (one write after the other)', async () => {
    const p = await SshProjects.open(dir);
    await Promise.all([p.add('box', '/a'), p.add('box', '/b'), p.add('box', '/c')]);
    expect((await SshProjects.open(dir)).list().map((x) => x.path)).toEqual(['/a', '/b', '/c']);
  });

  it('removes one, follows a renamed host and forgets a removed one', async () => {
    const p = await SshProjects.open(dir);
    await p.add('box', '/a');
    await p.add('box', '/b');
    await p.add('keep', '/k');
    expect(await p.remove('box', '/a')).toBe(true);
    expect(await p.remove('box', '/a')).toBe(false);
    await p.renameHost('box', 'box2');
    expect(p.list().map((x) => `${x.host}:${x.path}`)).toEqual(['box2:/b', 'keep:/k']);
    await p.removeHost('box2');
    expect((await SshProjects.open(dir)).list().map((x) => `${x.host}:${x.path}`)).toEqual(['keep:/k']);
  });

  it('never overwrites a file it cannot read: the problem is reported and changes are refused', async () => {
    await writeFile(file(), '{"version":1,"projects":[{"host":"x"}]}');
    const p = await SshProjects.open(dir);
    expect(p.problem).toMatch(/^the remote projects file .*ssh-projects\.json cannot be read \(.*\); fix or remove it$/);
    expect(p.list()).toEqual([]);
    await expect(p.add('box', '/a')).rejects.toThrow(p.problem!);
    await p.removeHost('box');
    expect(await readFile(file(), 'utf8')).toBe('{"version":1,"projects":[{"host":"x"}]}');
  });

  it('keeps the list as it was when a write fails', async () => {
    const p = await SshProjects.open(dir);
    await p.add('box', '/a');
    // A folder where the file belongs: the rename fails, even for root.
    await rm(file());
    await mkdir(path.join(file(), 'x'), { recursive: true });
    await expect(p.add('box', '/b')).rejects.toThrow(/^the remote projects could not be saved/);
    expect(p.list().map((x) => x.path)).toEqual(['/a']);
  });
});
