import SSHConfig from 'ssh-config';
import { describe, expect, it } from 'vitest';
import type { RunProgram } from './runProgram.js';
import { parseProxyJump } from './resolvedHost.js';
import { resolveSshHost, resolveWithParser } from './resolveSshHost.js';
import { SshError } from './sshErrors.js';

const context = { home: '/home/u', localUser: 'u', localHost: 'laptop', authSock: '/run/agent.sock', env: { MY_AGENT: '/run/other.sock' } };
const SSH_G = [
  'host devbox',
  'user alice',
  'hostname 10.1.2.3',
  'port 2222',
  'identitiesonly yes',
  'identityfile ~/.ssh/id_%h',
  'identityfile /keys/with space/key',
  'userknownhostsfile /home/u/.ssh/known_hosts /home/u/.ssh/known_hosts2',
  'globalknownhostsfile /etc/ssh/ssh_known_hosts /etc/ssh/ssh_known_hosts2',
  'proxyjump jumper@bastion:22022,ssh://second',
  'requesttty auto',
  'connecttimeout 7',
  'passwordauthentication no',
  '',
].join('\n');

function runner(stdout: string, code = 0, stderr = ''): RunProgram & { calls: { file: string; args: readonly string[] }[] } {
  const calls: { file: string; args: readonly string[] }[] = [];
  const run: RunProgram = async (file, args) => {
    calls.push({ file, args });
    return { code, stdout, stderr };
  };
  return Object.assign(run, { calls });
}

const noFallback = () => Promise.reject(new Error('fallback must not be used'));

describe('resolveSshHost with OpenSSH', () => {
  it('runs ssh -G (with -F for a non-default config) and maps what it prints', async () => {
    const run = runner(SSH_G);
    const r = await resolveSshHost({ alias: 'devbox', configFile: '/tmp/cfg', context, run, fallbackConfig: noFallback });
    expect(run.calls).toEqual([{ file: 'ssh', args: ['-G', '-F', '/tmp/cfg', '--', 'devbox'] }]);
    expect(r).toEqual({
      alias: 'devbox',
      hostName: '10.1.2.3',
      port: 2222,
      user: 'alice',
      identityFiles: ['/home/u/.ssh/id_10.1.2.3', '/keys/with space/key'],
      identitiesOnly: true,
      agentSocket: '/run/agent.sock',
      proxyJump: [{ user: 'jumper', host: 'bastion', port: 22022 }, { host: 'second' }],
      knownHostsFiles: ['/home/u/.ssh/known_hosts', '/home/u/.ssh/known_hosts2', '/etc/ssh/ssh_known_hosts', '/etc/ssh/ssh_known_hosts2'],
      hostKeyAlias: undefined,
      connectTimeoutMs: 7000,
      passwordAuthentication: false,
      kbdInteractiveAuthentication: true,
      pubkeyAuthentication: true,
      source: 'openssh',
    });
  });

  it('reports what ssh -G said when it fails', async () => {
    const run = runner('', 255, 'Pseudo-terminal will not be allocated because stdin is not a terminal.\r\nCan\'t open user config file /tmp/x: No such file or directory\n');
    await expect(resolveSshHost({ alias: 'a', configFile: '/tmp/x', context, run, fallbackConfig: noFallback })).rejects.toThrow(
      "ssh -G a failed: Can't open user config file /tmp/x: No such file or directory",
    );
  });

  it('refuses RemoteCommand, RequestTTY force and ProxyCommand with the explanation', async () => {
    for (const [extra, code, msg] of [
      ['remotecommand tmux attach', 'remote-command', /^RemoteCommand in your config is not supported for this host: /],
      ['requesttty force', 'remote-command', /^RemoteCommand in your config is not supported for this host \(RequestTTY force\)/],
      ['proxycommand nc %h %p', 'unsupported-config', /^ProxyCommand in your config is not supported for this host; use ProxyJump instead$/],
    ] as const) {
      const err = await resolveSshHost({ alias: 'devbox', context, run: runner(`${SSH_G.replace("requesttty auto\n", "")}${extra}\n`), fallbackConfig: noFallback }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SshError);
      expect((err as SshError).code).toBe(code);
      expect((err as SshError).message).toMatch(msg);
      expect((err as SshError).retryable).toBe(false);
    }
  });

  it('rejects an alias OpenSSH would refuse before running anything', async () => {
    const run = runner(SSH_G);
    await expect(resolveSshHost({ alias: '-oProxyCommand=x', context, run, fallbackConfig: noFallback })).rejects.toThrow(/starts with "-"/);
    expect(run.calls).toEqual([]);
  });

  it('rejects a nonsense port from the config', async () => {
    await expect(resolveSshHost({ alias: 'devbox', context, run: runner('hostname h\nport 99999\nuser a\n'), fallbackConfig: noFallback })).rejects.toThrow(/port/);
  });

  it('falls back to the parser when there is no OpenSSH client', async () => {
    const enoent: RunProgram = () => Promise.reject(Object.assign(new Error('spawn ssh ENOENT'), { code: 'ENOENT' }));
    const config = SSHConfig.parse('Host devbox\n  HostName 10.9.9.9\n  IdentityAgent $MY_AGENT\nHost *\n  User bob\n  Port 2200\n');
    const r = await resolveSshHost({ alias: 'devbox', context, run: enoent, fallbackConfig: async () => config });
    expect(r).toMatchObject({ hostName: '10.9.9.9', port: 2200, user: 'bob', agentSocket: '/run/other.sock', source: 'parser', identitiesOnly: false, proxyJump: [] });
    expect(r.identityFiles).toContain('/home/u/.ssh/id_ed25519');
    expect(r.knownHostsFiles[0]).toBe('/home/u/.ssh/known_hosts');
  });
});

describe('resolveWithParser', () => {
  it('fills OpenSSH defaults: host name = alias, port 22, the local user', () => {
    const r = resolveWithParser('plain', SSHConfig.parse('Host other\n  User x\n'), context);
    expect(r).toMatchObject({ hostName: 'plain', port: 22, user: 'u' });
  });
  it('expands %h in HostName and refuses RemoteCommand too', () => {
    expect(resolveWithParser('web', SSHConfig.parse('Host web\n  HostName %h.example.internal\n'), context).hostName).toBe('web.example.internal');
    expect(() => resolveWithParser('web', SSHConfig.parse('Host web\n  RemoteCommand bash\n'), context)).toThrow(/RemoteCommand in your config is not supported for this host/);
  });
  it('never runs Match exec', () => {
    const r = resolveWithParser('m', SSHConfig.parse('Match exec "touch /tmp/should-not-exist-codex-host"\n  User hacked\n'), context);
    expect(r.user).toBe('u');
  });
});

describe('parseProxyJump', () => {
  it('splits hops and checks them', () => {
    expect(parseProxyJump('none')).toEqual([]);
    expect(parseProxyJump('a@[::1]:2222')).toEqual([{ user: 'a', host: '::1', port: 2222 }]);
    expect(() => parseProxyJump('a@b:99999')).toThrow(/is not \[user@\]host\[:port\]/);
    expect(() => parseProxyJump('bad host')).toThrow(/bad host/);
  });
});
