import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryTransportPair } from '../../shared/rpc/memoryTransport.js';
import { Emitter } from '../../shared/util/lifecycle.js';
import type { RunProgram } from './runProgram.js';
import type { OpenSessionOptions, SshSession } from './ssh2Client.js';
import { HostKeyTrustStore } from './hostKeyTrustStore.js';
import { SshHosts } from './sshHosts.js';
import { SSH_KNOWN_HOSTS_FILE } from './sshStateFiles.js';

const KEY = Buffer.from('AAAAC3NzaC1lZDI1NTE5AAAAIOJQmzf8EhsOo29xiawOA8lKUoAmihbeMMonGESRi4mq', 'base64');
const FP = 'SHA256:SE/xB+vdUboB/KSE49XnzZ+o9KG4YDbuvjcxdlGgeF4';

class FakeSession implements SshSession {
  readonly closed = new Emitter<string>();
  isClosed = false;
  exec(): never {
    throw new Error('not used');
  }
  forwardOut(): never {
    throw new Error('not used');
  }
  onClose(l: (r: string) => void) {
    return this.closed.on(l);
  }
  close() {
    this.isClosed = true;
  }
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'ssh-hosts-'));
  await writeFile(path.join(dir, 'config'), 'Host devbox\n  HostName 10.0.0.9\nHost web-*\nHost "broken\nHost pw\n');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !cond(); i++) await new Promise((r) => setTimeout(r, 2));
  expect(cond()).toBe(true);
}

function open(extra: { auth?: 'password' } = {}) {
  const sshG: RunProgram = async (_f, args) => ({ code: 0, stderr: '', stdout: `hostname 10.0.0.9\nport 22\nuser alice\nuserknownhostsfile ${dir}/known_hosts\n# ${args.join(' ')}\n` });
  const opened: OpenSessionOptions[] = [];
  return {
    opened,
    hosts: SshHosts.open({
      dataDir: dir,
      home: dir,
      configFile: path.join(dir, 'config'),
      context: { home: dir, localUser: 'me', localHost: 'laptop', authSock: undefined },
      run: sshG,
      promptTimeoutMs: 5_000,
      dial: async () => new PassThrough(),
      openSession: async (o) => {
        opened.push(o);
        await o.verifyHostKey(KEY);
        if (extra.auth === 'password') {
          await o.nextAuth(null);
          const m = await o.nextAuth(['password']);
          if (m?.type !== 'password' || m.password !== 'hunter2') throw new Error('wrong password');
        }
        return new FakeSession();
      },
      startEngine: async () => ({
        info: { shell: '/bin/sh', user: 'alice', codexPath: '/c', codexVersion: '0.169.0', dir: '/tmp/codex-host-a-b', socketPath: '/s', pid: 1, pathEnv: '', codexHome: undefined },
        openTransport: async () => createMemoryTransportPair()[0],
        stop: async () => {},
      }),
    }),
  };
}

describe('SshHosts', () => {
  it('lists config hosts with the broken entry, contacts nothing until enabled, and remembers enabled hosts', async () => {
    const { hosts: p, opened } = open();
    const hosts = await p;
    const list = await hosts.list();
    expect(list.hosts.map((h) => [h.name, h.source, h.enabled, h.status.state])).toEqual([
      ['devbox', 'config', false, 'disabled'],
      ['pw', 'config', false, 'disabled'],
    ]);
    expect(list.problems).toEqual([{ file: path.join(dir, 'config'), line: 4, alias: 'broken', message: 'line 4: Unexpected line break at broken' }]);
    expect(opened).toHaveLength(0);
    await expect(hosts.enable('nope')).rejects.toThrow(`there is no host nope in ${path.join(dir, 'config')} or among the hosts added by hand`);
    await hosts.enable('devbox');
    await until(() => hosts.status('devbox')?.state === 'error');
    expect(JSON.parse(await readFile(path.join(dir, 'ssh-hosts.json'), 'utf8'))).toMatchObject({ version: 1, enabled: ['devbox'], manual: [] });
    await hosts.dispose();
  });

  it('refuses an unknown host key with its fingerprint, trusts exactly that key, then connects', async () => {
    const hosts = await open().hosts;
    await hosts.enable('devbox');
    await until(() => hosts.status('devbox')?.state === 'error');
    expect(hosts.status('devbox')?.lastError).toMatchObject({ code: 'host-key-unknown', message: expect.stringContaining(`Host key unknown — fingerprint ${FP}`), details: { fingerprint: FP, host: '10.0.0.9' } });
    await expect(hosts.trust('devbox', 'SHA256:other')).rejects.toThrow(`devbox presented ${FP}, not SHA256:other; nothing was trusted`);
    await hosts.trust('devbox', FP);
    await until(() => hosts.status('devbox')?.state === 'connected');
    expect(hosts.enginePort('devbox')?.state).toBe('running');
    expect(JSON.parse(await readFile(path.join(dir, 'ssh-known-hosts.json'), 'utf8')).keys[0]).toMatchObject({ host: '10.0.0.9', fingerprint: FP });
    await hosts.dispose();
    // after a restart of the app, the enabled host connects by itself with the trusted key
    const again = await open().hosts;
    await until(() => again.status('devbox')?.state === 'connected');
    await again.dispose();
  });

  it('asks for a password through onPrompt and connects with the answer', async () => {
    await writeFile(path.join(dir, 'known_hosts'), `10.0.0.9 ssh-ed25519 ${KEY.toString('base64')}\n`);
    const hosts = await open({ auth: 'password' }).hosts;
    const asked: string[] = [];
    hosts.onPrompt((p) => {
      asked.push(`${p.request.kind}: ${p.request.title}`);
      hosts.answerPrompt(p.id, ['hunter2']);
    });
    await hosts.enable('pw');
    await until(() => hosts.status('pw')?.state === 'connected');
    expect(asked).toEqual(['password: Password for alice@pw']);
    expect(hosts.pendingPrompts()).toEqual([]);
    expect(() => hosts.answerPrompt('gone', ['x'])).toThrow('that prompt is no longer waiting');
    await hosts.dispose();
  });

  it('adds and removes hosts by hand with clear errors', async () => {
    const hosts = await open().hosts;
    await expect(hosts.add({ name: 'devbox', destination: 'a@h' })).rejects.toThrow('a host named devbox exists already');
    await expect(hosts.add({ name: 'box', destination: 'nouser' })).rejects.toThrow('needs a user');
    await hosts.add({ name: 'box', destination: 'bob@10.1.1.1:2222', identityFile: '~/.ssh/k' });
    expect((await hosts.list()).hosts.find((h) => h.name === 'box')).toMatchObject({ source: 'manual', manual: { user: 'bob', hostName: '10.1.1.1', port: 2222, identityFile: path.join(dir, '.ssh/k') } });
    await hosts.remove('box');
    expect((await hosts.list()).hosts.map((h) => h.name)).toEqual(['devbox', 'pw']);
    await expect(hosts.remove('nope')).rejects.toThrow('there is no host nope');
    // a config alias: picked onto the list, then taken off it again (it stays discovered)
    await hosts.pick('devbox');
    expect((await hosts.list()).hosts.map((h) => `${h.name}:${h.listed}`)).toEqual(['devbox:true', 'pw:false']);
    await hosts.remove('devbox');
    expect((await hosts.list()).hosts.map((h) => `${h.name}:${h.listed}:${h.enabled}`)).toEqual(['devbox:false:false', 'pw:false:false']);
    await hosts.dispose();
  });

  it('removing a host added by hand keeps a trusted key another host still connects with', async () => {
    const trust = new HostKeyTrustStore({ file: path.join(dir, SSH_KNOWN_HOSTS_FILE) });
    // A store reads its file once: what the hosts wrote is read through a new one.
    const stored = (name: string) => new HostKeyTrustStore({ file: path.join(dir, SSH_KNOWN_HOSTS_FILE) }).check(name, KEY);
    const hosts = await open().hosts;
    // The config alias devbox resolves to 10.0.0.9:22 (the ssh -G stand-in above), the same name as this one.
    await hosts.add({ name: 'box', destination: 'bob@10.0.0.9' });
    await trust.trust('10.0.0.9', KEY);
    await hosts.remove('box');
    expect(await stored('10.0.0.9')).toEqual({ kind: 'trusted' });
    // An address no other host uses is forgotten with its host.
    await hosts.add({ name: 'lone', destination: 'bob@10.7.7.7:2200' });
    await trust.trust('[10.7.7.7]:2200', KEY);
    await hosts.remove('lone');
    expect(await stored('[10.7.7.7]:2200')).toEqual({ kind: 'unknown' });
    await hosts.dispose();
  });

  it('refuses to start on a corrupt state file and leaves it as it was', async () => {
    await writeFile(path.join(dir, 'ssh-hosts.json'), '{"version":1}');
    await expect(open().hosts).rejects.toThrow(/ssh-hosts\.json cannot be read .* fix or remove it/);
    expect(await readFile(path.join(dir, 'ssh-hosts.json'), 'utf8')).toBe('{"version":1}');
  });
});
