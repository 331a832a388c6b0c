/**
 * SSH hosts against a real sshd on loopback (docs/ssh.md), through the `SshHosts` service:
 * host keys (unknown until trusted, hashed known_hosts, changed), password prompts answered and
 * unanswered, RemoteCommand refused, ProxyJump, codex missing, and "sign in" on an engine
 * without an account. Needs root: it creates the login users.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findCodexBinary } from '../host/engine/findCodexBinary.js';
import { SshHosts } from '../host/ssh/sshHosts.js';
import { TEST_OUTPUT_DIR } from './fixtures/codexHome.js';
import { createTestUser, hostKeyFingerprint, isRoot, removeTestUser, sshConfigText, startSshd, writeKnownHosts, type SshdFixture } from './fixtures/sshd.js';

if (!isRoot) console.warn('[sshHosts.test] skipped: needs root to create login users for the test sshd (run npm test as root, as CI does)');

const suffix = process.pid.toString(36).slice(-4);
const USER = `cxh-a${suffix}`;
const NOCODEX = `cxh-n${suffix}`;
const PW_USER = `cxh-p${suffix}`;
const PASSWORD = 'correct horse battery staple';

describe.skipIf(!isRoot)('SSH hosts against a real sshd', () => {
  let sshd: SshdFixture;
  let dir: string;
  let knownHosts: string;
  let configFile: string;
  const opened: SshHosts[] = [];

  const open = async (promptTimeoutMs = 10_000) => {
    const dataDir = await mkdtemp(join(dir, 'data-'));
    const hosts = await SshHosts.open({
      dataDir,
      home: os.homedir(),
      configFile,
      context: { home: os.homedir(), localUser: os.userInfo().username, localHost: os.hostname(), authSock: undefined },
      promptTimeoutMs,
      backoff: { initialMs: 200, maxMs: 1000 },
    });
    opened.push(hosts);
    return hosts;
  };
  const settle = async (hosts: SshHosts, name: string, states: string[] = ['connected', 'error'], ms = 60_000) => {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      const s = hosts.status(name);
      if (s && states.includes(s.state)) return s;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`${name} did not reach ${states.join('/')}: ${JSON.stringify(hosts.status(name))}`);
  };

  beforeAll(async () => {
    await mkdir(TEST_OUTPUT_DIR, { recursive: true });
    dir = await mkdtemp(join(TEST_OUTPUT_DIR, 'ssh-hosts-'));
    sshd = await startSshd({ label: 'sshd-hosts', passwordAuthentication: true });
    const codex = findCodexBinary({ env: process.env }).path;
    await createTestUser({ name: USER, shell: 'bash', codexBin: codex });
    await createTestUser({ name: NOCODEX, shell: 'bash', noise: 'Welcome to a host without codex' });
    await createTestUser({ name: PW_USER, shell: 'sh', codexBin: codex, password: PASSWORD });
    knownHosts = join(dir, 'known_hosts');
    configFile = join(dir, 'config');
    await writeFile(
      configFile,
      sshConfigText(sshd, knownHosts, [
        { alias: 'box', user: USER },
        { alias: 'nocodex', user: NOCODEX },
        // password only: no key file, no agent
        { alias: 'pw', user: PW_USER, extra: ['IdentityFile none', 'PubkeyAuthentication no'] },
        { alias: 'tmuxbox', user: USER, extra: ['RemoteCommand tmux new -A -s main'] },
        { alias: 'jumped', user: USER, extra: ['ProxyJump box'] },
      ]),
    );
  }, 120_000);

  afterAll(async () => {
    for (const h of opened) await h.dispose();
    for (const u of [USER, NOCODEX, PW_USER]) await removeTestUser(u);
    await sshd?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  }, 120_000);

  it('refuses an unknown host key with its SHA256 fingerprint until trusted, then tells the user to sign in', async () => {
    // No known_hosts yet, whatever ran before (the other tests write one).
    await rm(knownHosts, { force: true });
    const hosts = await open();
    expect((await hosts.list()).hosts.map((h) => h.name)).toEqual(['box', 'nocodex', 'pw', 'tmuxbox', 'jumped']);
    await hosts.enable('box');
    const refused = await settle(hosts, 'box');
    const fp = await hostKeyFingerprint(sshd);
    expect(refused.state).toBe('error');
    expect(refused.lastError?.code).toBe('host-key-unknown');
    expect(refused.lastError?.message).toBe(`Host key unknown — fingerprint ${fp} (ssh-ed25519); check it with the host's owner, then trust it`);
    await hosts.trust('box', fp);
    // This user has no CODEX_HOME with a model provider: the engine wants an OpenAI login.
    const s = await settle(hosts, 'box');
    expect(s.lastError?.code).toBe('sign-in');
    expect(s.lastError?.message).toBe(`Sign in to Codex on this host: run codex login there (as ${USER}), then restart the connection`);
  }, 120_000);

  it('accepts a key from a hashed known_hosts, and refuses a changed one', async () => {
    await writeKnownHosts(knownHosts, sshd, true);
    const hosts = await open();
    await hosts.enable('nocodex');
    const s = await settle(hosts, 'nocodex');
    // The key was accepted (it got as far as the codex check, past the login noise).
    expect(s.lastError?.code).toBe('codex-missing');
    expect(s.lastError?.message).toBe(
      "Codex is not installed on this host (not on the login shell's PATH): install it there (npm install -g @openai/codex), or add its folder to PATH in ~/.bash_profile, ~/.profile or ~/.bashrc",
    );
    const oldFp = await hostKeyFingerprint(sshd);
    await sshd.kill();
    await sshd.rotateHostKey();
    await sshd.start();
    try {
      await hosts.restart('nocodex');
      const changed = await settle(hosts, 'nocodex');
      expect(changed.lastError?.code).toBe('host-key-changed');
      expect(changed.lastError?.message).toContain(`Host key changed — refusing to connect: ${knownHosts} line 1 has ${oldFp} for [127.0.0.1]:${sshd.port}, the host sent ${await hostKeyFingerprint(sshd)}`);
      await expect(hosts.trust('nocodex', await hostKeyFingerprint(sshd))).rejects.toThrow('no unknown host key is waiting to be trusted for nocodex');
    } finally {
      await writeKnownHosts(knownHosts, sshd, false);
    }
  }, 120_000);

  it('asks for the password through the prompt interface; an unanswered prompt times out with a clear error', async () => {
    await writeKnownHosts(knownHosts, sshd, false);
    const answered = await open();
    const asked: string[] = [];
    answered.onPrompt((p) => {
      asked.push(`${p.request.kind}|${p.request.title}|${p.request.prompts.map((q) => `${q.text}:${q.echo}`).join(',')}`);
      answered.answerPrompt(p.id, [PASSWORD]);
    });
    await answered.enable('pw');
    const ok = await settle(answered, 'pw');
    expect(asked).toEqual([`password|Password for ${PW_USER}@pw|Password::false`]);
    // past authentication: the sh login user has codex but no model config → sign-in
    expect(ok.lastError?.code).toBe('sign-in');

    const ignored = await open(1_500);
    const seen: string[] = [];
    ignored.onPrompt((p) => seen.push(p.request.kind));
    const t0 = Date.now();
    await ignored.enable('pw');
    const timedOut = await settle(ignored, 'pw', ['error'], 20_000);
    expect(seen).toEqual(['password']);
    expect(timedOut.lastError?.code).toBe('prompt-timeout');
    expect(timedOut.lastError?.message).toBe('Password required — nobody answered the prompt for pw within 2 s; connect again and answer it');
    expect(Date.now() - t0).toBeLessThan(15_000);
    expect(ignored.pendingPrompts()).toEqual([]);
  }, 120_000);

  it('refuses RemoteCommand with the explanation, without connecting', async () => {
    const hosts = await open();
    await hosts.enable('tmuxbox');
    const s = await settle(hosts, 'tmuxbox');
    expect(s.lastError?.code).toBe('remote-command');
    expect(s.lastError?.message).toMatch(/^RemoteCommand in your config is not supported for this host: /);
    expect(s.target).toBeUndefined();
  }, 60_000);

  it('connects through a ProxyJump hop (each hop checks its own host key)', async () => {
    await writeKnownHosts(knownHosts, sshd, false);
    const hosts = await open();
    await hosts.enable('jumped');
    const s = await settle(hosts, 'jumped');
    expect(s.target?.via).toEqual(['box']);
    // through the hop, as far as the remote engine's account check
    expect(s.lastError?.code).toBe('sign-in');
  }, 120_000);
});
