/**
 * SSH hosts as environments of the real host (docs/ssh.md, "Environments", "CLI"): a real sshd
 * on loopback, the real `codex-host serve` with a relay process, the real `codex app-server`
 * locally and as the remote users (fake model API). From the CLI: `ssh add` / `ssh list` /
 * `ssh enable` (unknown key → fingerprint → `ssh trust --yes` → connected); a listener client
 * and a paired phone (through the relay) select `ssh:box` and run turns with approvals on the
 * remote engine, as the remote user, audited with the environment; the password prompt
 * answered over the host API and at a terminal; the folder picker and remote projects; sshd
 * killed mid-turn; `ssh disable` and the host's own exit stop the remote engines. Needs root
 * (it creates the login users).
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pair, resume, type ControllerSession, type TrustedHost } from '../shared/controller/index.js';
import { HostClient } from '../shared/protocol/hostClient.js';
import type { SshHostInfo, SshPrompt } from '../shared/protocol/features/sshApi.js';
import type { EnvironmentInfo } from '../shared/protocol/hostMethods.js';
import type { RpcConnection } from '../shared/rpc/connection.js';
import { connectControl } from '../host/control/controlClient.js';
import { findCodexBinary } from '../host/engine/findCodexBinary.js';
import { createCodexHome, TEST_OUTPUT_DIR, type CodexHomeFixture } from './fixtures/codexHome.js';
import { testPhone } from './fixtures/controller.js';
import { ENGINE_VERSION } from './fixtures/engineVersion.js';
import { startFakeResponses, type FakeResponsesServer } from './fixtures/fakeResponses.js';
import { CLI, runCliAsync, startHostProcess, type HostProcess } from './fixtures/hostProcess.js';
import { startRelayProcess, type RelayProcess } from './fixtures/relayProcess.js';
import { createTestUser, giveTo, hostKeyFingerprint, isRoot, removeTestUser, startSshd, type SshdFixture, type TestUser } from './fixtures/sshd.js';
import { openWsDriver, type WireMessage, type WsDriver } from './fixtures/wsDriver.js';

if (!isRoot) console.warn('[sshEnvironments.test] skipped: needs root to create login users for the test sshd (run npm test as root, as CI does)');

const suffix = process.pid.toString(36).slice(-4);
const USER = `cxh-e${suffix}`;
const PW_USER = `cxh-w${suffix}`;
const PASSWORD = 'tr0ub4dor & 3 for the hub';
const TURN_MS = 90_000;

const paramsOf = (m: WireMessage) => (m.params && typeof m.params === 'object' ? (m.params as Record<string, unknown>) : {});

/** Live `codex app-server` processes (the engine and its proxies) running as `uid`. */
function appServersOf(uid: number): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const status = readFileSync(`/proc/${name}/status`, 'utf8');
      if (Number(/^Uid:\s+(\d+)/m.exec(status)?.[1]) !== uid || /^State:\s+Z/m.test(status)) continue;
      if (readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').includes('app-server')) pids.push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  let last: unknown;
  while (Date.now() < end) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} did not happen within ${ms} ms${last ? ` (last error: ${String(last)})` : ''}`);
}

describe.skipIf(!isRoot)('SSH hosts as environments of the real host', () => {
  let sshd: SshdFixture;
  let fake: FakeResponsesServer;
  let relay: RelayProcess;
  let host: HostProcess;
  let dir: string;
  let dataDir: string;
  let env: NodeJS.ProcessEnv;
  let local: CodexHomeFixture;
  let remoteHome: CodexHomeFixture;
  let pwHome: CodexHomeFixture;
  let user: TestUser;
  let pwUser: TestUser;
  let admin: HostClient;
  let fingerprint: string;
  let trusted: TrustedHost;
  const drivers: WsDriver[] = [];
  const sessions: ControllerSession[] = [];
  const phone = testPhone('SSH Phone');

  const cli = (...args: string[]) => runCliAsync([...args, '--data-dir', dataDir], env);
  /** Runs the CLI on a pseudo-terminal (`script`), as a person at a terminal does; types `typed` once `question` shows. */
  const inTerminal = async (args: string[], question: string, typed: string) => {
    const child = spawn('script', ['-qec', `${process.execPath} ${CLI} ${args.join(' ')} --data-dir ${dataDir}`, '/dev/null'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (out += c.toString('utf8')));
    const exited = new Promise<number | null>((r) => child.once('exit', r));
    await until(`"${question}" at the terminal`, () => (out.includes(question) ? true : undefined), 60_000);
    child.stdin.write(typed);
    const code = await Promise.race([exited, new Promise<'hung'>((r) => setTimeout(() => r('hung'), 120_000))]);
    child.stdin.end();
    return { code, out };
  };
  const startHost = async () => {
    host = await startHostProcess({ dataDir, env, cwd: local.workdir, args: ['--relay', relay.url, '--listen', 'ws://127.0.0.1:0', '--name', 'SSH Test Host'] });
    admin = new HostClient(await connectControl(dataDir));
  };
  const environments = async (): Promise<EnvironmentInfo[]> => (await admin.call('host/environments/list')).environments;
  const sshHost = async (name: string): Promise<SshHostInfo | undefined> => (await admin.call('host/ssh/list')).hosts.find((h) => h.name === name);
  const connect = async () => {
    const d = await openWsDriver(host.listenUrl!);
    drivers.push(d);
    return d;
  };
  const auditLines = async () =>
    (await readFile(join(dataDir, 'audit.jsonl'), 'utf8'))
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { client: { kind: string }; environmentId: string; threadId: string; decision: string; outcome: string; summary: string });

  beforeAll(async () => {
    await mkdir(TEST_OUTPUT_DIR, { recursive: true });
    dir = await mkdtemp(join(TEST_OUTPUT_DIR, 'ssh-envs-'));
    await chmod(dir, 0o755);
    sshd = await startSshd({ label: 'sshd-envs', passwordAuthentication: true });
    fake = await startFakeResponses({ slowDeltaMs: 150, slowDeltaCount: 40 });
    relay = await startRelayProcess();
    const codex = findCodexBinary({ env: process.env }).path;
    remoteHome = await createCodexHome({ modelBaseUrl: fake.baseUrl, label: 'ssh-envs-remote' });
    user = await createTestUser({ name: USER, shell: 'bash', codexBin: codex, codexHome: remoteHome.codexHome, noise: 'Welcome to the remote box' });
    await giveTo(remoteHome.root, user);
    pwHome = await createCodexHome({ modelBaseUrl: fake.baseUrl, label: 'ssh-envs-pw' });
    pwUser = await createTestUser({ name: PW_USER, shell: 'sh', codexBin: codex, codexHome: pwHome.codexHome, password: PASSWORD });
    await giveTo(pwHome.root, pwUser);
    for (const d of ['projects/alpha', 'projects/Beta', 'projects/.hidden']) await mkdir(join(user.home, d), { recursive: true });
    await writeFile(join(user.home, 'projects', 'notes.txt'), 'not a folder\n');
    await giveTo(join(user.home, 'projects'), user);

    local = await createCodexHome({ modelBaseUrl: fake.baseUrl, label: 'ssh-envs-local' });
    // The host's own HOME: an empty ~/.ssh (no config, no known_hosts, no keys), no agent.
    const home = join(dir, 'home');
    await mkdir(join(home, '.ssh'), { recursive: true, mode: 0o700 });
    env = { ...local.env, HOME: home };
    delete env.SSH_AUTH_SOCK;
    dataDir = await mkdtemp(join(dir, 'data-'));
    await startHost();
  }, 240_000);

  afterAll(async () => {
    for (const d of drivers) d.terminate();
    for (const s of sessions) s.close();
    admin?.close();
    await host?.stop();
    for (const u of [USER, PW_USER]) await removeTestUser(u);
    await relay?.stop();
    await fake?.close();
    await sshd?.stop();
    for (const h of [local, remoteHome, pwHome]) await h?.cleanup();
    if (dir) await rm(dir, { recursive: true, force: true });
  }, 120_000);

  it('adds a host from the CLI; enable stops at the unknown host key with its fingerprint; ssh trust --yes connects it', async () => {
    fingerprint = await hostKeyFingerprint(sshd);
    expect(JSON.parse((await cli('ssh', 'list', '--json')).stdout)).toMatchObject({ hosts: [], problems: [], prompts: [] });
    const added = await cli('ssh', 'add', 'box', `${USER}@127.0.0.1:${sshd.port}`, '--identity', sshd.clientKey);
    expect(added).toMatchObject({ code: 0, stderr: '' });
    expect(added.stdout).toBe(`Added box (${USER}@127.0.0.1:${sshd.port}, key ${sshd.clientKey}).\nConnect it with \`codex-host ssh enable box\`.\n`);
    expect((await cli('ssh', 'list')).stdout).toMatch(new RegExp(`^  box  added  disabled  disabled  ${USER}@127\\.0\\.0\\.1:${sshd.port}$`, 'm'));

    const enabled = await cli('ssh', 'enable', 'box');
    expect(enabled.code).toBe(1);
    expect(enabled.stderr).toBe(
      `codex-host: ssh enable: box: Host key unknown — fingerprint ${fingerprint} (ssh-ed25519); check it with the host's owner, then trust it: run \`codex-host ssh trust box\` to trust it\n`,
    );
    expect(enabled.stdout).toContain('box: connecting…\n  resolving its settings…\n  connecting…\n');
    const failed = (await environments()).find((e) => e.id === 'ssh:box');
    expect(failed).toMatchObject({ kind: 'ssh', name: 'box', state: 'failed', lastError: expect.stringMatching(/^Host key unknown — fingerprint SHA256:/) });

    const noTty = await cli('ssh', 'trust', 'box');
    expect(noTty.code).toBe(1);
    expect(noTty.stderr).toBe(`codex-host: ssh trust: standard input is not a terminal, so it cannot ask; run \`codex-host ssh trust box --yes\` to trust ${fingerprint}\n`);
    expect(noTty.stdout).toContain(`box presented this host key:\n  ${fingerprint} (ssh-ed25519)\n`);

    const declined = await inTerminal(['ssh', 'trust', 'box'], 'Trust this key? [y/N]', 'n\r');
    expect(declined.code).toBe(1);
    expect(declined.out).toContain('codex-host: ssh trust: not trusted; nothing changed');
    expect(await sshHost('box')).toMatchObject({ state: 'error', lastError: { code: 'host-key-unknown', fingerprint } });

    const trustedNow = await cli('ssh', 'trust', 'box', '--yes');
    expect(trustedNow.stderr).toBe('');
    expect(trustedNow.code).toBe(0);
    expect(trustedNow.stdout).toContain(`box: trusting ${fingerprint} and connecting…\n`);
    expect(trustedNow.stdout).toContain('  checking codex…\n  starting the remote engine…\n');
    expect(trustedNow.stdout).toContain(`box: connected — codex ${ENGINE_VERSION} as ${USER} on ${USER}@127.0.0.1:${sshd.port} (environment ssh:box)\n`);
    expect((await environments()).find((e) => e.id === 'ssh:box')).toEqual({ id: 'ssh:box', kind: 'ssh', name: 'box', state: 'running', version: ENGINE_VERSION, restarts: 0, busy: false });
    const listed = await sshHost('box');
    expect(listed).toMatchObject({ enabled: true, environmentId: 'ssh:box', state: 'connected', phase: 'ready', details: { hostName: '127.0.0.1', port: sshd.port, user: USER, identityFiles: [sshd.clientKey], remote: { codexVersion: ENGINE_VERSION, user: USER, shell: '/bin/bash' } } });
    expect(listed?.lastError).toBeUndefined();
  }, 180_000);

  it('runs a turn with an approval on the remote engine for a client that selected ssh:box; the command runs as the remote user and the audit line names the environment', async () => {
    const d = await connect();
    const selected = (await d.request('host/environment/select', { environmentId: 'ssh:box' })) as { environment: EnvironmentInfo };
    expect(selected.environment).toMatchObject({ id: 'ssh:box', kind: 'ssh', state: 'running' });
    const init = (await d.initialize('ssh-env-client')) as { codexHome: string };
    expect(init.codexHome).toBe(remoteHome.codexHome);
    const { thread } = (await d.request('thread/start', { cwd: remoteHome.workdir })) as { thread: { id: string } };
    await d.request('turn/start', { threadId: thread.id, input: [{ type: 'text', text: 'RUN touch made-through-hub.txt && id -un', text_elements: [] }] });
    const approval = await d.waitFor((m) => m.method === 'item/commandExecution/requestApproval', TURN_MS);
    d.respond(approval.id!, { decision: 'accept' });
    const done = await d.waitFor((m) => m.method === 'turn/completed' && paramsOf(m).threadId === thread.id, TURN_MS);
    expect((paramsOf(done).turn as { status: string }).status).toBe('completed');
    expect((await stat(join(remoteHome.workdir, 'made-through-hub.txt'))).uid).toBe(user.uid);
    expect(fake.responsesRequests().some((r) => r.scenario === 'followUp' && r.toolOutputs.join('').includes(USER))).toBe(true);
    const line = (await auditLines()).find((l) => l.threadId === thread.id);
    expect(line).toMatchObject({ client: { kind: 'tui' }, environmentId: 'ssh:box', decision: 'accept', outcome: 'applied', summary: expect.stringContaining('made-through-hub.txt') });
    await d.close();
  }, 180_000);

  it('does the same from a phone paired through the relay (phone → relay → host → SSH)', async () => {
    const r = await cli('pair', '--json');
    const paired = await pair((JSON.parse(r.stdout) as { link: string }).link, phone.deps, { reconnect: false });
    trusted = paired.trustedHost;
    paired.session.close();
    const s = await resume(trusted, phone.deps, { reconnect: false });
    sessions.push(s);
    const rpc: RpcConnection = s.rpc;
    const envs = (await rpc.request('host/environments/list')) as { environments: EnvironmentInfo[] };
    // A phone sees the SSH environment beside local, and picks it like any client.
    expect(envs.environments.map((e) => e.id)).toEqual(['local', 'ssh:box']);
    await rpc.request('host/environment/select', { environmentId: 'ssh:box' });
    const approvals: unknown[] = [];
    rpc.onRequest('item/commandExecution/requestApproval', (params) => {
      approvals.push(params);
      return { decision: 'accept' };
    });
    const completed = new Promise<{ threadId: string; turn: { status: string } }>((resolve) => rpc.onNotification('turn/completed', (p) => resolve(p as { threadId: string; turn: { status: string } })));
    await rpc.request('initialize', { clientInfo: { name: 'ssh-phone', title: 'SSH Phone', version: '0' }, capabilities: null });
    rpc.notify('initialized');
    const { thread } = (await rpc.request('thread/start', { cwd: remoteHome.workdir })) as { thread: { id: string } };
    await rpc.request('turn/start', { threadId: thread.id, input: [{ type: 'text', text: 'RUN touch made-from-phone.txt && id -un', text_elements: [] }] });
    const done = await Promise.race([completed, new Promise<never>((_, rej) => setTimeout(() => rej(new Error('the phone turn did not complete')), TURN_MS))]);
    expect(done.turn.status).toBe('completed');
    expect(approvals).toHaveLength(1);
    expect((await stat(join(remoteHome.workdir, 'made-from-phone.txt'))).uid).toBe(user.uid);
    expect((await auditLines()).find((l) => l.threadId === thread.id)).toMatchObject({ client: { kind: 'phone' }, environmentId: 'ssh:box', outcome: 'applied' });
    const info = (await rpc.request('host/info')) as { clients: { kind: string; environmentId: string }[] };
    expect(info.clients).toEqual([expect.objectContaining({ kind: 'phone', environmentId: 'ssh:box' })]);
    s.close();
  }, 180_000);

  it('asks for a password: without a terminal the CLI says where to answer; answered over the host API, the host connects; the password is never written anywhere', async () => {
    expect((await cli('ssh', 'add', 'pw', `${PW_USER}@127.0.0.1:${sshd.port}`)).code).toBe(0);
    const prompts: SshPrompt[] = [];
    const closed: string[] = [];
    admin.on('host/ssh/prompt', (p) => prompts.push(p));
    admin.on('host/ssh/prompt/closed', (p) => closed.push(p.promptId));
    await admin.subscribe(['host/ssh/prompt', 'host/ssh/prompt/closed', 'host/ssh/changed']);

    const noTty = await cli('ssh', 'enable', 'pw');
    expect(noTty.code).toBe(1);
    expect(noTty.stderr).toMatch(
      new RegExp(
        `^codex-host: ssh enable: pw: Password for ${PW_USER}@pw: standard input is not a terminal, so it cannot be asked here; run this command in a terminal, or answer it in the desktop app \\(Settings > Connections > SSH\\) within \\d+ s\\n$`,
      ),
    );
    const waiting = (await admin.call('host/ssh/list')).prompts;
    expect(waiting).toEqual([{ promptId: expect.stringMatching(/^[0-9a-f]{16}$/), host: 'pw', kind: 'password', title: `Password for ${PW_USER}@pw`, instructions: '', prompts: [{ text: 'Password:', echo: false }], expiresAt: expect.any(String) }]);
    expect(prompts.map((p) => p.promptId)).toEqual([waiting[0]!.promptId]);
    expect(await sshHost('pw')).toMatchObject({ state: 'connecting', phase: 'authenticating' });

    await admin.call('host/ssh/prompt/answer', { promptId: waiting[0]!.promptId, answers: [PASSWORD] });
    expect(closed).toEqual([waiting[0]!.promptId]);
    const connected = await until('pw connected', async () => ((await sshHost('pw'))?.state === 'connected' ? await sshHost('pw') : undefined), 90_000);
    expect(connected.details.remote).toMatchObject({ user: PW_USER, shell: '/bin/sh' });
    expect((await environments()).find((e) => e.id === 'ssh:pw')).toMatchObject({ kind: 'ssh', state: 'running' });
    await expect(admin.call('host/ssh/prompt/answer', { promptId: waiting[0]!.promptId, answers: [PASSWORD] })).rejects.toMatchObject({
      code: -32600,
      data: { reason: 'that prompt is no longer waiting (it was answered, cancelled or timed out)' },
    });

    // Cancelled from the API: the connection ends in "Password required", without hanging.
    await admin.call('host/ssh/restart', { name: 'pw' }, { timeoutMs: 90_000 });
    const again = await until('a second prompt', () => prompts[1]);
    await admin.call('host/ssh/prompt/cancel', { promptId: again.promptId });
    const cancelled = await until('pw in error', async () => ((await sshHost('pw'))?.state === 'error' ? await sshHost('pw') : undefined));
    expect(cancelled.lastError).toMatchObject({ code: 'password-required', message: 'Password required — the prompt for pw was cancelled' });
    expect((await environments()).find((e) => e.id === 'ssh:pw')).toMatchObject({ state: 'failed', lastError: 'Password required — the prompt for pw was cancelled' });

    const files = readdirSync(dataDir).filter((f) => statSync(join(dataDir, f)).isFile());
    const secretSeen = [host.stdout(), host.stderr(), ...files.map((f) => readFileSync(join(dataDir, f), 'utf8'))].filter((t) => t.includes(PASSWORD));
    expect(secretSeen).toEqual([]);
  }, 240_000);

  it('asks for the password at a terminal, without echo, and connects', async () => {
    const { code, out } = await inTerminal(['ssh', 'enable', 'pw'], 'Password:', `${PASSWORD}\r`);
    expect(code).toBe(0);
    expect(out).toContain(`pw: Password for ${PW_USER}@pw`);
    expect(out).toMatch(/pw: connected — codex \S+ as cxh-/);
    expect(out).not.toContain(PASSWORD);
  }, 180_000);

  it('browses the folders of the remote and remembers one as a project', async () => {
    const home = await admin.call('host/ssh/browse', { host: 'box' });
    expect(home).toMatchObject({ host: 'box', path: user.home, parent: '/home', truncated: false });
    expect(home.entries).toContainEqual({ name: 'projects', path: `${user.home}/projects`, hidden: false });
    const folder = await admin.call('host/ssh/browse', { host: 'box', path: '~/projects' });
    expect(folder).toEqual({
      host: 'box',
      path: `${user.home}/projects`,
      parent: user.home,
      entries: [
        { name: 'alpha', path: `${user.home}/projects/alpha`, hidden: false },
        { name: 'Beta', path: `${user.home}/projects/Beta`, hidden: false },
        { name: '.hidden', path: `${user.home}/projects/.hidden`, hidden: true },
      ],
      truncated: false,
    });
    await expect(admin.call('host/ssh/browse', { host: 'box', path: `${user.home}/nope` })).rejects.toMatchObject({ code: -32600, data: { reason: `Can't open this folder: ${user.home}/nope: it does not exist` } });
    await expect(admin.call('host/ssh/browse', { host: 'box', path: '~/projects/notes.txt' })).rejects.toMatchObject({ data: { reason: "Can't open this folder: ~/projects/notes.txt: it is not a folder" } });
    await expect(admin.call('host/ssh/browse', { host: 'nowhere' })).rejects.toMatchObject({ code: -32602, data: { reason: 'there is no host nowhere' } });

    const changes: unknown[] = [];
    admin.on('host/ssh/projects/changed', (p) => changes.push(p));
    await admin.subscribe(['host/ssh/projects/changed']);
    const { project } = await admin.call('host/ssh/projects/add', { host: 'box', path: '~/projects/alpha' });
    expect(project).toEqual({ host: 'box', path: `${user.home}/projects/alpha`, name: 'alpha', addedAt: expect.any(String) });
    expect((await admin.call('host/ssh/projects/list', { host: 'box' })).projects).toEqual([project]);
    await until('projects/changed', () => (changes.length ? true : undefined));
    expect(JSON.parse(await readFile(join(dataDir, 'ssh-projects.json'), 'utf8'))).toEqual({ version: 1, projects: [project] });
    await expect(admin.call('host/ssh/projects/add', { host: 'box', path: '~/projects/notes.txt' })).rejects.toMatchObject({ data: { reason: "Can't open this folder: ~/projects/notes.txt: it is not a folder" } });
  }, 120_000);

  it('shows sshd killed mid-turn as restarting, reconnects, and the thread resumes with nothing lost', async () => {
    const d = await connect();
    await d.request('host/environment/select', { environmentId: 'ssh:box' });
    await d.initialize('ssh-slow-client');
    const { thread } = (await d.request('thread/start', { cwd: remoteHome.workdir })) as { thread: { id: string } };
    await d.request('turn/start', { threadId: thread.id, input: [{ type: 'text', text: 'SLOW', text_elements: [] }] });
    await d.waitFor((m) => m.method === 'item/agentMessage/delta' && paramsOf(m).threadId === thread.id, TURN_MS);
    await sshd.kill();
    const lost = await until('ssh:box restarting', async () => (await environments()).find((e) => e.id === 'ssh:box' && e.state === 'restarting'), 30_000);
    expect(lost.lastError).toMatch(/^Disconnected: /);
    expect((await d.closed).code).toBe(1012);
    expect(await sshHost('box')).toMatchObject({ state: expect.stringMatching(/^(disconnected|connecting)$/), disconnects: 1 });

    await sshd.start();
    const back = await until('ssh:box running again', async () => (await environments()).find((e) => e.id === 'ssh:box' && e.state === 'running'), 90_000);
    expect(back).toMatchObject({ restarts: 1, version: ENGINE_VERSION });
    const again = await connect();
    await again.request('host/environment/select', { environmentId: 'ssh:box' });
    await again.initialize('ssh-resumed-client');
    const resumed = (await again.request('thread/resume', { threadId: thread.id })) as { thread: { id: string } };
    expect(resumed.thread.id).toBe(thread.id);
    // The slow turn went on while the host was away: read it back, in full.
    const read = await until(
      'the slow turn completed',
      async () => {
        const r = (await again.request('thread/read', { threadId: thread.id, includeTurns: true })) as { thread: { turns: { status: string; items: { type: string; text?: string }[] }[] } };
        return r.thread.turns[0]?.status === 'completed' ? r : undefined;
      },
      90_000,
    );
    const text = read.thread.turns[0]!.items.filter((i) => i.type === 'agentMessage').map((i) => i.text).join('');
    expect(text).toBe(Array.from({ length: 40 }, (_, i) => `slow-${i + 1} `).join(''));
    await again.close();
  }, 240_000);

  it('ssh disable removes the environment (its clients are told) and stops the remote engine', async () => {
    // pw lost its connection with sshd too, and asks for its password again to reconnect.
    const prompt = await until('the password prompt of the reconnect', async () => (await admin.call('host/ssh/list')).prompts.find((p) => p.host === 'pw'), 90_000);
    await admin.call('host/ssh/prompt/answer', { promptId: prompt.promptId, answers: [PASSWORD] });
    await until('pw connected again', async () => ((await sshHost('pw'))?.state === 'connected' ? true : undefined), 90_000);
    expect(appServersOf(pwUser.uid).length).toBeGreaterThan(0);
    const r = await cli('ssh', 'disable', 'pw');
    expect(r).toMatchObject({ code: 0, stderr: '', stdout: 'pw: disabled; its remote engine was stopped and it no longer connects at start.\n' });
    expect((await environments()).map((e) => e.id)).toEqual(['local', 'ssh:box']);
    await until('no app-server of the password user', () => (appServersOf(pwUser.uid).length === 0 ? true : undefined), 15_000);

    // box: a client in the environment hears why it was closed.
    const inBox = await connect();
    await inBox.request('host/environment/select', { environmentId: 'ssh:box' });
    await inBox.initialize('closed-by-disable');
    expect(appServersOf(user.uid).length).toBeGreaterThan(0);
    expect((await cli('ssh', 'disable', 'box')).code).toBe(0);
    expect(await inBox.closed).toEqual({ code: 1001, reason: 'environment "ssh:box" was removed from this host' });
    await until('no app-server of the box user', () => (appServersOf(user.uid).length === 0 ? true : undefined), 15_000);
    expect((await environments()).map((e) => e.id)).toEqual(['local']);

    const removed = await cli('ssh', 'remove', 'pw');
    expect(removed.stdout).toBe('Removed pw, with its trusted host key and its remote projects.\n');
    expect((await admin.call('host/ssh/list')).hosts.map((h) => h.name)).toEqual(['box']);
    const notManual = await cli('ssh', 'remove', 'nowhere');
    expect(notManual).toMatchObject({ code: 1, stderr: `codex-host: ssh remove: there is no host nowhere in ${join(env.HOME!, '.ssh', 'config')} or among the hosts added by hand\n` });
  }, 180_000);

  it('stops the remote engine when the host quits, and reconnects the enabled host at the next start with its projects', async () => {
    const on = await cli('ssh', 'enable', 'box');
    expect(on.stderr).toBe('');
    expect(on.stdout).toContain('box: connected');
    await until('an app-server of the box user', () => (appServersOf(user.uid).length > 0 ? true : undefined));
    admin.close();
    expect(await host.stop()).toBe(0);
    await until('no app-server of the box user after the host quit', () => (appServersOf(user.uid).length === 0 ? true : undefined), 15_000);

    await startHost();
    const back = await until('ssh:box running after the restart', async () => (await environments()).find((e) => e.id === 'ssh:box' && e.state === 'running'), 90_000);
    expect(back).toMatchObject({ kind: 'ssh', name: 'box' });
    expect((await admin.call('host/ssh/projects/list')).projects).toEqual([expect.objectContaining({ host: 'box', path: `${user.home}/projects/alpha` })]);
  }, 240_000);
});

describe('serve flags of SSH hosts', () => {
  it('refuses --ssh-config together with --no-ssh, before starting anything', async () => {
    const r = await runCliAsync(['serve', '--no-remote', '--no-ssh', '--ssh-config', '/etc/ssh/ssh_config', '--data-dir', join(TEST_OUTPUT_DIR, 'never-used-ssh')]);
    expect(r).toMatchObject({ code: 2, stdout: '', stderr: 'codex-host: --ssh-config cannot be combined with --no-ssh\n' });
  });
});
