/**
 * The engine supervisor against the REAL `codex app-server` (the pinned version), offline: the fake
 * Responses API is the only stand-in. Covers start + /readyz, the capability token, a
 * streamed turn, command and file-change approvals, interrupt, the title job, crash → restart
 * and stop().
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createLineLogger } from '../shared/util/logger.js';
import { checkCodexVersion } from '../host/engine/checkCodexVersion.js';
import { EngineSupervisor, type EngineExitEvent, type EngineState } from '../host/engine/engineSupervisor.js';
import { findCodexBinary } from '../host/engine/findCodexBinary.js';
import { agentText, isApproval, isDelta, isFor, paramsOf, startThread, startTurn, TURN_MS, turnCompleted, turnStatus } from './fixtures/appServer.js';
import { FAKE_PATCH_CONTENT, FAKE_TITLE } from './fixtures/fakeResponses.js';
import { useStack } from './fixtures/stack.js';
import { UpgradeRejectedError, openWsDriver, type WsDriver } from './fixtures/wsDriver.js';
import { ENGINE_VERSION, ENGINE_VERSION_RE } from './fixtures/engineVersion.js';

const stack = useStack({ label: 'engine-e2e', host: false });

/** A supervisor over the real engine in the stack's CODEX_HOME, with its log lines and states. */
async function startSupervisor(): Promise<{ supervisor: EngineSupervisor; logLines: string[]; states: EngineState[] }> {
  const logLines: string[] = [];
  const states: EngineState[] = [];
  const supervisor = new EngineSupervisor({
    launch: { bin: findCodexBinary({ env: process.env }).path, env: stack.env, cwd: stack.home.workdir },
    logger: createLineLogger((l) => logLines.push(l), 'debug'),
    restart: { initialDelayMs: 200 },
  });
  supervisor.onStateChange((s) => states.push(s));
  stack.track(supervisor);
  await supervisor.start();
  return { supervisor, logLines, states };
}

/** A tracked client of `supervisor`'s engine, with the capability token. */
async function connect(supervisor: EngineSupervisor): Promise<WsDriver> {
  const { url, token } = supervisor.endpoint();
  return stack.track(await openWsDriver(url, { headers: { Authorization: `Bearer ${token}` } }));
}

describe('engine supervisor with the real codex app-server', () => {
  // One engine for the tests that only use it; the ones that kill or stop it start their own.
  let shared: Awaited<ReturnType<typeof startSupervisor>>;
  let statesAtStart: EngineState[];
  beforeAll(async () => {
    shared = await startSupervisor();
    statesAtStart = [...shared.states];
  });
  const supervisor = () => shared.supervisor;
  const client = async () => {
    const d = await connect(supervisor());
    await d.initialize();
    return d;
  };

  it('accepts the bundled codex version', async () => {
    const version = await checkCodexVersion(findCodexBinary({ env: process.env }).path);
    expect(version.text).toBe(ENGINE_VERSION);
  });

  it('runs the engine on loopback, ready, with the token kept out of argv and logs', async () => {
    expect(supervisor().state).toBe('running');
    expect(statesAtStart).toEqual(['starting', 'running']);
    const { url, token } = supervisor().endpoint();
    expect(url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/);
    expect(token.length).toBeGreaterThanOrEqual(43);
    const readyz = await fetch(`${url.replace('ws:', 'http:')}/readyz`);
    expect(readyz.status).toBe(200);
    const pid = supervisor().pid;
    expect(pid).toBeGreaterThan(0);
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    expect(argv).toContain('--ws-token-sha256');
    expect(argv.join(' ')).not.toContain(token);
    expect(shared.logLines.join('\n')).not.toContain(token);
    expect(shared.logLines.some((l) => l.includes('listening on: ws://127.0.0.1:'))).toBe(true);
  });

  it('lets a client with the token initialize, and refuses one without it (401)', async () => {
    const d = await connect(supervisor());
    const init = (await d.initialize()) as { userAgent?: string };
    expect(init.userAgent).toMatch(new RegExp(`^codex-host-e2e/${ENGINE_VERSION_RE} `));
    expect(d.messages.every((m) => !('jsonrpc' in m))).toBe(true);

    const { url } = supervisor().endpoint();
    const noToken = await openWsDriver(url).catch((e: unknown) => e);
    expect(noToken).toBeInstanceOf(UpgradeRejectedError);
    expect((noToken as UpgradeRejectedError).status).toBe(401);
    expect((noToken as UpgradeRejectedError).body).toContain('missing websocket bearer token');
    const wrong = await openWsDriver(url, { headers: { Authorization: 'Bearer not-the-token' } }).catch((e: unknown) => e);
    expect((wrong as UpgradeRejectedError).status).toBe(401);
  });

  it('streams a plain turn from the fake model', async () => {
    const d = await client();
    const threadId = await startThread(d, stack.home.workdir);
    await startTurn(d, threadId, 'Please say hello.');
    const done = await d.waitFor(turnCompleted(threadId), TURN_MS);
    expect(turnStatus(done)).toBe('completed');
    expect(d.messages.filter(isDelta(threadId)).length).toBeGreaterThan(1);
    expect(agentText(d.messages, threadId)).toBe('Hello from the fake model! You said: Please say hello.');
    const req = stack.fake.responsesRequests().find((r) => r.lastUserText === 'Please say hello.');
    expect(req?.scenario).toBe('reply');
    expect(req?.headers.originator).toBe('codex-host-e2e');
  });

  it('asks before running a RUN command, runs it on accept and completes the turn', async () => {
    const d = await client();
    const threadId = await startThread(d, stack.home.workdir);
    await startTurn(d, threadId, 'please RUN touch marker.txt && echo shell-ran-ok');
    const ask = await d.waitFor(isApproval(threadId), TURN_MS);
    expect(String(paramsOf(ask).command)).toContain('touch marker.txt && echo shell-ran-ok');
    expect(existsSync(join(stack.home.workdir, 'marker.txt'))).toBe(false);
    d.respond(ask.id as number, { decision: 'accept' });
    const done = await d.waitFor(turnCompleted(threadId), TURN_MS);
    expect(turnStatus(done)).toBe('completed');
    expect(existsSync(join(stack.home.workdir, 'marker.txt'))).toBe(true);
    const cmd = d.messages.find((m) => m.method === 'item/completed' && isFor(threadId)(m) && (paramsOf(m).item as { type?: string }).type === 'commandExecution');
    expect((paramsOf(cmd ?? {}).item as { status?: string }).status).toBe('completed');
    const final = d.messages.filter((m) => m.method === 'item/completed' && isFor(threadId)(m)).map((m) => paramsOf(m).item as { type?: string; text?: string });
    expect(final.some((i) => i.type === 'agentMessage' && i.text?.includes('shell-ran-ok'))).toBe(true);
  });

  it('asks before a PATCH in a read-only thread and writes the file on accept', async () => {
    const d = await client();
    const threadId = await startThread(d, stack.home.workdir, { sandbox: 'read-only' });
    await startTurn(d, threadId, 'PATCH patched.txt');
    const ask = await d.waitFor(isApproval(threadId, 'fileChange'), TURN_MS);
    expect(existsSync(join(stack.home.workdir, 'patched.txt'))).toBe(false);
    d.respond(ask.id as number, { decision: 'accept' });
    const done = await d.waitFor(turnCompleted(threadId), TURN_MS);
    expect(turnStatus(done)).toBe('completed');
    expect(readFileSync(join(stack.home.workdir, 'patched.txt'), 'utf8')).toBe(`${FAKE_PATCH_CONTENT}\n`);
  });

  it('applies a PATCH inside the workspace without asking (workspace-write)', async () => {
    const d = await client();
    const threadId = await startThread(d, stack.home.workdir);
    await startTurn(d, threadId, 'PATCH quiet.txt');
    const done = await d.waitFor(turnCompleted(threadId), TURN_MS);
    expect(turnStatus(done)).toBe('completed');
    expect(d.messages.some((m) => m.method === 'item/fileChange/requestApproval')).toBe(false);
    expect(existsSync(join(stack.home.workdir, 'quiet.txt'))).toBe(true);
  });

  it('interrupts a SLOW turn; the fake sees the stream aborted', async () => {
    const d = await client();
    const threadId = await startThread(d, stack.home.workdir);
    const turnId = await startTurn(d, threadId, 'SLOW please');
    await d.waitFor(isDelta(threadId), TURN_MS);
    expect(await d.request('turn/interrupt', { threadId, turnId })).toEqual({});
    const done = await d.waitFor(turnCompleted(threadId), TURN_MS);
    expect(turnStatus(done)).toBe('interrupted');
    const slow = stack.fake.responsesRequests().find((r) => r.scenario === 'slow');
    await expect.poll(() => slow?.aborted, { timeout: 10_000 }).toBe(true);
  });

  it('answers a structured-output (title) turn with JSON', async () => {
    const d = await client();
    const threadId = await startThread(d, stack.home.workdir, { ephemeral: true });
    const outputSchema = { type: 'object', properties: { title: { type: 'string' } }, required: ['title'], additionalProperties: false };
    await startTurn(d, threadId, 'Generate a concise title', { outputSchema });
    const done = await d.waitFor(turnCompleted(threadId), TURN_MS);
    expect(turnStatus(done)).toBe('completed');
    const msg = d.messages.find((m) => m.method === 'item/completed' && isFor(threadId)(m) && (paramsOf(m).item as { type?: string }).type === 'agentMessage');
    expect(JSON.parse((paramsOf(msg ?? {}).item as { text: string }).text)).toEqual({ title: FAKE_TITLE });
    expect(stack.fake.responsesRequests().some((r) => r.scenario === 'title')).toBe(true);
  });
});

describe('engine supervisor restart and stop (an engine of their own)', () => {
  it('restarts the engine after kill -9, on a new endpoint', async () => {
    const { supervisor, states } = await startSupervisor();
    // A thread before the crash, to see it survive.
    const before = await connect(supervisor);
    await before.initialize();
    const threadId = await startThread(before, stack.home.workdir);
    await startTurn(before, threadId, 'Please say hello.');
    await before.waitFor(turnCompleted(threadId), TURN_MS);

    const old = supervisor.endpoint();
    const oldPid = supervisor.pid as number;
    const exits: EngineExitEvent[] = [];
    const sub = supervisor.onExit((e) => exits.push(e));
    const restarted = new Promise<{ url: string; token: string }>((resolve) => {
      const r = supervisor.onRestarted((ep) => {
        r.dispose();
        resolve(ep);
      });
    });
    process.kill(oldPid, 'SIGKILL');
    const closed = await before.closed;
    expect(closed.code).not.toBe(1000);
    const ep = await restarted;
    sub.dispose();
    expect(exits).toHaveLength(1);
    expect(exits[0]).toMatchObject({ signal: 'SIGKILL', willRestart: true });
    expect(states).toEqual(['starting', 'running', 'restarting', 'running']);
    expect(supervisor.pid).not.toBe(oldPid);
    expect(ep.token).not.toBe(old.token);
    // The old token does not open the new engine; the new one does.
    const stale = await openWsDriver(ep.url, { headers: { Authorization: `Bearer ${old.token}` } }).catch((e: unknown) => e);
    expect((stale as UpgradeRejectedError).status).toBe(401);
    const d = await connect(supervisor);
    expect(((await d.initialize()) as { userAgent?: string }).userAgent).toContain(ENGINE_VERSION);
    // Threads persist in CODEX_HOME across the restart.
    const list = (await d.request('thread/list', {})) as { data: { id: string }[] };
    expect(list.data.map((th) => th.id)).toContain(threadId);
  });

  it('stop() ends the process and clears the endpoint', async () => {
    const { supervisor } = await startSupervisor();
    const pid = supervisor.pid as number;
    await supervisor.stop();
    expect(supervisor.state).toBe('stopped');
    expect(() => supervisor.endpoint()).toThrow('EngineSupervisor.endpoint: the engine is stopped');
    expect(() => process.kill(pid, 0)).toThrow(/ESRCH/);
    // Nothing is left in its process group either (helpers, commands).
    expect(() => process.kill(-pid, 0)).toThrow(/ESRCH/);
  });
});
