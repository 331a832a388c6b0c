import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataDirLockedError, LOCK_FILE_NAME, lockDataDir } from './dataDirLock.js';

const roots: string[] = [];
afterAll(async () => {
  for (const r of roots) await rm(r, { recursive: true, force: true });
});
async function dir() {
  const d = await mkdtemp(path.join(os.tmpdir(), 'lock-'));
  roots.push(d);
  return d;
}

describe('the one-host-per-data-dir lock', () => {
  it('refuses a second lock while the first is held, naming the holder; dispose releases it', async () => {
    const d = await dir();
    const first = await lockDataDir(d);
    const err = await lockDataDir(d).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataDirLockedError);
    expect((err as Error).message).toBe(`codex-host is already running with data dir ${d}; stop it first or choose another --data-dir (pid ${process.pid} holds ${path.join(d, LOCK_FILE_NAME)})`);
    await first.dispose();
    const again = await lockDataDir(d);
    await again.dispose();
  });

  it('refuses when another live process holds it (whatever its control port does)', async () => {
    const d = await dir();
    await writeFile(path.join(d, LOCK_FILE_NAME), JSON.stringify({ pid: 4242, start: '777', startedAt: '2026-01-01T00:00:00.000Z' }));
    const deps = { isAlive: (pid: number) => pid === 4242, startToken: (pid: number) => (pid === 4242 ? '777' : '1') };
    await expect(lockDataDir(d, deps)).rejects.toMatchObject({ pid: 4242, message: expect.stringContaining('(pid 4242 holds') });
  });

  it('takes over a stale lock: dead owner, or a reused pid with another start time', async () => {
    const d = await dir();
    const file = path.join(d, LOCK_FILE_NAME);
    await writeFile(file, JSON.stringify({ pid: 4242, start: '777', startedAt: '2026-01-01T00:00:00.000Z' }));
    const dead = await lockDataDir(d, { isAlive: () => false });
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ pid: process.pid });
    await dead.dispose();
    await writeFile(file, JSON.stringify({ pid: 4242, start: '777', startedAt: '2026-01-01T00:00:00.000Z' }));
    const reused = await lockDataDir(d, { isAlive: () => true, startToken: (pid) => (pid === 4242 ? '999' : '1') });
    await reused.dispose();
  });

  it('takes over our own pid from an earlier life, and an old torn lock file', async () => {
    const d = await dir();
    const file = path.join(d, LOCK_FILE_NAME);
    await writeFile(file, JSON.stringify({ pid: process.pid, start: null, startedAt: '2026-01-01T00:00:00.000Z' }));
    await (await lockDataDir(d)).dispose();
    await writeFile(file, '{"pid":');
    const old = new Date(Date.now() - 60_000);
    const { utimes } = await import('node:fs/promises');
    await utimes(file, old, old);
    await (await lockDataDir(d)).dispose();
  });

  it('dispose leaves a lock that is no longer ours alone', async () => {
    const d = await dir();
    const file = path.join(d, LOCK_FILE_NAME);
    const lock = await lockDataDir(d);
    await writeFile(file, 'someone else');
    await lock.dispose();
    expect(await readFile(file, 'utf8')).toBe('someone else');
  });
});
