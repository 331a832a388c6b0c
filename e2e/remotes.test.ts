/**
 * One host controls another (docs/remotes.md), with real processes on loopback: a relay, two
 * `codex-host serve` processes (each its own data dir, CODEX_HOME and fake model) and the real
 * Codex TUI. Host B shows a link, host A adds it; a client of A selects B's environment and
 * runs a turn with an approval there (B's audit log names A); the TUI drives B through
 * `remotes connect --listen`; B adds A at the same time (both directions work at once); B
 * revokes A and A shows "Removed by Host B".
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { findCodexBinary } from '../host/engine/findCodexBinary.js';
import { createCodexHome, type CodexHomeFixture } from './fixtures/codexHome.js';
import { startFakeResponses, type FakeResponsesServer } from './fixtures/fakeResponses.js';
import { CLI, runCliAsync, startHostProcess, type HostProcess } from './fixtures/hostProcess.js';
import { startRelayProcess, type RelayProcess } from './fixtures/relayProcess.js';
import { TmuxSession } from './fixtures/tmux.js';
import { openWsDriver, type WireMessage, type WsDriver } from './fixtures/wsDriver.js';

const TURN_MS = 45_000;

interface Side {
  readonly name: string;
  fake: FakeResponsesServer;
  home: CodexHomeFixture;
  dataDir: string;
  host: HostProcess;
}

interface RemoteRow {
  id: string;
  name: string;
  state: string;
  label: string;
  environmentId: string;
  lastSeen: string | null;
  details: { hostName: string; platform: string; arch?: string; codexVersion?: string; fingerprint: string };
}

let relay: RelayProcess;
let a: Side;
let b: Side;
const drivers: WsDriver[] = [];
const children: ChildProcess[] = [];
const sessions: TmuxSession[] = [];
const codex = findCodexBinary({ env: process.env }).path;

async function startSide(name: string, label: string): Promise<Side> {
  const fake = await startFakeResponses();
  const home = await createCodexHome({ modelBaseUrl: fake.baseUrl, label });
  const dataDir = await mkdtemp(join(home.root, 'data-'));
  const host = await startHostProcess({ dataDir, env: home.env, cwd: home.workdir, args: ['--relay', relay.url, '--name', name, '--listen', 'ws://127.0.0.1:0'] });
  return { name, fake, home, dataDir, host };
}

/** Runs `codex-host remotes add -` on `side`, with the link on stdin (it never shows in the process list). */
function addRemote(side: Side, link: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, 'remotes', 'add', '-', '--data-dir', side.dataDir], { env: side.home.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(`${link}\n`);
  });
}

async function pairLink(side: Side): Promise<string> {
  const r = await runCliAsync(['pair', '--json', '--data-dir', side.dataDir], side.home.env);
  expect(r.stderr).toBe('');
  return (JSON.parse(r.stdout) as { link: string }).link;
}

async function remotes(side: Side): Promise<{ remotes: RemoteRow[]; deviceId?: string }> {
  const r = await runCliAsync(['remotes', '--json', '--data-dir', side.dataDir], side.home.env);
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout) as { remotes: RemoteRow[]; deviceId?: string };
}

async function remoteOf(side: Side, hostId: string): Promise<RemoteRow | undefined> {
  return (await remotes(side)).remotes.find((r) => r.id === hostId);
}

async function devices(side: Side): Promise<{ deviceId: string; name: string; kind: string; revokedAt: string | null; connected: number }[]> {
  const r = await runCliAsync(['devices', '--json', '--data-dir', side.dataDir], side.home.env);
  return (JSON.parse(r.stdout) as { devices: { deviceId: string; name: string; kind: string; revokedAt: string | null; connected: number }[] }).devices;
}

function auditLines(side: Side): { client: { kind: string; id: string; name: string }; environmentId: string; decision: string; summary?: string; outcome: string }[] {
  const file = join(side.dataDir, 'audit.jsonl');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { client: { kind: string; id: string; name: string }; environmentId: string; decision: string; summary?: string; outcome: string });
}

const paramsOf = (m: WireMessage) => (m.params && typeof m.params === 'object' ? (m.params as Record<string, unknown>) : {});

/** A client of `via` (its remote-TUI listener) working in environment `environmentId`. */
async function clientIn(via: Side, environmentId: string, name: string): Promise<WsDriver> {
  const d = await openWsDriver(via.host.listenUrl!);
  drivers.push(d);
  await d.request('host/environment/select', { environmentId });
  await d.initialize(name);
  return d;
}

/** Runs one turn on `cwd`; answers every command approval with `accept`. Resolves with the turn's status. */
async function runTurn(d: WsDriver, cwd: string, text: string): Promise<{ status: string; approvals: WireMessage[] }> {
  const { thread } = (await d.request('thread/start', { cwd })) as { thread: { id: string } };
  const since = d.messages.length;
  await d.request('turn/start', { threadId: thread.id, input: [{ type: 'text', text, text_elements: [] }] });
  const approvals: WireMessage[] = [];
  const deadline = Date.now() + TURN_MS;
  for (;;) {
    const m = await d.waitFor(
      (x) => (x.method === 'item/commandExecution/requestApproval' && !approvals.includes(x)) || (x.method === 'turn/completed' && paramsOf(x).threadId === thread.id),
      Math.max(1, deadline - Date.now()),
      { since },
    );
    if (m.method === 'turn/completed') return { status: (paramsOf(m).turn as { status: string }).status, approvals };
    approvals.push(m);
    d.respond(m.id!, { decision: 'accept' });
  }
}

async function poll<T>(what: string, read: () => Promise<T>, ok: (v: T) => boolean, ms = 45_000): Promise<T> {
  const deadline = Date.now() + ms;
  let last: T = await read();
  while (!ok(last)) {
    if (Date.now() > deadline) throw new Error(`${what}: not reached within ${ms} ms; last: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 250));
    last = await read();
  }
  return last;
}

beforeAll(async () => {
  relay = await startRelayProcess();
  a = await startSide('Host A', 'remotes-a');
  b = await startSide('Host B', 'remotes-b');
}, 120_000);

afterEach(() => {
  for (const s of sessions.splice(0)) s.kill();
});

afterAll(async () => {
  for (const d of drivers) d.terminate();
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  for (const s of [a, b]) await s?.host.stop();
  await relay?.stop();
  for (const s of [a, b]) {
    await s?.fake.close();
    await s?.home.cleanup();
  }
});

describe('one host controls another through the relay', () => {
  it('refuses misuse with one line and exit 2, before asking the host anything', async () => {
    const bad = await runCliAsync(['remotes', 'connect', 'zz', '--data-dir', a.dataDir], a.home.env);
    expect([bad.code, bad.stderr]).toEqual([2, 'codex-host: remotes connect: "zz" is not a host id (4 to 32 hex characters; see `codex-host remotes`)\n']);
    const flags = await runCliAsync(['remotes', 'connect', 'abcd', '--ws-auth', 'capability-token', '--data-dir', a.dataDir], a.home.env);
    expect([flags.code, flags.stderr]).toEqual([2, 'codex-host: websocket auth flags require --listen ws://IP:PORT\n']);
    const empty = await addRemote(a, '');
    expect([empty.code, empty.stderr]).toEqual([2, 'codex-host: remotes add: no pairing link given (paste the link `codex-host pair` shows on the other host)\n']);
    const own = await addRemote(a, await pairLink(a));
    expect([own.code, own.stderr]).toEqual([1, 'codex-host: remotes add: host/remotes/add: this is this host\u2019s own pairing link; paste it on the other host\n']);
    const unknown = await runCliAsync(['remotes', 'rename', 'abcd', 'x', '--data-dir', a.dataDir], a.home.env);
    expect([unknown.code, unknown.stderr]).toEqual([1, 'codex-host: remotes rename: no controlled host with an id starting with abcd (see `codex-host remotes`)\n']);
  }, 60_000);

  it('adds B from its pairing link; B lists A among its devices (kind host, named Host A)', async () => {
    const before = await remotes(a);
    expect(before.remotes).toEqual([]);
    const added = await addRemote(a, await pairLink(b));
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    expect(added.stdout).toContain(`Added Host B (${b.host.hostId})`);

    const row = await poll('A sees B connected', () => remoteOf(a, b.host.hostId!), (r) => r?.state === 'connected');
    expect(row).toMatchObject({ name: 'Host B', label: 'Connected', environmentId: `remote:${b.host.hostId}` });
    expect(row!.details).toMatchObject({ hostName: 'Host B', platform: process.platform, arch: process.arch });
    expect(row!.details.codexVersion).toMatch(/^\d+\.\d+\.\d+/);
    expect(row!.details.fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    expect(row!.lastSeen).not.toBeNull();

    const aDevice = (await remotes(a)).deviceId;
    expect(aDevice).toMatch(/^[0-9a-f]{32}$/);
    const onB = (await devices(b)).find((d) => d.deviceId === aDevice);
    expect(onB).toMatchObject({ name: 'Host A', kind: 'host', revokedAt: null });
    // A's status session to B, and the busy monitor of B's environment on A.
    expect(onB!.connected).toBeGreaterThanOrEqual(1);

    const text = await runCliAsync(['remotes', '--data-dir', a.dataDir], a.home.env);
    expect(text.stdout).toMatch(new RegExp(`${b.host.hostId}  Host B  Connected  last seen \\d{4}-`));
  }, 90_000);

  it('a client of A selects B\u2019s environment and runs a turn with an approval on B; B\u2019s audit log names A', async () => {
    const d = await clientIn(a, `remote:${b.host.hostId}`, 'a-client');
    const envs = (await d.request('host/environments/list')) as { environments: { id: string; kind: string; name: string; state: string }[] };
    expect(envs.environments).toContainEqual(expect.objectContaining({ id: `remote:${b.host.hostId}`, kind: 'remote', name: 'Host B', state: 'running' }));
    const aRequestsBefore = a.fake.responsesRequests().length;
    const turn = await runTurn(d, b.home.workdir, 'please RUN touch from-host-a.txt && echo shell-ran-ok');
    expect(turn.status).toBe('completed');
    expect(turn.approvals).toHaveLength(1);
    // It ran on B: B's engine asked B's model, wrote in B's workdir; A's model saw nothing.
    expect(existsSync(join(b.home.workdir, 'from-host-a.txt'))).toBe(true);
    expect(b.fake.responsesRequests().some((r) => r.lastUserText.includes('from-host-a.txt'))).toBe(true);
    expect(a.fake.responsesRequests().length).toBe(aRequestsBefore);

    const aDevice = (await remotes(a)).deviceId!;
    const onB = auditLines(b).find((l) => l.summary?.includes('from-host-a.txt'));
    expect(onB).toMatchObject({ client: { kind: 'host', id: aDevice, name: 'Host A' }, environmentId: 'local', decision: 'accept', outcome: 'applied' });
    const onA = auditLines(a).find((l) => l.summary?.includes('from-host-a.txt'));
    expect(onA).toMatchObject({ client: { kind: 'tui', name: 'a-client' }, environmentId: `remote:${b.host.hostId}`, decision: 'accept' });
    await d.close();
  }, 90_000);

  it('the real Codex TUI on `remotes connect --listen` runs a prompt with an approval on B', async () => {
    const child = spawn(process.execPath, [CLI, 'remotes', 'connect', b.host.hostId!.slice(0, 8), '--listen', 'ws://127.0.0.1:0', '--data-dir', a.dataDir], {
      env: a.home.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let out = '';
    let err = '';
    child.stdout!.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.stderr!.on('data', (c: Buffer) => (err += c.toString('utf8')));
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    const url = await poll('the endpoint banner', async () => /listening on: (ws:\/\/\S+)/.exec(out)?.[1], (u) => u !== undefined, 20_000);
    expect(out).toContain(`Point the Codex TUI at it: codex --remote ${url}`);
    const ready = await fetch(`${url!.replace('ws://', 'http://')}/readyz`);
    expect(ready.status).toBe(200);

    const tuiHome = join(a.home.root, 'tui-home');
    await mkdir(tuiHome, { recursive: true });
    await writeFile(join(tuiHome, 'config.toml'), 'check_for_update_on_startup = false\n');
    const s = TmuxSession.start(`remotes-tui-${process.pid}`, [codex, '--remote', url!], { cwd: b.home.workdir, env: { CODEX_HOME: tuiHome } });
    sessions.push(s);
    await s.waitFor(/Ask Codex to do anything/, 45_000);
    s.type('please RUN touch from-tui-on-a.txt && echo shell-ran-ok');
    let asking = '';
    for (let attempt = 0; attempt < 3 && !asking; attempt++) {
      await new Promise((r) => setTimeout(r, 1000));
      s.press('Enter');
      asking = await s.waitFor(/Would you like to run the following command\?/, attempt === 2 ? 45_000 : 15_000).catch(() => '');
    }
    expect(asking).toContain('$ touch from-tui-on-a.txt && echo shell-ran-ok');
    s.press('y');
    const screen = await s.waitFor(/✔ You approved codex to run touch from-tui-on-a\.txt[\s\S]*Worked for/, 45_000);
    expect(screen).toContain('shell-ran-ok');
    expect(existsSync(join(b.home.workdir, 'from-tui-on-a.txt'))).toBe(true);
    expect(b.fake.responsesRequests().some((r) => r.lastUserText.includes('from-tui-on-a.txt'))).toBe(true);
    expect(auditLines(b).find((l) => l.summary?.includes('from-tui-on-a.txt'))).toMatchObject({ client: { kind: 'host', name: 'Host A' }, outcome: 'applied' });
    s.kill();

    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(err).toContain('Stopped the endpoint.');
    // The endpoint ended with the command.
    await expect(fetch(`${url!.replace('ws://', 'http://')}/readyz`)).rejects.toThrow();
  }, 180_000);

  it('the endpoint takes the listener\u2019s auth options: the TUI with the token drives B, a wrong token is refused, and every TUI is its own session on B', async () => {
    const token = randomBytes(32).toString('base64url');
    const tokenFile = join(a.home.root, 'endpoint-token');
    await writeFile(tokenFile, `${token}\n`, { mode: 0o600 });
    const aDevice = (await remotes(a)).deviceId!;
    const sessionsOnB = async () => (await devices(b)).find((d) => d.deviceId === aDevice)?.connected ?? 0;
    const before = await sessionsOnB();
    const child = spawn(process.execPath, [CLI, 'remotes', 'connect', b.host.hostId!, '--listen', 'ws://127.0.0.1:0', '--ws-auth', 'capability-token', '--ws-token-file', tokenFile, '--data-dir', a.dataDir], {
      env: a.home.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let out = '';
    child.stdout!.on('data', (c: Buffer) => (out += c.toString('utf8')));
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    const url = await poll('the endpoint banner', async () => /listening on: (ws:\/\/\S+)/.exec(out)?.[1], (u) => u !== undefined, 20_000);
    expect(out).toContain('auth: capability token');
    expect(out).not.toContain(token);

    // Without the token the upgrade is refused before any session to B exists.
    await expect(openWsDriver(url!)).rejects.toThrow(/401/);
    // A second client with the token, alongside the TUI: each is its own session on B.
    const other = await openWsDriver(url!, { headers: { Authorization: `Bearer ${token}` } });
    drivers.push(other);
    await other.initialize('second-client');

    const tuiHome = join(a.home.root, 'tui-home-token');
    await mkdir(tuiHome, { recursive: true });
    await writeFile(join(tuiHome, 'config.toml'), 'check_for_update_on_startup = false\n');
    const s = TmuxSession.start(`remotes-tui-token-${process.pid}`, [codex, '--remote', url!, '--remote-auth-token-env', 'CODEX_HOST_TEST_TOKEN'], {
      cwd: b.home.workdir,
      env: { CODEX_HOME: tuiHome, CODEX_HOST_TEST_TOKEN: token },
    });
    sessions.push(s);
    await s.waitFor(/Ask Codex to do anything/, 45_000);
    await poll('two more sessions of A on B', sessionsOnB, (n) => n >= before + 2, 30_000);
    s.type('please RUN touch tui-token-on-b.txt && echo shell-ran-ok');
    let asking = '';
    for (let attempt = 0; attempt < 3 && !asking; attempt++) {
      await new Promise((r) => setTimeout(r, 1000));
      s.press('Enter');
      asking = await s.waitFor(/Would you like to run the following command\?/, attempt === 2 ? 45_000 : 15_000).catch(() => '');
    }
    expect(asking).toContain('$ touch tui-token-on-b.txt && echo shell-ran-ok');
    s.press('y');
    const screen = await s.waitFor(/✔ You approved codex to run touch tui-token-on-b\.txt[\s\S]*Worked for/, 45_000);
    expect(screen).toContain('shell-ran-ok');
    expect(existsSync(join(b.home.workdir, 'tui-token-on-b.txt'))).toBe(true);
    s.kill();
    other.terminate();
    await poll('the sessions end with their clients', sessionsOnB, (n) => n <= before, 30_000);

    child.kill('SIGINT');
    expect(await exited).toBe(0);
  }, 180_000);

  it('B controls A at the same time: both directions work at once', async () => {
    const added = await addRemote(b, await pairLink(a));
    expect(added.code).toBe(0);
    await poll('B sees A connected', () => remoteOf(b, a.host.hostId!), (r) => r?.state === 'connected');
    expect((await remoteOf(a, b.host.hostId!))?.state).toBe('connected');
    const [onB, onA] = await Promise.all([clientIn(a, `remote:${b.host.hostId}`, 'a-to-b'), clientIn(b, `remote:${a.host.hostId}`, 'b-to-a')]);
    const [x, y] = await Promise.all([
      runTurn(onB, b.home.workdir, 'please RUN touch both-ways-a-to-b.txt && echo shell-ran-ok'),
      runTurn(onA, a.home.workdir, 'please RUN touch both-ways-b-to-a.txt && echo shell-ran-ok'),
    ]);
    expect([x.status, y.status]).toEqual(['completed', 'completed']);
    expect(existsSync(join(b.home.workdir, 'both-ways-a-to-b.txt'))).toBe(true);
    expect(existsSync(join(a.home.workdir, 'both-ways-b-to-a.txt'))).toBe(true);
    const bDevice = (await remotes(b)).deviceId!;
    expect(auditLines(a).find((l) => l.summary?.includes('both-ways-b-to-a.txt'))).toMatchObject({ client: { kind: 'host', id: bDevice, name: 'Host B' }, environmentId: 'local' });
    await Promise.all([onB.close(), onA.close()]);
  }, 120_000);

  it('B restarts: A shows it Offline, then Connected again by itself; B reconnects to A from its saved toggle', async () => {
    await b.host.stop();
    const offline = await poll('A sees B offline', () => remoteOf(a, b.host.hostId!), (r) => r?.state === 'offline', 30_000);
    expect(offline!.label).toBe('Offline');
    b.host = await startHostProcess({ dataDir: b.dataDir, env: b.home.env, cwd: b.home.workdir, args: ['--relay', relay.url, '--name', 'Host B', '--listen', 'ws://127.0.0.1:0'] });
    await poll('A sees B connected again', () => remoteOf(a, b.host.hostId!), (r) => r?.state === 'connected', 60_000);
    await poll('B is connected to A again', () => remoteOf(b, a.host.hostId!), (r) => r?.state === 'connected', 30_000);
  }, 150_000);

  it('B revokes A: A shows "Removed by Host B", its environment of B is gone, and B still controls A', async () => {
    const aDevice = (await remotes(a)).deviceId!;
    const d = await clientIn(a, `remote:${b.host.hostId}`, 'about-to-be-revoked');
    await d.request('thread/list', { limit: 1 });
    const r = await runCliAsync(['devices', 'revoke', aDevice, '--data-dir', b.dataDir], b.home.env);
    expect(r.stdout).toMatch(new RegExp(`Revoked ${aDevice}; ended \\d+ live session`));
    const row = await poll('A sees the removal', () => remoteOf(a, b.host.hostId!), (x) => x?.state === 'removed', 15_000);
    expect(row!.label).toBe('Removed by Host B');
    // A client of A that worked on B is told, and the environment is gone.
    expect(await d.closed).toEqual({ code: 1001, reason: `environment "remote:${b.host.hostId}" was removed from this host` });
    const probe = await openWsDriver(a.host.listenUrl!);
    drivers.push(probe);
    const envs = (await probe.request('host/environments/list')) as { environments: { id: string }[] };
    expect(envs.environments.map((e) => e.id)).not.toContain(`remote:${b.host.hostId}`);
    expect(envs.environments.map((e) => e.id)).toContain('local');
    // The state is kept: still removed after asking again, and B→A is unaffected.
    expect((await remoteOf(a, b.host.hostId!))?.label).toBe('Removed by Host B');
    expect((await remoteOf(b, a.host.hostId!))?.state).toBe('connected');

    // Remove works with nothing to contact.
    const removed = await runCliAsync(['remotes', 'remove', b.host.hostId!, '--data-dir', a.dataDir], a.home.env);
    expect(removed.stdout).toContain(`Removed ${b.host.hostId}.`);
    expect((await remotes(a)).remotes).toEqual([]);
  }, 60_000);
});
