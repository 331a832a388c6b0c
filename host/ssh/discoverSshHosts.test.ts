import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ConfigFs } from './configFs.js';
import { discoverSshHosts } from './discoverSshHosts.js';
import { segmentRegExp } from './includeGlob.js';

/** An in-memory tree: path → text (a string) or a directory marker; symlinks as `{ link }`. */
function memoryFs(files: Record<string, string | { link: string } | { dir: true } | { error: string }>): ConfigFs {
  const err = (code: string, p: string) => Object.assign(new Error(`${code}: ${p}`), { code });
  const entry = (p: string) => files[path.normalize(p)];
  const real = (p: string): string => {
    const e = entry(p);
    if (e && typeof e === 'object' && 'link' in e) return real(e.link);
    return path.normalize(p);
  };
  return {
    async readFile(p) {
      const e = entry(real(p));
      if (e === undefined) throw err('ENOENT', p);
      if (typeof e === 'object' && 'error' in e) throw err(e.error, p);
      if (typeof e !== 'string') throw err('EISDIR', p);
      return e;
    },
    async readdir(p) {
      const dir = path.normalize(p);
      const names = new Set<string>();
      for (const k of Object.keys(files)) if (path.dirname(k) === dir) names.add(path.basename(k));
      if (names.size === 0 && !(entry(dir) && typeof entry(dir) === 'object')) throw err('ENOENT', p);
      return [...names];
    },
    async realpath(p) {
      const r = real(p);
      if (entry(r) === undefined) throw err('ENOENT', p);
      return r;
    },
    async stat(p) {
      const e = entry(real(p));
      if (e === undefined) throw err('ENOENT', p);
      return { size: typeof e === 'string' ? e.length : 0, isDirectory: typeof e === 'object' && 'dir' in e };
    },
  };
}

const HOME = '/home/u';
const SSH = '/home/u/.ssh';
const ctx = { home: HOME, sshDir: SSH, configFile: `${SSH}/config` };

describe('discoverSshHosts', () => {
  it('lists concrete aliases, skipping patterns, negations and Match blocks', async () => {
    const fs = memoryFs({
      [`${SSH}/config`]: ['Host *', '  User me', 'Host web-* !web-legacy', '  Port 2200', 'Host devbox build-1 ?x', '  HostName 10.0.0.5', 'Match host devbox exec "false"', '  User other', 'Host db', '  HostName db.internal', ''].join('\n'),
    });
    const d = await discoverSshHosts({ ...ctx, fs });
    expect(d.hosts.map((h) => h.alias)).toEqual(['devbox', 'build-1', 'db']);
    expect(d.hosts[0]).toEqual({ alias: 'devbox', file: `${SSH}/config`, line: 5 });
    expect(d.hosts[2]?.line).toBe(9);
    expect(d.problems).toEqual([]);
  });

  it('follows Include: relative to ~/.ssh, ~ paths, absolute paths, sorted globs, nested', async () => {
    const fs = memoryFs({
      [`${SSH}/config`]: 'Include conf.d/*.conf ~/extra/ssh.conf\nHost top\n  HostName t\nInclude /etc/ssh/shared.conf\n',
      [`${SSH}/conf.d/b.conf`]: 'Host b-host\n',
      [`${SSH}/conf.d/a.conf`]: 'Host a-host\nInclude nested/*.conf\n',
      [`${SSH}/conf.d/.hidden.conf`]: 'Host hidden\n',
      [`${SSH}/conf.d/notes.txt`]: 'Host not-included\n',
      [`${SSH}/nested/n.conf`]: 'Host nested-host\n',
      [`${HOME}/extra/ssh.conf`]: 'Host tilde-host\n',
      '/etc/ssh/shared.conf': 'Host abs-host\n',
    });
    const d = await discoverSshHosts({ ...ctx, fs });
    expect(d.hosts.map((h) => h.alias)).toEqual(['a-host', 'nested-host', 'b-host', 'tilde-host', 'top', 'abs-host']);
    expect(d.hosts.find((h) => h.alias === 'nested-host')?.file).toBe(`${SSH}/nested/n.conf`);
    expect(d.problems).toEqual([]);
  });

  it('reports an Include cycle once and still lists everything', async () => {
    const fs = memoryFs({
      [`${SSH}/config`]: 'Include loop.conf\nHost main\n',
      [`${SSH}/loop.conf`]: 'Host looped\nInclude config\n',
    });
    const d = await discoverSshHosts({ ...ctx, fs });
    expect(d.hosts.map((h) => h.alias)).toEqual(['looped', 'main']);
    expect(d.problems).toHaveLength(1);
    expect(d.problems[0]?.message).toMatch(/^Include cycle: \/home\/u\/\.ssh\/config → \/home\/u\/\.ssh\/loop\.conf → \/home\/u\/\.ssh\/config/);
  });

  it('detects a cycle through a symlink', async () => {
    const fs = memoryFs({ [`${SSH}/config`]: 'Include alias.conf\nHost x\n', [`${SSH}/alias.conf`]: { link: `${SSH}/config` } });
    const d = await discoverSshHosts({ ...ctx, fs });
    expect(d.hosts.map((h) => h.alias)).toEqual(['x']);
    expect(d.problems[0]?.message).toMatch(/Include cycle/);
  });

  it('bounds the Include depth', async () => {
    const files: Record<string, string> = { [`${SSH}/config`]: 'Include d0.conf\n' };
    for (let i = 0; i < 20; i++) files[`${SSH}/d${i}.conf`] = `Host h${i}\nInclude d${i + 1}.conf\n`;
    const d = await discoverSshHosts({ ...ctx, fs: memoryFs(files) });
    expect(d.hosts).toHaveLength(16);
    expect(d.problems.map((p) => p.message)).toEqual([`Include of ${SSH}/d16.conf is nested deeper than 16 levels; not read`]);
  });

  it('reports a broken block and an unreadable file, and lists the rest', async () => {
    const fs = memoryFs({
      [`${SSH}/config`]: ['Host good-1', '  HostName g1', '', 'Host "broken', '  HostName b', 'Host', 'Host good-2', '  User x', 'Host "with space" $dollar', 'Include secret.conf dir.conf', ''].join('\n'),
      [`${SSH}/secret.conf`]: { error: 'EACCES' },
      [`${SSH}/dir.conf`]: { dir: true },
    });
    const d = await discoverSshHosts({ ...ctx, fs });
    expect(d.hosts.map((h) => h.alias)).toEqual(['good-1', 'good-2']);
    expect(d.problems).toEqual([
      { file: `${SSH}/config`, line: 4, alias: 'broken', message: 'line 4: Unexpected line break at broken' },
      { file: `${SSH}/config`, line: 6, message: 'line 6: Host needs at least one pattern' },
      { file: `${SSH}/config`, line: 9, alias: 'with space', message: 'line 9: "with space" contains characters OpenSSH does not accept in a host name' },
      { file: `${SSH}/config`, line: 9, alias: '$dollar', message: 'line 9: "$dollar" contains characters OpenSSH does not accept in a host name' },
      { file: `${SSH}/secret.conf`, message: `cannot read ${SSH}/secret.conf: permission denied` },
      { file: `${SSH}/dir.conf`, message: `cannot read ${SSH}/dir.conf: is a directory` },
    ]);
  });

  it('treats a missing config or a missing include as nothing to list', async () => {
    expect(await discoverSshHosts({ ...ctx, fs: memoryFs({}) })).toMatchObject({ hosts: [], problems: [] });
    const d = await discoverSshHosts({ ...ctx, fs: memoryFs({ [`${SSH}/config`]: 'Include gone.conf none/*.conf\nHost a\n' }) });
    expect(d).toMatchObject({ hosts: [{ alias: 'a' }], problems: [] });
  });

  it('keeps the first of duplicate aliases and splices includes into the merged config', async () => {
    const fs = memoryFs({ [`${SSH}/config`]: 'Host a\n  HostName first\nInclude more.conf\nHost a\n  HostName second\n', [`${SSH}/more.conf`]: 'Host b\n  Port 2222\n' });
    const d = await discoverSshHosts({ ...ctx, fs });
    expect(d.hosts.map((h) => `${h.alias}:${h.line}`)).toEqual(['a:1', 'b:1']);
    expect(d.config.compute('a', { ignoreCase: true, matchExec: false }).hostname).toBe('first');
    expect(d.config.compute('b', { ignoreCase: true, matchExec: false }).port).toBe('2222');
  });

  it('refuses a file larger than the bound', async () => {
    const d = await discoverSshHosts({ ...ctx, fs: memoryFs({ [`${SSH}/config`]: `Host a\n${'#'.repeat(2000)}\n` }), limits: { maxFileBytes: 1000 } });
    expect(d.hosts).toEqual([]);
    expect(d.problems[0]?.message).toBe(`cannot read ${SSH}/config: larger than 1000 bytes`);
  });
});

describe('segmentRegExp', () => {
  it('matches glob(3) segments', () => {
    expect(segmentRegExp('*.conf').test('a.conf')).toBe(true);
    expect(segmentRegExp('*.conf').test('a.conf.bak')).toBe(false);
    expect(segmentRegExp('h?st').test('host')).toBe(true);
    expect(segmentRegExp('[ab]*').test('beta')).toBe(true);
    expect(segmentRegExp('[!ab]*').test('beta')).toBe(false);
    expect(segmentRegExp('a+b(c).conf').test('a+b(c).conf')).toBe(true);
  });
});
