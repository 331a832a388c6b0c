import { mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileAuditLog, type AuditEntry } from './auditLog.js';

const entry = (decision: string): AuditEntry => ({
  time: '2026-12-01T00:00:00.000Z',
  client: { kind: 'phone', id: 'p', name: 'Phone' },
  environmentId: 'local',
  threadId: 't',
  request: 'item/commandExecution/requestApproval',
  summary: 'ls',
  decision,
  outcome: 'applied',
});

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'audit-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('FileAuditLog', () => {
  it('retries a failed open on the next append and reports the problem until then (red-team P7)', async () => {
    const file = path.join(dir, 'not-yet', 'audit.jsonl');
    const log = new FileAuditLog(file);
    const problems: (string | undefined)[] = [];
    log.onProblemChanged((p) => problems.push(p));
    await expect(log.append(entry('accept'))).rejects.toThrow(/ENOENT/);
    expect(log.problem).toMatch(/^ENOENT: no such file or directory, open '.*audit\.jsonl'$/);
    await mkdir(path.dirname(file));
    await log.append(entry('decline'));
    expect(log.problem).toBeUndefined();
    expect(problems).toEqual([expect.stringMatching(/^ENOENT/), undefined]);
    const lines = (await readFile(file, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as AuditEntry);
    expect(lines.map((l) => l.decision)).toEqual(['decline']);
    await log.dispose();
  });

  it('finds a problem ahead of the first approval with check()', async () => {
    const log = new FileAuditLog(path.join(dir, 'missing', 'audit.jsonl'));
    await log.check();
    expect(log.problem).toMatch(/ENOENT/);
  });

  it('appends one line per entry, 0600', async () => {
    const file = path.join(dir, 'audit.jsonl');
    const log = new FileAuditLog(file);
    await Promise.all([log.append(entry('a')), log.append(entry('b'))]);
    await log.dispose();
    expect((await readFile(file, 'utf8')).split('\n').filter(Boolean).map((l) => (JSON.parse(l) as AuditEntry).decision)).toEqual(['a', 'b']);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it('opens the file again when it was deleted or replaced since the last line', async () => {
    const file = path.join(dir, 'audit.jsonl');
    const log = new FileAuditLog(file);
    await log.append(entry('first'));
    await rm(file);
    await log.append(entry('second'));
    await log.dispose();
    expect((await readFile(file, 'utf8')).split('\n').filter(Boolean).map((l) => (JSON.parse(l) as AuditEntry).decision)).toEqual(['second']);
  });
});
