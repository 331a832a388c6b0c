/**
 * The real headless host (`codex-host serve`) over the real `codex app-server`, driven as
 * remote clients through its listener (docs/architecture.md): a streamed turn; two clients on one
 * thread with an approval (first answer wins, the other sees serverRequest/resolved, both
 * answers audited); an approval that survives its client's disconnect and is answered by
 * another client after thread/resume; interrupt; the engine killed → clients closed with a
 * reason and reconnecting; malformed, binary and oversized input; `codex-host status`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCodexHome, TEST_OUTPUT_DIR, type CodexHomeFixture } from './fixtures/codexHome.js';
import { enginePidsWithCodexHome, pidsWithCodexHome } from './fixtures/engineProcesses.js';
import { startFakeResponses, type FakeResponsesServer } from './fixtures/fakeResponses.js';
import { runCliAsync, startHostProcess, type HostProcess } from './fixtures/hostProcess.js';
import { openWsDriver, type WireMessage, type WsDriver } from './fixtures/wsDriver.js';
import { ENGINE_VERSION, ENGINE_VERSION_RE } from './fixtures/engineVersion.js';

const TURN_MS = 45_000;
let fake: FakeResponsesServer;
let home: CodexHomeFixture;
let host: HostProcess;
let dataDir: string;
const drivers: WsDriver[] = [];

const paramsOf = (m: WireMessage) => (m.params && typeof m.params === 'object' ? (m.params as Record<string, unknown>) : {});
const forThread = (threadId: string) => (m: WireMessage) => paramsOf(m).threadId === threadId;

async function client(name: string): Promise<WsDriver> {
  const d = await openWsDriver(host.listenUrl!);
  drivers.push(d);
  await d.initialize(name);
  return d;
}

async function startThread(d: WsDriver): Promise<string> {
  const r = (await d.request('thread/start', { cwd: home.workdir })) as { thread: { id: string } };
  return r.thread.id;
}

async function startTurn(d: WsDriver, threadId: string, text: string): Promise<string> {
  const r = (await d.request('turn/start', { threadId, input: [{ type: 'text', text, text_elements: [] }] })) as { turn: { id: string } };
  return r.turn.id;
}

const isApproval = (threadId: string) => (m: WireMessage) => m.method === 'item/commandExecution/requestApproval' && forThread(threadId)(m);
const turnCompleted = (threadId: string) => (m: WireMessage) => m.method === 'turn/completed' && forThread(threadId)(m);

beforeAll(async () => {
  fake = await startFakeResponses();
  home = await createCodexHome({ modelBaseUrl: fake.baseUrl, label: 'host-hub' });
  dataDir = await mkdtemp(join(TEST_OUTPUT_DIR, 'host-data-'));
  host = await startHostProcess({ dataDir, env: home.env, cwd: home.workdir, args: ['--listen', 'ws://127.0.0.1:0', '--no-remote'] });
});

afterAll(async () => {
  for (const d of drivers) d.terminate();
  await host?.stop();
  await fake?.close();
  await home?.cleanup();
  await rm(dataDir, { recursive: true, force: true });
});

describe('codex-host serve: the hub over the real engine', () => {
  it('prints what it started', () => {
    expect(host.stdout()).toMatch(/Codex Host \S+ is running on /);
    expect(host.stdout()).toMatch(new RegExp(`engine:\\s+codex ${ENGINE_VERSION_RE} `));
    expect(host.listenUrl).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/);
  });

  it('streams a turn to a client', async () => {
    const a = await client('stream-client');
    const threadId = await startThread(a);
    await startTurn(a, threadId, 'Please say hello.');
    const done = await a.waitFor(turnCompleted(threadId), TURN_MS);
    expect((paramsOf(done).turn as { status: string }).status).toBe('completed');
    const text = a.messages
      .filter((m) => m.method === 'item/agentMessage/delta' && forThread(threadId)(m))
      .map((m) => paramsOf(m).delta)
      .join('');
    expect(text).toBe('Hello from the fake model! You said: Please say hello.');
    // Notifications pass through unchanged: the engine's emittedAtMs is still there.
    expect(a.messages.find((m) => m.method === 'turn/started')).toHaveProperty('emittedAtMs');
  });

  it('sends an approval to both clients of a thread; the first answer wins and is audited', async () => {
    const a = await client('client-a');
    const b = await client('client-b');
    const threadId = await startThread(a);
    await startTurn(a, threadId, 'please RUN touch approved-by-b.txt && echo shell-ran-ok');
    // A thread can be joined once its first turn runs (docs/engine.md §6).
    await b.waitFor((m) => m.method === 'thread/status/changed' && forThread(threadId)(m) && (paramsOf(m).status as { type?: string })?.type === 'active', TURN_MS);
    await b.request('thread/resume', { threadId });
    const reqA = await a.waitFor(isApproval(threadId), TURN_MS);
    const reqB = await b.waitFor(isApproval(threadId), TURN_MS);
    expect(reqB.id).toBe(reqA.id);
    b.respond(reqB.id!, { decision: 'accept' });
    const resolved = await a.waitFor((m) => m.method === 'serverRequest/resolved' && paramsOf(m).requestId === reqA.id, TURN_MS);
    expect(paramsOf(resolved).threadId).toBe(threadId);
    a.respond(reqA.id!, { decision: 'decline' }); // late: ignored by the engine, audited as late
    await a.waitFor(turnCompleted(threadId), TURN_MS);
    expect(existsSync(join(home.workdir, 'approved-by-b.txt'))).toBe(true);
    await expect.poll(() => auditEntries().filter((e) => e.threadId === threadId).length, { timeout: 5000 }).toBe(2);
    const entries = auditEntries().filter((e) => e.threadId === threadId);
    expect(entries.map((e) => [e.client.kind, e.client.name, e.decision, e.outcome])).toEqual([
      ['tui', 'client-b', 'accept', 'applied'],
      ['tui', 'client-a', 'decline', 'late'],
    ]);
    expect(entries[0]!.summary).toContain('touch approved-by-b.txt');
    expect(entries[0]!.request).toBe('item/commandExecution/requestApproval');
  });

  it('keeps an approval pending when its only client leaves; another client resumes and answers it', async () => {
    const a = await client('leaver');
    const threadId = await startThread(a);
    await startTurn(a, threadId, 'please RUN touch answered-later.txt && echo shell-ran-ok');
    const req = await a.waitFor(isApproval(threadId), TURN_MS);
    a.terminate();
    const b = await client('rescuer');
    await b.request('thread/resume', { threadId });
    const replayed = await b.waitFor(isApproval(threadId), TURN_MS);
    expect(replayed.id).toBe(req.id);
    b.respond(replayed.id!, { decision: 'accept' });
    const done = await b.waitFor(turnCompleted(threadId), TURN_MS);
    expect((paramsOf(done).turn as { status: string }).status).toBe('completed');
    expect(existsSync(join(home.workdir, 'answered-later.txt'))).toBe(true);
  });

  it('interrupts a running turn', async () => {
    const a = await client('interrupter');
    const threadId = await startThread(a);
    const turnId = await startTurn(a, threadId, 'SLOW please');
    await a.waitFor((m) => m.method === 'item/agentMessage/delta' && forThread(threadId)(m), TURN_MS);
    // While the turn runs the host is busy (this drives keep-awake)…
    await expect.poll(async () => ((await a.request('host/info')) as { busy: boolean }).busy, { timeout: 5000 }).toBe(true);
    await expect(a.request('turn/interrupt', { threadId, turnId })).resolves.toEqual({});
    const done = await a.waitFor(turnCompleted(threadId), TURN_MS);
    expect((paramsOf(done).turn as { status: string }).status).toBe('interrupted');
    // …and idle again once no thread is active.
    await expect.poll(async () => ((await a.request('host/info')) as { busy: boolean }).busy, { timeout: 5000 }).toBe(false);
  });

  it('answers malformed input with errors and closes on binary or oversized frames', async () => {
    const raw = await openRaw(host.listenUrl!);
    raw.send('{this is not json');
    raw.send(JSON.stringify({ id: 5, method: 17 }));
    const answers = await nextMessages(raw, 2);
    expect(answers).toEqual([
      { id: null, error: { code: -32700, message: 'Parse error: message is not valid JSON' } },
      { id: 5, error: { code: -32600, message: 'Invalid request: method must be a string' } },
    ]);
    raw.send(Buffer.from([1, 2, 3]), { binary: true });
    expect(await closeOf(raw)).toEqual({ code: 1003, reason: 'binary frames are not supported; send JSON text frames' });

    const big = await openRaw(host.listenUrl!);
    big.send('x'.repeat(17 * 1024 * 1024));
    expect((await closeOf(big)).code).toBe(1009);
  });

  it('`codex-host status` shows the engine and the connected clients', async () => {
    const watcher = await client('status-watcher');
    const r = await runCliAsync(['status', '--json', '--data-dir', dataDir]);
    expect(r.stderr).toBe('');
    const info = JSON.parse(r.stdout) as { engine: { state: string; version: string }; listener: string; clients: { kind: string; name: string }[] };
    expect(info.engine).toMatchObject({ state: 'running', version: ENGINE_VERSION });
    expect(info.listener).toBe(host.listenUrl);
    expect(info.clients).toContainEqual(expect.objectContaining({ kind: 'tui', name: 'status-watcher' }));
    const text = await runCliAsync(['status', '--data-dir', dataDir]);
    expect(text.stdout).toMatch(new RegExp(`engine:\\s+running, codex ${ENGINE_VERSION_RE}\\b`));
    expect(text.stdout).toMatch(/tui\s+status-watcher/);
    watcher.terminate();
  });

  it('closes clients with a reason when the engine dies, restarts it, and lets them reconnect', async () => {
    const a = await client('survivor');
    const [pid] = enginePidsWithCodexHome(home.codexHome);
    expect(pid).toBeDefined();
    process.kill(pid!, 'SIGKILL');
    expect(await a.closed).toEqual({ code: 1012, reason: 'engine restarted; reconnect to continue' });
    await expect
      .poll(
        async () => {
          try {
            const again = await client('reconnected');
            return ((await again.request('thread/list', { limit: 50 })) as { data: unknown[] }).data.length > 0;
          } catch {
            return false;
          }
        },
        { timeout: 30_000, interval: 500 },
      )
      .toBe(true);
    const r = await runCliAsync(['status', '--json', '--data-dir', dataDir]);
    expect(JSON.parse(r.stdout).engine).toMatchObject({ state: 'running', restarts: 1 });
  });

  it('stops cleanly on SIGTERM and removes its control file', async () => {
    const code = await host.stop();
    expect(code).toBe(0);
    expect(host.stdout()).toContain('Codex Host stopped.');
    expect(existsSync(join(dataDir, 'control.json'))).toBe(false);
    expect(pidsWithCodexHome(home.codexHome)).toEqual([]);
    const r = await runCliAsync(['status', '--data-dir', dataDir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^codex-host: codex-host is not running \(no control file at .*control\.json\); start it with `codex-host serve`\n$/);
  });
});

interface AuditLine {
  client: { kind: string; name: string };
  threadId: string;
  request: string;
  summary: string;
  decision: string;
  outcome: string;
}
function auditEntries(): AuditLine[] {
  const f = join(dataDir, 'audit.jsonl');
  if (!existsSync(f)) return [];
  return readFileSync(f, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as AuditLine);
}

function openRaw(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

function nextMessages(ws: WebSocket, n: number): Promise<unknown[]> {
  return new Promise((resolve) => {
    const got: unknown[] = [];
    ws.on('message', (d) => {
      got.push(JSON.parse(d.toString()));
      if (got.length === n) resolve(got);
    });
  });
}

function closeOf(ws: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
}
