/** The audit log read back for the remote-activity view: newest first, paged, bounded, damaged lines skipped. */
import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestHub } from '../hub/testing/hubTestKit.js';
import { auditTable } from './auditFeature.js';
import { FileAuditLog, type AuditEntry } from './auditLog.js';
import { MAX_AUDIT_LINE_BYTES, readAuditPage } from './auditReader.js';

let dir: string;
let file: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'audit-read-'));
  file = path.join(dir, 'audit.jsonl');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const entry = (n: number): AuditEntry => ({
  time: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
  client: { kind: 'phone', id: 'd'.repeat(32), name: `Pixel ${n}` },
  environmentId: 'local',
  threadId: `thread-${n}`,
  request: 'item/commandExecution/requestApproval',
  summary: `echo ${n}`,
  decision: 'accept',
  outcome: 'applied',
});

async function writeEntries(count: number): Promise<void> {
  const log = new FileAuditLog(file);
  for (let i = 1; i <= count; i++) await log.append(entry(i));
  await log.dispose();
}

async function readAll(limit: number): Promise<{ names: string[]; pages: number; unreadable: number }> {
  const names: string[] = [];
  let before: number | undefined;
  let pages = 0;
  let unreadable = 0;
  for (;;) {
    const page = await readAuditPage(file, { limit, ...(before !== undefined ? { before } : {}) });
    pages += 1;
    unreadable += page.unreadable;
    names.push(...page.entries.map((e) => e.client.name));
    if (page.nextCursor === undefined) return { names, pages, unreadable };
    expect(page.nextCursor).toBeLessThan(before ?? Infinity);
    before = page.nextCursor;
  }
}

describe('reading the audit log back', () => {
  it('pages newest first until the start of the file, each entry once', async () => {
    await writeEntries(25);
    const first = await readAuditPage(file, { limit: 10 });
    expect(first.entries.map((e) => e.summary)).toEqual(Array.from({ length: 10 }, (_, i) => `echo ${25 - i}`));
    expect(first.entries[0]).toEqual(entry(25));
    const all = await readAll(10);
    expect(all.names).toEqual(Array.from({ length: 25 }, (_, i) => `Pixel ${25 - i}`));
    expect(all.pages).toBe(3);
  });

  it('a missing or empty log is an empty page with no cursor', async () => {
    await expect(readAuditPage(file, { limit: 10 })).resolves.toEqual({ entries: [], unreadable: 0 });
    await writeFile(file, '');
    await expect(readAuditPage(file, { limit: 10 })).resolves.toEqual({ entries: [], unreadable: 0 });
  });

  it('skips and counts lines that are not entries: garbage, a torn last line, a line longer than any entry', async () => {
    await writeEntries(3);
    await appendFile(file, 'not json\n');
    await appendFile(file, `${JSON.stringify({ ...entry(4), outcome: 'maybe' })}\n`);
    await appendFile(file, `${'x'.repeat(MAX_AUDIT_LINE_BYTES * 3)}\n`);
    await appendFile(file, `${JSON.stringify(entry(5))}\n`);
    await appendFile(file, '{"time":"2026-01-01T00:0'); // a write cut short by a crash
    const all = await readAll(2);
    expect(all.names).toEqual(['Pixel 5', 'Pixel 3', 'Pixel 2', 'Pixel 1']);
    expect(all.unreadable).toBe(4);
  });

  it('answers host/audit/list over the hub with string cursors, and refuses a bad cursor or limit', async () => {
    await writeEntries(5);
    const t = createTestHub();
    t.hub.registerFeatures({ audit: auditTable(file) });
    const cli = t.attach('cli', 'cli');
    const page = (await cli.conn.request('host/audit/list', { limit: 2 })) as { entries: AuditEntry[]; nextCursor: string; unreadable: number };
    expect(page.entries.map((e) => e.summary)).toEqual(['echo 5', 'echo 4']);
    expect(page.nextCursor).toMatch(/^\d+$/);
    const older = (await cli.conn.request('host/audit/list', { before: page.nextCursor, limit: 10 })) as { entries: AuditEntry[]; nextCursor?: string };
    expect(older.entries.map((e) => e.summary)).toEqual(['echo 3', 'echo 2', 'echo 1']);
    expect(older.nextCursor).toBeUndefined();
    await expect(cli.conn.request('host/audit/list', { before: '-1' })).rejects.toMatchObject({ code: -32602 });
    await expect(cli.conn.request('host/audit/list', { limit: 1000 })).rejects.toMatchObject({ code: -32602 });
    const phone = t.attach('phone', 'Pixel', 'a'.repeat(32));
    await expect(phone.conn.request('host/audit/list')).rejects.toMatchObject({ code: -32600 });
  });
});
