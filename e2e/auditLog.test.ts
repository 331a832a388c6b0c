/**
 * Red-team P7 over the real host and engine: while the audit log cannot be written, an
 * approval is refused with a clear error (the command does not run) and `codex-host status`
 * says "audit log unavailable: …"; once the log can be written again, the same approval,
 * answered again, runs and is audited.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCodexHome, TEST_OUTPUT_DIR, type CodexHomeFixture } from './fixtures/codexHome.js';
import { startFakeResponses, type FakeResponsesServer } from './fixtures/fakeResponses.js';
import { runCliAsync, startHostProcess, type HostProcess } from './fixtures/hostProcess.js';
import { openWsDriver, type WireMessage, type WsDriver } from './fixtures/wsDriver.js';

const TURN_MS = 45_000;
let fake: FakeResponsesServer;
let home: CodexHomeFixture;
let host: HostProcess;
let dataDir: string;
let driver: WsDriver | undefined;

const paramsOf = (m: WireMessage) => (m.params && typeof m.params === 'object' ? (m.params as Record<string, unknown>) : {});

beforeAll(async () => {
  fake = await startFakeResponses();
  home = await createCodexHome({ modelBaseUrl: fake.baseUrl, label: 'audit-log' });
  dataDir = await mkdtemp(join(TEST_OUTPUT_DIR, 'audit-data-'));
  // The audit log's path is taken by a directory: every open fails (EISDIR).
  await mkdir(join(dataDir, 'audit.jsonl'));
  host = await startHostProcess({ dataDir, env: home.env, cwd: home.workdir, args: ['--listen', 'ws://127.0.0.1:0', '--no-remote'] });
});

afterAll(async () => {
  driver?.terminate();
  await host?.stop();
  await fake?.close();
  await home?.cleanup();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('the audit log never silently stops (P7)', () => {
  it('refuses approvals while it cannot be written, says so in status, and applies them once it can', async () => {
    const status = await runCliAsync(['status', '--data-dir', dataDir]);
    expect(status.stdout).toMatch(/audit:\s+audit log unavailable: EISDIR: illegal operation on a directory.*; approvals are refused until it can be written/);

    const d = (driver = await openWsDriver(host.listenUrl!));
    await d.initialize('approver');
    const { thread } = (await d.request('thread/start', { cwd: home.workdir })) as { thread: { id: string } };
    await d.request('turn/start', { threadId: thread.id, input: [{ type: 'text', text: 'please RUN touch unaudited.txt && echo shell-ran-ok', text_elements: [] }] });
    const ask = await d.waitFor((m) => m.method === 'item/commandExecution/requestApproval' && paramsOf(m).threadId === thread.id, TURN_MS);
    d.respond(ask.id!, { decision: 'accept' });
    const refused = await d.waitFor((m) => m.id === null && m.error?.code === -32056, 10_000);
    expect(refused.error?.message).toBe(
      `Approval not applied: the host cannot write its audit log, so the answer to server request ${JSON.stringify(ask.id)} was dropped; answer again once the host's owner has fixed it (codex-host status)`,
    );
    expect(existsSync(join(home.workdir, 'unaudited.txt'))).toBe(false);

    await rmdir(join(dataDir, 'audit.jsonl'));
    d.respond(ask.id!, { decision: 'accept' });
    const done = await d.waitFor((m) => m.method === 'turn/completed' && paramsOf(m).threadId === thread.id, TURN_MS);
    expect((paramsOf(done).turn as { status: string }).status).toBe('completed');
    expect(existsSync(join(home.workdir, 'unaudited.txt'))).toBe(true);
    const lines = readFileSync(join(dataDir, 'audit.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { decision: string; outcome: string; environmentId: string; summary: string });
    expect(lines).toEqual([expect.objectContaining({ decision: 'accept', outcome: 'applied', environmentId: 'local', summary: expect.stringContaining('touch unaudited.txt') })]);
    const after = await runCliAsync(['status', '--data-dir', dataDir]);
    expect(after.stdout).not.toMatch(/audit log unavailable/);
  });
});
