/**
 * Discovery and resolution against real files and the real OpenSSH client (`ssh -G`), and the
 * parser fallback where no OpenSSH client exists (docs/ssh.md). Nothing is contacted here.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discoverSshHosts } from '../host/ssh/discoverSshHosts.js';
import { resolveSshHost } from '../host/ssh/resolveSshHost.js';
import { TEST_OUTPUT_DIR } from './fixtures/codexHome.js';

let dir: string;
let configFile: string;
let cleanFile: string;
const context = { home: os.homedir(), localUser: os.userInfo().username, localHost: os.hostname(), authSock: undefined };

beforeAll(async () => {
  await mkdir(TEST_OUTPUT_DIR, { recursive: true });
  dir = await mkdtemp(join(TEST_OUTPUT_DIR, 'ssh-discovery-'));
  configFile = join(dir, 'config');
  cleanFile = join(dir, 'config-clean');
  await mkdir(join(dir, 'conf.d'));
  // Absolute Include paths: OpenSSH resolves relative ones against the real ~/.ssh even with -F (docs/ssh.md).
  await writeFile(
    configFile,
    [
      `Include ${dir}/conf.d/*.conf`,
      'Host devbox',
      '  HostName 127.0.0.1',
      '  Port 2201',
      '  User alice',
      '  IdentityFile ~/.ssh/devbox_%h',
      '  ProxyJump jumper@bastion:2022',
      'Host web-* !web-legacy',
      '  User webuser',
      'Host "broken',
      '  HostName nowhere',
      'Host tmuxbox',
      '  HostName 127.0.0.2',
      '  RemoteCommand tmux new -A -s main',
      'Match host devbox exec "false"',
      '  User nobody-matched',
      'Host *',
      '  Port 2299',
      '',
    ].join('\n'),
  );
  // The same without the broken entry: OpenSSH refuses a whole file over one bad line.
  const text = (await readFile(configFile, 'utf8')).replace('Host "broken\n  HostName nowhere\n', '');
  await writeFile(cleanFile, text);
  await writeFile(join(dir, 'conf.d', 'a.conf'), 'Host included-one\n  HostName 10.10.10.1\n  User inc\n');
  await writeFile(join(dir, 'conf.d', 'b.conf'), 'Host web-1\n  HostName 10.10.10.2\n');
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('SSH discovery and resolution', () => {
  it('lists the concrete aliases (Include followed, patterns and Match skipped) and reports the broken entry', async () => {
    const d = await discoverSshHosts({ configFile, home: os.homedir(), sshDir: join(os.homedir(), '.ssh') });
    expect(d.hosts.map((h) => h.alias)).toEqual(['included-one', 'web-1', 'devbox', 'tmuxbox']);
    expect(d.hosts[0]).toEqual({ alias: 'included-one', file: join(dir, 'conf.d', 'a.conf'), line: 1 });
    expect(d.problems).toEqual([{ file: configFile, line: 10, alias: 'broken', message: 'line 10: Unexpected line break at broken' }]);
  });

  it('resolves with ssh -G -F (OpenSSH semantics: Host *, tokens, ProxyJump)', async () => {
    const d = await discoverSshHosts({ configFile, home: os.homedir(), sshDir: join(os.homedir(), '.ssh') });
    const r = await resolveSshHost({ alias: 'devbox', configFile: cleanFile, context, fallbackConfig: async () => d.config });
    expect(r).toMatchObject({ source: 'openssh', hostName: '127.0.0.1', port: 2201, user: 'alice', proxyJump: [{ user: 'jumper', host: 'bastion', port: 2022 }] });
    expect(r.identityFiles).toEqual([join(os.homedir(), '.ssh', 'devbox_127.0.0.1')]);
    const inc = await resolveSshHost({ alias: 'included-one', configFile: cleanFile, context, fallbackConfig: async () => d.config });
    expect(inc).toMatchObject({ source: 'openssh', hostName: '10.10.10.1', user: 'inc', port: 2299 });
  });

  it('still resolves the good hosts when OpenSSH refuses the file over the broken entry', async () => {
    const d = await discoverSshHosts({ configFile, home: os.homedir(), sshDir: join(os.homedir(), '.ssh') });
    const r = await resolveSshHost({ alias: 'devbox', configFile, context, fallbackConfig: async () => d.config });
    expect(r).toMatchObject({ source: 'parser', hostName: '127.0.0.1', port: 2201, user: 'alice' });
    expect(r.note).toMatch(/^ssh -G refused the config \(.*config line 10: invalid quotes.*\); resolved with Codex Host's parser, which skips the broken entry$/);
  });

  it('falls back to the parser when there is no OpenSSH client, with the same answers', async () => {
    const d = await discoverSshHosts({ configFile, home: os.homedir(), sshDir: join(os.homedir(), '.ssh') });
    const opts = { configFile, context, fallbackConfig: async () => d.config, sshBinary: join(dir, 'no-such-ssh') };
    const r = await resolveSshHost({ alias: 'devbox', ...opts });
    expect(r).toMatchObject({ source: 'parser', hostName: '127.0.0.1', port: 2201, user: 'alice', proxyJump: [{ user: 'jumper', host: 'bastion', port: 2022 }] });
    expect(r.identityFiles).toEqual([join(os.homedir(), '.ssh', 'devbox_127.0.0.1')]);
    const inc = await resolveSshHost({ alias: 'included-one', ...opts });
    expect(inc).toMatchObject({ source: 'parser', hostName: '10.10.10.1', user: 'inc', port: 2299 });
  });

  it('refuses RemoteCommand on both paths with the explanation', async () => {
    const d = await discoverSshHosts({ configFile, home: os.homedir(), sshDir: join(os.homedir(), '.ssh') });
    for (const sshBinary of [undefined, join(dir, 'no-such-ssh')]) {
      await expect(resolveSshHost({ alias: 'tmuxbox', configFile: cleanFile, context, fallbackConfig: async () => d.config, ...(sshBinary ? { sshBinary } : {}) })).rejects.toThrow(
        /^RemoteCommand in your config is not supported for this host: /,
      );
    }
  });
});
