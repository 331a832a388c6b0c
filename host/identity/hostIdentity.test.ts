import { readFile, stat, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { toB64u } from '../../shared/util/encoding.js';
import { createLineLogger, silentLogger } from '../../shared/util/logger.js';
import { loadOrCreateHostIdentity, openHostIdentity } from './hostIdentity.js';
import { FileSecretStore, openSecretStore, type SecretStore, type SecretStores } from './secretStore.js';
import { useTempDirs } from '../testing/tempDirs.js';

const tempDir = useTempDirs('id-');

describe('host identity on the file secret store', () => {
  it('is created once (0600 file) and loaded unchanged afterwards', async () => {
    const d = await tempDir();
    const store = await openSecretStore(d, 'file', silentLogger, 'host-identity-seed');
    const a = await loadOrCreateHostIdentity(store);
    expect(a.created).toBe(true);
    expect(a.hostId).toMatch(/^[0-9a-f]{32}$/);
    expect((await stat(path.join(d, 'secrets', 'host-identity-seed'))).mode & 0o777).toBe(0o600);
    const b = await loadOrCreateHostIdentity(await openSecretStore(d, 'auto', silentLogger, 'host-identity-seed'));
    expect(b).toMatchObject({ created: false, hostId: a.hostId });
  });

  it('refuses to replace a corrupt identity silently', async () => {
    const d = await tempDir();
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
    const d = await tempDir();
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

/** An in-memory keyring-kind store (stands in for the OS or the kernel keyring). */
class MemoryStore implements SecretStore {
  readonly kind = 'keyring';
  readonly values = new Map<string, string>();
  constructor(readonly location: string) {}
  get(name: string) {
    return Promise.resolve(this.values.get(name));
  }
  set(name: string, value: string) {
    this.values.set(name, value);
    return Promise.resolve();
  }
  delete(name: string) {
    this.values.delete(name);
    return Promise.resolve();
  }
}

function storesWith(os: MemoryStore | undefined, kernel: MemoryStore): SecretStores {
  return {
    file: (d) => new FileSecretStore(path.join(d, 'secrets')),
    os: () => (os ? Promise.resolve(os) : Promise.reject(new Error('no Secret Service answers'))),
    legacy: () => Promise.resolve([kernel]),
  };
}

/** What an older version left behind: the seed in the kernel keyring, the marker saying "keyring". */
async function oldHostInKernelKeyring() {
  const d = await tempDir();
  const kernel = new MemoryStore('the Linux kernel keyring (service "Codex Host")');
  const old = await loadOrCreateHostIdentity(kernel);
  await writeFile(path.join(d, 'identity.json'), JSON.stringify({ hostId: old.hostId, store: 'keyring', createdAt: '2026-01-01T00:00:00.000Z' }));
  return { d, kernel, old };
}

describe('an identity left in the kernel keyring (red-team P9)', () => {
  it('auto never puts a new identity in the kernel keyring: the file store where no durable store answers', async () => {
    const d = await tempDir();
    const kernel = new MemoryStore('kernel');
    const id = await openHostIdentity(d, 'auto', silentLogger, storesWith(undefined, kernel));
    expect(id.store.kind).toBe('file');
    expect(kernel.values.size).toBe(0);
    expect(JSON.parse(await readFile(path.join(d, 'identity.json'), 'utf8'))).toMatchObject({ hostId: id.hostId, store: 'file' });
  });

  it('moves to the 0600 file store on the next start (auto, no Secret Service), same host id', async () => {
    const { d, kernel, old } = await oldHostInKernelKeyring();
    const lines: string[] = [];
    const moved = await openHostIdentity(d, 'auto', createLineLogger((l) => lines.push(l), 'info'), storesWith(undefined, kernel));
    expect(moved).toMatchObject({ hostId: old.hostId, created: false, store: { kind: 'file' } });
    expect(kernel.values.size).toBe(0);
    expect((await stat(path.join(d, 'secrets', 'host-identity-seed'))).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(path.join(d, 'identity.json'), 'utf8'))).toMatchObject({ hostId: old.hostId, store: 'file', createdAt: '2026-01-01T00:00:00.000Z' });
    expect(lines.some((l) => l.includes(`moved the host identity ${old.hostId} from the Linux kernel keyring`) && l.includes('paired devices keep working'))).toBe(true);
    // "After a reboot" (the kernel keyring is empty anyway now): the same identity loads.
    expect((await openHostIdentity(d, 'auto', silentLogger, storesWith(undefined, new MemoryStore('empty')))).hostId).toBe(old.hostId);
  });

  it('moves to the Secret Service when one answers', async () => {
    const { d, kernel, old } = await oldHostInKernelKeyring();
    const secretService = new MemoryStore('the Secret Service');
    const moved = await openHostIdentity(d, 'auto', silentLogger, storesWith(secretService, kernel));
    expect(moved).toMatchObject({ hostId: old.hostId, store: { location: 'the Secret Service' } });
    expect(secretService.values.get('host-identity-seed')).toBe(toB64u(old.identity.seed));
    expect(kernel.values.size).toBe(0);
    expect((await openHostIdentity(d, 'auto', silentLogger, storesWith(secretService, new MemoryStore('empty')))).hostId).toBe(old.hostId);
  });

  it('--secret-store keyring with no durable store: a clear refusal, nothing moved', async () => {
    const { d, kernel, old } = await oldHostInKernelKeyring();
    await expect(openHostIdentity(d, 'keyring', silentLogger, storesWith(undefined, kernel))).rejects.toThrow(
      `the host identity ${old.hostId} is in the Linux kernel keyring (service "Codex Host"), which is lost at reboot, and no durable OS secret store answers to move it to (no Secret Service answers); start once with --secret-store auto to move it to the 0600 file store`,
    );
    expect(kernel.values.size).toBe(1);
  });

  it('leaves a kernel-keyring seed of another identity alone', async () => {
    const { d, kernel } = await oldHostInKernelKeyring();
    await writeFile(path.join(d, 'identity.json'), JSON.stringify({ hostId: 'ab'.repeat(16), store: 'keyring', createdAt: '2026-01-01T00:00:00.000Z' }));
    await expect(openHostIdentity(d, 'auto', silentLogger, storesWith(undefined, kernel))).rejects.toThrow(/is kept in the OS secret store, which is not usable here/);
    expect(kernel.values.size).toBe(1);
  });
});
