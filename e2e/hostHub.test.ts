/**
 * The real headless host (`codex-host serve`) over the real `codex app-server`, driven as
 * remote clients through its listener (docs/architecture.md): a streamed turn; two clients on one
 * thread with an approval (first answer wins, the other sees serverRequest/resolved, both
 * answers audited); a client that answers an approval with an error does not decide it; an approval that survives its client's disconnect and is answered by
 * another client after thread/resume; interrupt; the engine killed → clients closed with a
 * reason and reconnecting; malformed, binary and oversized input; `codex-host status`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import WebSocket from 'ws';
import { describe, expect, it } from 'vitest';
import { agentText, isApproval, isDelta, isFor, paramsOf, startThread, startTurn, TURN_MS, turnCompleted, turnStatus } from './fixtures/appServer.js';
import { enginePidsWithCodexHome, pidsWithCodexHome } from './fixtures/engineProcesses.js';
import { useStack, type Stack } from './fixtures/stack.js';
import { ENGINE_VERSION, ENGINE_VERSION_RE } from './fixtures/engineVersion.js';

const HOST_ARGS = ['--listen', 'ws://127.0.0.1:0'];

describe('codex-host serve: the hub over the real engine', () => {
  const stack = useStack({ label: 'host-hub', hostArgs: HOST_ARGS });
  const workdir = () => stack.home.workdir;

  it('prints what it started', () => {
    expect(stack.host.stdout()).toMatch(/Codex Host \S+ is running on /);
    expect(stack.host.stdout()).toMatch(new RegExp(`engine:\\s+codex ${ENGINE_VERSION_RE} `));
    expect(stack.host.listenUrl).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/);
  });

  it('streams a turn to a client', async () => {
    const a = await stack.client('stream-client');
    const threadId = await startThread(a, workdir());
    await startTurn(a, threadId, 'Please say hello.');
    const done = await a.waitFor(turnCompleted(threadId), TURN_MS);
    expect(turnStatus(done)).toBe('completed');
    expect(agentText(a.messages, threadId)).toBe('Hello from the fake model! You said: Please say hello.');
    // Notifications pass through unchanged: the engine's emittedAtMs is still there.
    expect(a.messages.find((m) => m.method === 'turn/started')).toHaveProperty('emittedAtMs');
  });

  /** Client `nameA` starts a turn that asks to run `command`; `nameB` joins the thread; both hold the approval. */
  async function twoClientsAtAnApproval(nameA: string, nameB: string, command: string) {
    const a = await stack.client(nameA);
    const b = await stack.client(nameB);
    const threadId = await startThread(a, workdir());
    await startTurn(a, threadId, `please RUN ${command} && echo shell-ran-ok`);
    // A thread can be joined once its first turn runs (docs/engine.md §6).
    await b.waitFor((m) => m.method === 'thread/status/changed' && isFor(threadId)(m) && (paramsOf(m).status as { type?: string })?.type === 'active', TURN_MS);
    await b.request('thread/resume', { threadId });
    const reqA = await a.waitFor(isApproval(threadId), TURN_MS);
    const reqB = await b.waitFor(isApproval(threadId), TURN_MS);
    return { a, b, threadId, reqA, reqB };
  }

  it('sends an approval to both clients of a thread; the first answer wins and is audited', async () => {
    const { a, b, threadId, reqA, reqB } = await twoClientsAtAnApproval('client-a', 'client-b', 'touch approved-by-b.txt');
    expect(reqB.id).toBe(reqA.id);
    b.respond(reqB.id!, { decision: 'accept' });
    const resolved = await a.waitFor((m) => m.method === 'serverRequest/resolved' && paramsOf(m).requestId === reqA.id, TURN_MS);
    expect(paramsOf(resolved).threadId).toBe(threadId);
    a.respond(reqA.id!, { decision: 'decline' }); // late: ignored by the engine, audited as late
    await a.waitFor(turnCompleted(threadId), TURN_MS);
    expect(existsSync(join(workdir(), 'approved-by-b.txt'))).toBe(true);
    await expect.poll(() => auditEntries(stack).filter((e) => e.threadId === threadId).length, { timeout: 5000 }).toBe(2);
    const entries = auditEntries(stack).filter((e) => e.threadId === threadId);
    expect(entries.map((e) => [e.client.kind, e.client.name, e.decision, e.outcome])).toEqual([
      ['tui', 'client-b', 'accept', 'applied'],
      ['tui', 'client-a', 'decline', 'late'],
    ]);
    expect(entries[0]!.summary).toContain('touch approved-by-b.txt');
    expect(entries[0]!.request).toBe('item/commandExecution/requestApproval');
  });

  it('a client that cannot answer an approval (it answers with an error) does not decide it: a person on another client does', async () => {
    const { a, b, threadId, reqA, reqB } = await twoClientsAtAnApproval('no-approval-ui', 'person', 'touch decided-by-a-person.txt');
    a.send({ id: reqA.id, error: { code: -32601, message: 'item/commandExecution/requestApproval: not handled by this client' } });
    // Still open for the person: nothing resolved it.
    await new Promise((r) => setTimeout(r, 500));
    expect(b.messages.some((m) => m.method === 'serverRequest/resolved' && paramsOf(m).requestId === reqB.id)).toBe(false);
    b.respond(reqB.id!, { decision: 'accept' });
    expect(turnStatus(await b.waitFor(turnCompleted(threadId), TURN_MS))).toBe('completed');
    expect(existsSync(join(workdir(), 'decided-by-a-person.txt'))).toBe(true);
    await expect.poll(() => auditEntries(stack).filter((e) => e.threadId === threadId).map((e) => [e.client.name, e.decision, e.outcome]), { timeout: 5000 }).toEqual([['person', 'accept', 'applied']]);
  });

  it('keeps an approval pending when its only client leaves; another client resumes and answers it', async () => {
    const a = await stack.client('leaver');
    const threadId = await startThread(a, workdir());
    await startTurn(a, threadId, 'please RUN touch answered-later.txt && echo shell-ran-ok');
    const req = await a.waitFor(isApproval(threadId), TURN_MS);
    a.terminate();
    const b = await stack.client('rescuer');
    await b.request('thread/resume', { threadId });
    const replayed = await b.waitFor(isApproval(threadId), TURN_MS);
    expect(replayed.id).toBe(req.id);
    b.respond(replayed.id!, { decision: 'accept' });
    const done = await b.waitFor(turnCompleted(threadId), TURN_MS);
    expect(turnStatus(done)).toBe('completed');
    expect(existsSync(join(workdir(), 'answered-later.txt'))).toBe(true);
  });

  it('interrupts a running turn', async () => {
    const a = await stack.client('interrupter');
    const threadId = await startThread(a, workdir());
    const turnId = await startTurn(a, threadId, 'SLOW please');
    await a.waitFor(isDelta(threadId), TURN_MS);
    // While the turn runs the host is busy (this drives keep-awake)…
    await expect.poll(async () => ((await a.request('host/info')) as { busy: boolean }).busy, { timeout: 5000 }).toBe(true);
    await expect(a.request('turn/interrupt', { threadId, turnId })).resolves.toEqual({});
    const done = await a.waitFor(turnCompleted(threadId), TURN_MS);
    expect(turnStatus(done)).toBe('interrupted');
    // …and idle again once no thread is active.
    await expect.poll(async () => ((await a.request('host/info')) as { busy: boolean }).busy, { timeout: 5000 }).toBe(false);
  });

  it('answers malformed input with errors and closes on binary or oversized frames', async () => {
    const raw = stack.track(await openRaw(stack.host.listenUrl!));
    raw.send('{this is not json');
    raw.send(JSON.stringify({ id: 5, method: 17 }));
    const answers = await nextMessages(raw, 2);
    expect(answers).toEqual([
      { id: null, error: { code: -32700, message: 'Parse error: message is not valid JSON' } },
      { id: 5, error: { code: -32600, message: 'Invalid request: method must be a string' } },
    ]);
    raw.send(Buffer.from([1, 2, 3]), { binary: true });
    expect(await closeOf(raw)).toEqual({ code: 1003, reason: 'binary frames are not supported; send JSON text frames' });

    const big = stack.track(await openRaw(stack.host.listenUrl!));
    big.send('x'.repeat(17 * 1024 * 1024));
    expect((await closeOf(big)).code).toBe(1009);
  });

  it('`codex-host status` shows the engine and the connected clients', async () => {
    await stack.client('status-watcher');
    const r = await stack.cli(['status', '--json']);
    expect(r.stderr).toBe('');
    const info = JSON.parse(r.stdout) as { engine: { state: string; version: string }; listener: string; clients: { kind: string; name: string }[] };
    expect(info.engine).toMatchObject({ state: 'running', version: ENGINE_VERSION });
    expect(info.listener).toBe(stack.host.listenUrl);
    expect(info.clients).toContainEqual(expect.objectContaining({ kind: 'tui', name: 'status-watcher' }));
    const text = await stack.cli(['status']);
    expect(text.stdout).toMatch(new RegExp(`engine:\\s+running, codex ${ENGINE_VERSION_RE}\\b`));
    expect(text.stdout).toMatch(/tui\s+status-watcher/);
  });
});

// These end the engine or the host: each test gets a host of its own.
describe('codex-host serve when its engine dies or it is stopped', () => {
  const stack = useStack({ label: 'host-hub-end', hostArgs: HOST_ARGS, per: 'test' });

  it('closes clients with a reason when the engine dies, restarts it, and lets them reconnect', async () => {
    const a = await stack.client('survivor');
    const threadId = await startThread(a, stack.home.workdir);
    await startTurn(a, threadId, 'Please say hello.');
    await a.waitFor(turnCompleted(threadId), TURN_MS);
    const [pid] = enginePidsWithCodexHome(stack.home.codexHome);
    expect(pid).toBeDefined();
    process.kill(pid!, 'SIGKILL');
    expect(await a.closed).toEqual({ code: 1012, reason: 'engine restarted; reconnect to continue' });
    await expect
      .poll(
        async () => {
          try {
            const again = await stack.client('reconnected');
            // The thread from before the crash is still there (threads live in CODEX_HOME).
            return ((await again.request('thread/list', { limit: 50 })) as { data: { id: string }[] }).data.some((th) => th.id === threadId);
          } catch {
            return false;
          }
        },
        { timeout: 30_000, interval: 500 },
      )
      .toBe(true);
    const r = await stack.cli(['status', '--json']);
    expect(JSON.parse(r.stdout).engine).toMatchObject({ state: 'running', restarts: 1 });
  });

  it('stops cleanly on SIGTERM and removes its control file', async () => {
    const code = await stack.host.stop();
    expect(code).toBe(0);
    expect(stack.host.stdout()).toContain('Codex Host stopped.');
    expect(existsSync(join(stack.dataDir, 'control.json'))).toBe(false);
    expect(pidsWithCodexHome(stack.home.codexHome)).toEqual([]);
    const r = await stack.cli(['status']);
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
function auditEntries(stack: Stack): AuditLine[] {
  const f = join(stack.dataDir, 'audit.jsonl');
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
