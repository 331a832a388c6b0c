import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateIdentity, idFromPublicKey } from '../../shared/crypto/identity.js';
import { toB64u } from '../../shared/util/encoding.js';
import { silentLogger } from '../../shared/util/logger.js';
import { REMOTES_FILE_NAME, RemotesStore, type RemoteRecord } from './remotesStore.js';

function record(over: Partial<RemoteRecord> = {}): RemoteRecord {
  const key = generateIdentity().publicKey;
  return {
    hostId: idFromPublicKey(key),
    hostKey: toB64u(key),
    relay: 'ws://127.0.0.1:7000',
    name: 'Studio Mac',
    hostName: 'Studio Mac',
    platform: 'darwin',
    arch: 'arm64',
    hostVersion: '0.1.0',
    codexVersion: '0.171.0',
    addedAt: '2026-01-01T00:00:00.000Z',
    lastSeen: null,
    autoConnect: true,
    removedAt: null,
    ...over,
  };
}

const dir = () => mkdtemp(join(tmpdir(), 'remotes-store-'));

describe('RemotesStore', () => {
  it('keeps records across a reopen, atomically written with mode 0600', async () => {
    const d = await dir();
    const s = await RemotesStore.open(d, silentLogger);
    const r = record();
    await s.put(r);
    await s.update(r.hostId, (x) => ({ ...x, name: 'Work Mac', autoConnect: false }));
    await s.setDevice({ deviceId: 'a'.repeat(32), store: 'file', createdAt: '2026-01-01T00:00:00.000Z' });
    const again = await RemotesStore.open(d, silentLogger);
    expect(again.get(r.hostId)).toMatchObject({ name: 'Work Mac', autoConnect: false, hostKey: r.hostKey });
    expect(again.device?.deviceId).toBe('a'.repeat(32));
    expect(again.problem).toBeUndefined();
    expect(await again.remove(r.hostId)).toBe(true);
    expect(await again.remove(r.hostId)).toBe(false);
  });

  it('fails closed on a corrupt file: moved aside, nothing controlled, the problem named', async () => {
    const d = await dir();
    await writeFile(join(d, REMOTES_FILE_NAME), '{"version":1,"remotes":[{"hostId":"nope"}]');
    const s = await RemotesStore.open(d, silentLogger);
    expect(s.list()).toEqual([]);
    expect(s.problem).toMatch(/remotes\.json was unreadable .*moved to .*remotes\.json\.corrupt-\d+ and no host is controlled until added again/);
    const aside = readdirSync(d).find((f) => f.startsWith(`${REMOTES_FILE_NAME}.corrupt-`))!;
    expect(readFileSync(join(d, aside), 'utf8')).toBe('{"version":1,"remotes":[{"hostId":"nope"}]');
    expect(existsSync(join(d, REMOTES_FILE_NAME))).toBe(false);
  });

  it('treats a record whose host id is not its key\u2019s id as corruption (a pinned key is never swapped)', async () => {
    const d = await dir();
    const r = record({ hostId: 'b'.repeat(32) });
    await writeFile(join(d, REMOTES_FILE_NAME), JSON.stringify({ version: 1, device: null, remotes: [r] }));
    const s = await RemotesStore.open(d, silentLogger);
    expect(s.list()).toEqual([]);
    expect(s.problem).toMatch(/does not match hostKey/);
  });

  it('refuses every write when a corrupt file cannot be moved aside, and keeps memory as the disk has it when a write fails', async () => {
    const d = await dir();
    await writeFile(join(d, REMOTES_FILE_NAME), 'garbage');
    const blocked = await RemotesStore.open(d, silentLogger, { rename: () => Promise.reject(new Error('EPERM')) });
    await expect(blocked.put(record())).rejects.toThrow(/not saved: .*could not be moved aside \(EPERM\)/);
    expect(readFileSync(join(d, REMOTES_FILE_NAME), 'utf8')).toBe('garbage');

    const d2 = await dir();
    const failing = await RemotesStore.open(d2, silentLogger, { writeJson: () => Promise.reject(new Error('ENOSPC')) });
    await expect(failing.put(record())).rejects.toThrow(/could not save .*ENOSPC/);
    expect(failing.list()).toEqual([]);
  });
});
