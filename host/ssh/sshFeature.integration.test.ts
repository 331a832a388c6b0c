import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HostClient } from '../../shared/protocol/hostClient.js';
import type { SshHostInfo, SshPrompt } from '../../shared/protocol/features/sshApi.js';
import type { EnvironmentInfo } from '../../shared/protocol/hostMethods.js';
import { silentLogger } from '../../shared/util/logger.js';
import { createTestHub, MemoryEngine } from '../hub/testing/hubTestKit.js';
import type { RunProgram } from './runProgram.js';
import type { SshSession } from './ssh2Client.js';
import { SshFeature } from './sshFeature.js';
import { SshHosts } from './sshHosts.js';
import { SshProjects } from './sshProjects.js';
import { LocalSession } from './testing/localSession.js';

const KEY = Buffer.from('AAAAC3NzaC1lZDI1NTE5AAAAIOJQmzf8EhsOo29xiawOA8lKUoAmihbeMMonGESRi4mq', 'base64');

let dir: string;
let cleanup: (() => Promise<void>)[] = [];

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'ssh-feature-'));
  await writeFile(path.join(dir, 'config'), 'Host devbox\n  HostName 10.0.0.9\nHost pw\n');
  await writeFile(path.join(dir, 'known_hosts'), `10.0.0.9 ssh-ed25519 ${KEY.toString('base64')}\n`);
  // hosts added by hand read ~/.ssh/known_hosts
  await mkdir(path.join(dir, '.ssh'));
  await writeFile(path.join(dir, '.ssh', 'known_hosts'), `10.0.0.9 ssh-ed25519 ${KEY.toString('base64')}\n`);
  await mkdir(path.join(dir, 'remote-home', 'src', 'app'), { recursive: true });
});
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
  await rm(dir, { recursive: true, force: true });
});

async function until<T>(probe: () => T | undefined | Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 1000; i++) {
    const v = await probe();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error('condition not reached');
}

/** The feature over a hub with in-memory engines; the remote engine's start waits for `release()`. */
async function setup(o: { password?: boolean } = {}) {
  const t = createTestHub();
  const remote = new MemoryEngine();
  const events: string[] = [];
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const sessions: SshSession[] = [];
  const sshG: RunProgram = async () => ({ code: 0, stderr: '', stdout: `hostname 10.0.0.9\nport 22\nuser alice\nuserknownhostsfile ${dir}/known_hosts\n` });
  const hosts = await SshHosts.open({
    dataDir: dir,
    home: dir,
    configFile: path.join(dir, 'config'),
    context: { home: dir, localUser: 'me', localHost: 'laptop', authSock: undefined },
    run: sshG,
    promptTimeoutMs: 5_000,
    dial: async () => new PassThrough(),
    openSession: async (opts) => {
      await opts.verifyHostKey(KEY);
      if (o.password) {
        await opts.nextAuth(null);
        const m = await opts.nextAuth(['password']);
        if (m?.type !== 'password' || m.password !== 'hunter2') throw new Error('All configured authentication methods failed');
      }
      const s = new LocalSession({ ...process.env, HOME: path.join(dir, 'remote-home') });
      sessions.push(s);
      return s;
    },
    startEngine: async (_session, _previous, onPhase) => {
      onPhase('checking-codex');
      onPhase('starting-engine');
      await gate;
      return {
        info: { shell: '/bin/sh', user: 'alice', codexPath: '/c', codexVersion: '0.171.0', dir: '/tmp/codex-host-a-b', socketPath: '/s', pid: 1, pathEnv: '', codexHome: undefined },
        openTransport: () => remote.connect(),
        stop: async () => {
          events.push(`engine stopped; environments: ${t.hub.environmentList(true).map((e) => e.id).join(',')}`);
        },
      };
    },
  });
  const projects = await SshProjects.open(dir);
  const feature = new SshFeature({ hub: t.hub, hosts, projects, logger: silentLogger });
  const registered = t.hub.registerFeatures({ ssh: feature.table() });
  const adminClient = t.attach('desktop', 'Desktop');
  const admin = new HostClient(adminClient.conn);
  await admin.subscribe();
  cleanup.push(async () => {
    registered.dispose();
    feature.dispose();
    await hosts.dispose();
    t.hub.dispose();
  });
  const changed: { name: string; host?: SshHostInfo }[] = [];
  const prompts: SshPrompt[] = [];
  const envChanges: EnvironmentInfo[][] = [];
  admin.on('host/ssh/changed', (c) => changed.push(c));
  admin.on('host/ssh/prompt', (p) => prompts.push(p));
  admin.on('host/environments/changed', (c) => envChanges.push(c.environments));
  return { ...t, hosts, admin, adminClient, remote, events, release, changed, prompts, envChanges, sessions };
}

describe('the ssh host feature', () => {
  it('makes an enabled host environment ssh:<alias> with its phase; running once connected; each change sent once', async () => {
    const t = await setup();
    expect((await t.admin.call('host/ssh/list')).hosts.map((h) => `${h.name} ${h.state}`)).toEqual(['devbox disabled', 'pw disabled']);
    // discovering the list told the admins about each host
    await until(() => (t.changed.some((c) => c.name === 'devbox') ? true : undefined));
    const { host } = await t.admin.call('host/ssh/enable', { name: 'devbox' });
    expect(host).toMatchObject({ name: 'devbox', enabled: true, environmentId: 'ssh:devbox', state: 'connecting' });
    const starting = await until(() => t.envChanges.flat().find((e) => e.id === 'ssh:devbox' && e.phase === 'starting-engine'));
    expect(starting).toMatchObject({ kind: 'ssh', name: 'devbox', state: 'starting' });
    t.release();
    await until(() => (t.changed.at(-1)?.host?.state === 'connected' ? true : undefined));
    const envs = (await t.admin.call('host/environments/list')).environments;
    expect(envs).toEqual([
      expect.objectContaining({ id: 'local', kind: 'local' }),
      { id: 'ssh:devbox', kind: 'ssh', name: 'devbox', state: 'running', version: '0.171.0', restarts: 0, busy: false },
    ]);
    const mine = t.changed.filter((c) => c.name === 'devbox').map((c) => JSON.stringify(c.host));
    // sent once per change: never the same view twice in a row
    expect(mine.filter((m, i) => i > 0 && m === mine[i - 1])).toEqual([]);
    const states = mine.map((m) => JSON.parse(m) as SshHostInfo).map((h) => `${h.state}/${h.phase ?? ''}`);
    expect(states.filter((s, i) => s !== states[i - 1])).toEqual(['disabled/', 'connecting/resolving', 'connecting/connecting', 'connecting/authenticating', 'connecting/checking-codex', 'connecting/starting-engine', 'connected/ready']);
    // a client in the environment reaches the remote engine
    const c = t.attach('phone', 'Phone', 'a'.repeat(32));
    await c.conn.request('host/environment/select', { environmentId: 'ssh:devbox' });
    await c.conn.request('initialize', { clientInfo: { name: 'p', version: '0' } });
    expect(t.remote.clients).toHaveLength(1);
  });

  it('disable removes the environment first (its clients hear why), then stops the remote engine', async () => {
    const t = await setup();
    t.release();
    await t.admin.call('host/ssh/enable', { name: 'devbox' });
    await until(() => (t.hosts.status('devbox')?.state === 'connected' ? true : undefined));
    const c = t.attach('tui', 'tui');
    await c.conn.request('host/environment/select', { environmentId: 'ssh:devbox' });
    await c.conn.request('initialize', { clientInfo: { name: 't', version: '0' } });
    const { host } = await t.admin.call('host/ssh/disable', { name: 'devbox' });
    expect(host).toMatchObject({ enabled: false, state: 'disabled' });
    expect(host.environmentId).toBeUndefined();
    expect(await c.closed).toEqual({ code: 1001, reason: 'environment "ssh:devbox" was removed from this host' });
    expect(t.events).toEqual(['engine stopped; environments: local']);
    expect(t.changed.at(-1)).toMatchObject({ name: 'devbox', host: { enabled: false, state: 'disabled' } });
  });

  it('"Restart connection" closes the clients of the environment with 1012 and counts a restart', async () => {
    const t = await setup();
    t.release();
    await t.admin.call('host/ssh/enable', { name: 'devbox' });
    await until(() => (t.hosts.status('devbox')?.state === 'connected' ? true : undefined));
    const c = t.attach('desktop', 'window');
    await c.conn.request('host/environment/select', { environmentId: 'ssh:devbox' });
    await c.conn.request('initialize', { clientInfo: { name: 'w', version: '0' } });
    await t.admin.call('host/ssh/restart', { name: 'devbox' });
    expect(await c.closed).toEqual({ code: 1012, reason: 'engine restarted; reconnect to continue' });
    await until(() => (t.hosts.status('devbox')?.state === 'connected' ? true : undefined));
    expect((await t.admin.call('host/environments/list')).environments.find((e) => e.id === 'ssh:devbox')).toMatchObject({ state: 'running', restarts: 1 });
    expect(t.events).toEqual(['engine stopped; environments: local,ssh:devbox']);
  });

  it('sends password prompts to admins only, takes the answer once, and never echoes it', async () => {
    const t = await setup({ password: true });
    t.release();
    await t.admin.call('host/ssh/enable', { name: 'pw' });
    const p = await until(() => t.prompts[0]);
    expect(p).toMatchObject({ host: 'pw', kind: 'password', title: 'Password for alice@pw', prompts: [{ text: 'Password:', echo: false }] });
    expect((await t.admin.call('host/ssh/list')).prompts).toEqual([p]);
    const phone = new HostClient(t.attach('phone', 'Phone', 'b'.repeat(32)).conn);
    await expect(phone.call('host/ssh/prompt/answer', { promptId: p.promptId, answers: ['hunter2'] })).rejects.toMatchObject({ code: -32600, message: 'host/ssh/prompt/answer: not allowed for phone clients' });
    await expect(phone.call('host/ssh/list')).rejects.toMatchObject({ code: -32600 });
    await t.admin.call('host/ssh/prompt/answer', { promptId: p.promptId, answers: ['hunter2'] });
    await until(() => (t.hosts.status('pw')?.state === 'connected' ? true : undefined));
    await expect(t.admin.call('host/ssh/prompt/answer', { promptId: p.promptId, answers: ['hunter2'] })).rejects.toMatchObject({
      code: -32600,
      message: 'host/ssh/prompt/answer: that prompt is no longer waiting (it was answered, cancelled or timed out)',
      data: { sshCode: 'prompt-timeout' },
    });
    expect(t.adminClient.received.filter((m) => JSON.stringify(m).includes('hunter2'))).toEqual([]);
    expect(t.adminClient.received.some((m) => m.method === 'host/ssh/prompt/closed')).toBe(true);
  });

  it('answers mistakes with the reason, never "Internal error"', async () => {
    const t = await setup();
    await expect(t.admin.call('host/ssh/enable', { name: 'nope' })).rejects.toMatchObject({
      code: -32602,
      data: { sshCode: 'config', reason: `there is no host nope in ${path.join(dir, 'config')} or among the hosts added by hand` },
    });
    await expect(t.admin.call('host/ssh/browse', { host: 'devbox' })).rejects.toMatchObject({ code: -32600, data: { reason: "Can't open this folder: devbox is not connected (disabled); connect it first" } });
    await expect(t.admin.call('host/ssh/remove', { name: 'nope' })).rejects.toMatchObject({ data: { reason: `there is no host nope in ${path.join(dir, 'config')} or among the hosts added by hand` } });
    await expect(t.admin.call('host/ssh/edit', { name: 'devbox', destination: 'a@b' })).rejects.toMatchObject({ data: { reason: `devbox is not a host added by hand (change config hosts in ${path.join(dir, 'config')})` } });
    await expect(t.admin.call('host/ssh/add', { name: 'x', destination: 'nouser' })).rejects.toMatchObject({ data: { reason: '"nouser" needs a user: write it as user@host or user@host:port' } });
    await expect(t.admin.call('host/ssh/trust', { name: 'devbox', fingerprint: 'SHA256:' + 'A'.repeat(43) })).rejects.toMatchObject({ data: { reason: 'no unknown host key is waiting to be trusted for devbox; connect it first' } });
  });

  it('adds, browses, remembers a project, renames (projects and environment follow) and removes a host added by hand', async () => {
    const t = await setup();
    t.release();
    const added = await t.admin.call('host/ssh/add', { name: 'box', destination: 'alice@10.0.0.9', identityFile: '~/.ssh/id_box' });
    expect(added.host).toMatchObject({ name: 'box', source: 'manual', enabled: false, details: { hostName: '10.0.0.9', port: 22, user: 'alice', identityFiles: [path.join(dir, '.ssh/id_box')] } });
    await t.admin.call('host/ssh/enable', { name: 'box' });
    await until(() => (t.hosts.status('box')?.state === 'connected' ? true : undefined));
    const home = path.join(dir, 'remote-home');
    expect(await t.admin.call('host/ssh/browse', { host: 'box', path: '~/src' })).toEqual({ host: 'box', path: path.join(home, 'src'), parent: home, entries: [{ name: 'app', path: path.join(home, 'src', 'app'), hidden: false }], truncated: false });
    const { project } = await t.admin.call('host/ssh/projects/add', { host: 'box', path: '~/src/app' });
    expect(project).toMatchObject({ host: 'box', path: path.join(home, 'src', 'app'), name: 'app' });
    // everyone may list the projects (a phone starts a thread in one)
    const phone = new HostClient(t.attach('phone', 'Phone', 'c'.repeat(32)).conn);
    expect((await phone.call('host/ssh/projects/list')).projects).toEqual([project]);

    const edited = await t.admin.call('host/ssh/edit', { name: 'box', newName: 'box2', destination: 'alice@10.0.0.9:22' });
    expect(edited.host).toMatchObject({ name: 'box2', enabled: true, environmentId: 'ssh:box2' });
    await until(() => (t.hosts.status('box2')?.state === 'connected' ? true : undefined));
    expect((await t.admin.call('host/environments/list')).environments.map((e) => e.id)).toEqual(['local', 'ssh:box2']);
    expect((await t.admin.call('host/ssh/projects/list')).projects).toEqual([{ ...project, host: 'box2' }]);
    expect(t.changed.some((c) => c.name === 'box' && c.host === undefined)).toBe(true);

    await t.admin.call('host/ssh/remove', { name: 'box2' });
    expect((await t.admin.call('host/ssh/projects/list')).projects).toEqual([]);
    expect((await t.admin.call('host/environments/list')).environments.map((e) => e.id)).toEqual(['local']);
    expect((await t.admin.call('host/ssh/list')).hosts.map((h) => h.name)).toEqual(['devbox', 'pw']);
  });

  it('keeps the user\'s list: a picked alias stays listed when disabled, and remove takes it off (it stays discovered)', async () => {
    const t = await setup();
    t.release();
    expect((await t.admin.call('host/ssh/pick', { name: 'pw' })).host).toMatchObject({ name: 'pw', listed: true, enabled: false, state: 'disabled' });
    await t.admin.call('host/ssh/enable', { name: 'devbox' });
    await until(() => (t.hosts.status('devbox')?.state === 'connected' ? true : undefined));
    await t.admin.call('host/ssh/disable', { name: 'devbox' });
    const listed = async () => (await t.admin.call('host/ssh/list')).hosts.map((h) => `${h.name} listed=${h.listed} enabled=${h.enabled}`);
    expect(await listed()).toEqual(['devbox listed=true enabled=false', 'pw listed=true enabled=false']);
    expect(await t.admin.call('host/ssh/remove', { name: 'devbox' })).toEqual({ removed: true, source: 'config' });
    expect(await listed()).toEqual(['devbox listed=false enabled=false', 'pw listed=true enabled=false']);
  });

  it('brings back the environments of the hosts enabled before a restart', async () => {
    const first = await setup();
    first.release();
    await first.admin.call('host/ssh/enable', { name: 'devbox' });
    await until(() => (first.hosts.status('devbox')?.state === 'connected' ? true : undefined));
    for (const c of cleanup.splice(0)) await c();
    const again = await setup();
    again.release();
    expect((await again.admin.call('host/environments/list')).environments.map((e) => e.id)).toEqual(['local', 'ssh:devbox']);
    await until(() => (again.hosts.status('devbox')?.state === 'connected' ? true : undefined));
  });
});
