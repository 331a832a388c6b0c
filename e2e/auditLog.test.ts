/**
 * Red-team P7 over the real host and engine: while the audit log cannot be written, an
 * approval is refused with a clear error (the command does not run) and `codex-host status`
 * says "audit log unavailable: …"; once the log can be written again, the same approval,
 * answered again, runs and is audited.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { isApproval, startThread, startTurn, TURN_MS, turnCompleted, turnStatus } from './fixtures/appServer.js';
import type { HostProcess } from './fixtures/hostProcess.js';
import { useStack } from './fixtures/stack.js';

const stack = useStack({ label: 'audit-log', host: false });
let host: HostProcess;
let dataDir: string;

beforeAll(async () => {
  dataDir = await stack.newDataDir();
  // The audit log's path is taken by a directory: every open fails (EISDIR).
  await mkdir(join(dataDir, 'audit.jsonl'));
  host = await stack.startHost({ dataDir, args: ['--listen', 'ws://127.0.0.1:0'] });
});

describe('the audit log never silently stops (P7)', () => {
  it('refuses approvals while it cannot be written, says so in status, and applies them once it can', async () => {
    const status = await stack.cli(['status'], { dataDir });
    expect(status.stdout).toMatch(/audit:\s+audit log unavailable: EISDIR: illegal operation on a directory.*; approvals are refused until it can be written/);

    const d = await stack.open(host.listenUrl);
    await d.initialize('approver');
    const threadId = await startThread(d, stack.home.workdir);
    await startTurn(d, threadId, 'please RUN touch unaudited.txt && echo shell-ran-ok');
    const ask = await d.waitFor(isApproval(threadId), TURN_MS);
    d.respond(ask.id!, { decision: 'accept' });
    const refused = await d.waitFor((m) => m.id === null && m.error?.code === -32056, 10_000);
    expect(refused.error?.message).toBe(
      `Approval not applied: the host cannot write its audit log, so the answer to server request ${JSON.stringify(ask.id)} was dropped; answer again once the host's owner has fixed it (codex-host status)`,
    );
    expect(existsSync(join(stack.home.workdir, 'unaudited.txt'))).toBe(false);

    await rmdir(join(dataDir, 'audit.jsonl'));
    d.respond(ask.id!, { decision: 'accept' });
    const done = await d.waitFor(turnCompleted(threadId), TURN_MS);
    expect(turnStatus(done)).toBe('completed');
    expect(existsSync(join(stack.home.workdir, 'unaudited.txt'))).toBe(true);
    const lines = readFileSync(join(dataDir, 'audit.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { decision: string; outcome: string; environmentId: string; summary: string });
    expect(lines).toEqual([expect.objectContaining({ decision: 'accept', outcome: 'applied', environmentId: 'local', summary: expect.stringContaining('touch unaudited.txt') })]);
    const after = await stack.cli(['status'], { dataDir });
    expect(after.stdout).not.toMatch(/audit log unavailable/);
  });
});
