/**
 * The remote engine over SSH (docs/ssh.md) against a real sshd and the real
 * `codex app-server` as the remote user: every login shell (sh, bash, zsh, fish, csh, tcsh) with
 * rc files that print noise; a turn with an approval through `SshEnginePort` whose command runs
 * as the remote user; and sshd killed mid-turn → disconnected, reconnect with backoff, and
 * `thread/resume` shows the thread with nothing lost. Needs root (creates the login users).
 */
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RpcConnection } from '../shared/rpc/connection.js';
import { findCodexBinary } from '../host/engine/findCodexBinary.js';
import { SshHosts } from '../host/ssh/sshHosts.js';
import { createCodexHome, TEST_OUTPUT_DIR, type CodexHomeFixture } from './fixtures/codexHome.js';
import { startFakeResponses, type FakeResponsesServer } from './fixtures/fakeResponses.js';
import { createTestUser, giveTo, isRoot, removeTestUser, sshConfigText, startSshd, writeKnownHosts, type LoginShell, type SshdFixture, type TestUser } from './fixtures/sshd.js';
import { ENGINE_VERSION } from './fixtures/engineVersion.js';

if (!isRoot) console.warn('[sshEngine.test] skipped: needs root to create login users for the test sshd (run npm test as root, as CI does)');

const SHELLS: LoginShell[] = ['sh', 'bash', 'zsh', 'fish', 'csh', 'tcsh'];
const suffix = process.pid.toString(36).slice(-4);
const userOf = (shell: LoginShell) => `cxh-${shell}${suffix}`;

describe.skipIf(!isRoot)('the remote engine over SSH', () => {
  let sshd: SshdFixture;
  let fake: FakeResponsesServer;
  let dir: string;
  let hosts: SshHosts;
  const users = new Map<LoginShell, TestUser>();
  const homes = new Map<LoginShell, CodexHomeFixture>();

  const settle = async (name: string, states: string[], ms = 90_000) => {
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
    dir = await mkdtemp(join(TEST_OUTPUT_DIR, 'ssh-engine-'));
    sshd = await startSshd({ label: 'sshd-engine' });
    fake = await startFakeResponses({ slowDeltaMs: 150, slowDeltaCount: 40 });
    const codex = findCodexBinary({ env: process.env }).path;
    for (const shell of SHELLS) {
      const home = await createCodexHome({ modelBaseUrl: fake.baseUrl, label: `ssh-${shell}` });
      const user = await createTestUser({ name: userOf(shell), shell, codexBin: codex, codexHome: home.codexHome, noise: `motd-like noise from ${shell}` });
      await giveTo(home.root, user);
      users.set(shell, user);
      homes.set(shell, home);
    }
    const knownHosts = join(dir, 'known_hosts');
    await writeKnownHosts(knownHosts, sshd, false);
    const configFile = join(dir, 'config');
    await writeFile(configFile, sshConfigText(sshd, knownHosts, SHELLS.map((s) => ({ alias: s, user: userOf(s) }))));
    hosts = await SshHosts.open({
      dataDir: await mkdtemp(join(dir, 'data-')),
      home: os.homedir(),
      configFile,
      context: { home: os.homedir(), localUser: os.userInfo().username, localHost: os.hostname(), authSock: undefined },
      backoff: { initialMs: 300, maxMs: 2000 },
    });
  }, 180_000);

  afterAll(async () => {
    await hosts?.dispose();
    for (const shell of SHELLS) await removeTestUser(userOf(shell));
    for (const h of homes.values()) await h.cleanup();
    await fake?.close();
    await sshd?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  }, 120_000);

  it.each(SHELLS)('starts the engine through a %s login shell that prints noise', async (shell) => {
    await hosts.enable(shell);
    const s = await settle(shell, ['connected', 'error']);
    expect(s.lastError).toBeUndefined();
    expect(s).toMatchObject({ state: 'connected', phase: 'ready', remote: { codexVersion: ENGINE_VERSION, user: userOf(shell) } });
    expect(s.remote?.shell).toMatch(new RegExp(`/${shell}$`));
    const port = hosts.enginePort(shell)!;
    expect(port.state).toBe('running');
    const rpc = new RpcConnection(await port.connect(), { requestTimeoutMs: 30_000 });
    const init = (await rpc.request('initialize', { clientInfo: { name: 'ssh-e2e', version: '0' }, capabilities: null })) as { codexHome: string };
    expect(init.codexHome).toBe(homes.get(shell)!.codexHome);
    rpc.close();
    if (shell !== 'bash') await hosts.disable(shell);
  }, 120_000);

  it('runs a turn with an approval on the remote engine, as the remote user, and survives sshd being killed mid-turn', async () => {
    // Connected whatever ran before: the login-shell tests leave bash connected; alone, this connects it.
    await hosts.enable('bash');
    expect((await settle('bash', ['connected', 'error'])).state).toBe('connected');
    const port = hosts.enginePort('bash')!;
    expect(port.state).toBe('running');
    const home = homes.get('bash')!;
    const user = users.get('bash')!;
    const rpc = new RpcConnection(await port.connect(), { requestTimeoutMs: 60_000 });
    await rpc.request('initialize', { clientInfo: { name: 'ssh-e2e', version: '0' }, capabilities: null });
    rpc.notify('initialized');
    const approvals: unknown[] = [];
    rpc.onRequest('item/commandExecution/requestApproval', (params) => {
      approvals.push(params);
      return { decision: 'accept' };
    });
    const completed: { turn: { id: string; status: string } }[] = [];
    rpc.onNotification('turn/completed', (p) => completed.push(p as { turn: { id: string; status: string } }));
    const { thread } = (await rpc.request('thread/start', { cwd: home.workdir })) as { thread: { id: string } };
    await rpc.request('turn/start', { threadId: thread.id, input: [{ type: 'text', text: 'RUN touch made-over-ssh.txt && id -un', text_elements: [] }] });
    const end = Date.now() + 90_000;
    while (completed.length === 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
    expect(completed[0]?.turn.status).toBe('completed');
    expect(approvals).toHaveLength(1);
    const made = await stat(join(home.workdir, 'made-over-ssh.txt'));
    expect(made.uid).toBe(user.uid);
    const followUp = fake.responsesRequests().find((r) => r.scenario === 'followUp' && r.toolOutputs.join('').includes(user.name));
    expect(followUp).toBeDefined();

    // A slow turn, then sshd dies (listener and sessions): the port reports it at once.
    let restarts = 0;
    port.onRestart(() => restarts++);
    const deltas: string[] = [];
    rpc.onNotification('item/agentMessage/delta', (p) => deltas.push((p as { delta: string }).delta));
    await rpc.request('turn/start', { threadId: thread.id, input: [{ type: 'text', text: 'SLOW', text_elements: [] }] });
    while (deltas.length < 3 && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    await sshd.kill();
    const lost = await settle('bash', ['disconnected'], 20_000);
    expect(lost.lastError?.code).toBe('disconnected');
    expect(port.state).toBe('restarting');
    expect(restarts).toBe(1);
    await expect(port.connect()).rejects.toThrow(/bash is (disconnected|connecting)/);
    const closed = await new Promise<boolean>((r) => (rpc.isClosed ? r(true) : rpc.onClose(() => r(true))));
    expect(closed).toBe(true);

    // sshd comes back: the connection retries with backoff and reuses the engine that kept running.
    await sshd.start();
    const back = await settle('bash', ['connected', 'error'], 60_000);
    expect(back.state).toBe('connected');
    expect(back.disconnects).toBe(1);
    expect(port.state).toBe('running');
    const again = new RpcConnection(await port.connect(), { requestTimeoutMs: 60_000 });
    await again.request('initialize', { clientInfo: { name: 'ssh-e2e-2', version: '0' }, capabilities: null });
    again.notify('initialized');
    const resumed = (await again.request('thread/resume', { threadId: thread.id })) as { thread: { id: string; turns: { id: string; status: string }[] } };
    expect(resumed.thread.id).toBe(thread.id);
    expect(resumed.thread.turns.length).toBe(2);
    expect(resumed.thread.turns[0]?.status).toBe('completed');
    // The slow turn went on while we were away; wait for it and read what it said, in full.
    const until = Date.now() + 60_000;
    let read: { thread: { turns: { status: string; items: { type: string; text?: string }[] }[] } } | undefined;
    while (Date.now() < until) {
      read = (await again.request('thread/read', { threadId: thread.id, includeTurns: true })) as typeof read;
      if (read?.thread.turns[1]?.status === 'completed') break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const slow = read!.thread.turns[1]!;
    expect(slow.status).toBe('completed');
    const text = slow.items.filter((i) => i.type === 'agentMessage').map((i) => i.text).join('');
    expect(text).toBe(Array.from({ length: 40 }, (_, i) => `slow-${i + 1} `).join(''));
    again.close();
  }, 240_000);
});
