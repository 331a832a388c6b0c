import { mkdtemp, stat, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../shared/util/logger.js';
import { loadOrCreateHostIdentity } from './hostIdentity.js';
import { openSecretStore } from './secretStore.js';

describe('host identity on the file secret store', () => {
  it('is created once (0600 file) and loaded unchanged afterwards', async () => {
    const d = await mkdtemp(path.join(os.tmpdir(), 'id-'));
    const store = await openSecretStore(d, 'file', silentLogger, 'host-identity-seed');
    const a = await loadOrCreateHostIdentity(store);
    expect(a.created).toBe(true);
    expect(a.hostId).toMatch(/^[0-9a-f]{32}$/);
    expect((await stat(path.join(d, 'secrets', 'host-identity-seed'))).mode & 0o777).toBe(0o600);
    const b = await loadOrCreateHostIdentity(await openSecretStore(d, 'auto', silentLogger, 'host-identity-seed'));
    expect(b).toMatchObject({ created: false, hostId: a.hostId });
  });

  it('refuses to replace a corrupt identity silently', async () => {
    const d = await mkdtemp(path.join(os.tmpdir(), 'id-'));
    await mkdir(path.join(d, 'secrets'));
    await writeFile(path.join(d, 'secrets', 'host-identity-seed'), 'not base64url!!');
    const store = await openSecretStore(d, 'file', silentLogger, 'host-identity-seed');
    await expect(loadOrCreateHostIdentity(store)).rejects.toThrow(/is corrupt; restore it or remove it/);
  });
});

describe('the identity marker', () => {
  it('refuses to make a new identity silently when the stored one is gone', async () => {
    const { openHostIdentity } = await import('./hostIdentity.js');
    const { rm } = await import('node:fs/promises');
    const d = await mkdtemp(path.join(os.tmpdir(), 'id-'));
    const first = await openHostIdentity(d, 'file', silentLogger);
    expect((await openHostIdentity(d, 'auto', silentLogger)).hostId).toBe(first.hostId);
    await rm(path.join(d, 'secrets'), { recursive: true });
    await expect(openHostIdentity(d, 'auto', silentLogger)).rejects.toThrow(
      new RegExp(`the host identity ${first.hostId} is missing from .*secrets.*remove .*identity\\.json to create a new identity`),
    );
    await rm(path.join(d, 'identity.json'));
    expect((await openHostIdentity(d, 'auto', silentLogger)).hostId).not.toBe(first.hostId);
  });
});
