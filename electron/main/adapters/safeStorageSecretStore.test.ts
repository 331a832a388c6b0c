/**
 * Secrets through Electron's safeStorage (safeStorageSecretStore.ts) with a fake safeStorage
 * (a reversible cipher, so a round trip through the async API and the ciphertext on disk can be
 * checked): the basic_text backend and unavailable encryption are refused, so the host keeps
 * its 0600 file store with a warning; secrets round-trip; a rotated key re-encrypts; an identity
 * `codex-host serve` keeps in the OS keyring is read from there and left there.
 */
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger, type Logger } from '../../../shared/util/logger.js';
import { nodeSecretStores, openSecretStore, type SecretStore } from '../../../host/identity/secretStore.js';
import { openHostIdentity } from '../../../host/identity/hostIdentity.js';
import { safeStorageRefusal, safeStorageSecretStores, type SafeStorageModule } from './safeStorageSecretStore.js';

/** A stand-in for safeStorage: XOR with a key byte plus a marker, async like the real API. */
class FakeSafeStorage implements SafeStorageModule {
  available = true;
  backend = 'gnome_libsecret';
  key = 0x5a;
  encrypts = 0;
  isAsyncEncryptionAvailable = () => Promise.resolve(this.available);
  getSelectedStorageBackend = () => this.backend;
  encryptStringAsync = (plain: string) => {
    this.encrypts++;
    return Promise.resolve(Buffer.concat([Buffer.from([0xee, this.key]), Buffer.from(plain, 'utf8').map((b) => b ^ this.key)]));
  };
  decryptStringAsync = (enc: Buffer) => {
    if (enc[0] !== 0xee) return Promise.reject(new Error('not ours'));
    const usedKey = enc[1]!;
    const result = Buffer.from(enc.subarray(2).map((b) => b ^ usedKey)).toString('utf8');
    return Promise.resolve({ result, shouldReEncrypt: usedKey !== this.key });
  };
}

class MemoryStore implements SecretStore {
  readonly kind = 'keyring';
  readonly location = 'the OS secret store (test)';
  readonly values = new Map<string, string>();
  get = (n: string) => Promise.resolve(this.values.get(n));
  set = (n: string, v: string) => Promise.resolve(void this.values.set(n, v));
  delete = (n: string) => Promise.resolve(void this.values.delete(n));
}

function capture(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return { ...silentLogger, warn: (m: string) => warnings.push(m), child: () => silentLogger, warnings } as Logger & { warnings: string[] };
}

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'safe-storage-'));
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

const noKeyring = () => Promise.resolve(undefined);

describe('secrets through Electron safeStorage', () => {
  it('refuses the Linux basic_text backend: the host keeps its 0600 file store and warns', async () => {
    const safe = new FakeSafeStorage();
    safe.backend = 'basic_text';
    const logger = capture();
    const store = await openSecretStore(dataDir, 'auto', logger, 'host-identity-seed', safeStorageSecretStores({ safeStorage: safe, platform: 'linux', keyringFallback: noKeyring }));
    expect(store.kind).toBe('file');
    expect(store.location).toBe(join(dataDir, 'secrets'));
    expect(logger.warnings).toEqual([
      `no durable OS secret store is usable (Electron safeStorage would use its basic_text backend here (no Secret Service or KWallet recognised: a fixed key, not real protection)); keeping secrets in ${join(dataDir, 'secrets')} (mode 0600)`,
    ]);
    expect(safe.encrypts).toBe(0);
    // basic_text only exists on Linux; elsewhere the backend name is not consulted.
    await expect(safeStorageRefusal(safe, 'darwin')).resolves.toBeUndefined();
  });

  it('refuses when safeStorage cannot encrypt, and names that in the warning', async () => {
    const safe = new FakeSafeStorage();
    safe.available = false;
    const logger = capture();
    const store = await openSecretStore(dataDir, 'auto', logger, 'host-identity-seed', safeStorageSecretStores({ safeStorage: safe, platform: 'win32', keyringFallback: noKeyring }));
    expect(store.kind).toBe('file');
    expect(logger.warnings[0]).toContain('Electron safeStorage cannot encrypt on this computer');
    await expect(openSecretStore(dataDir, 'keyring', logger, 'x', safeStorageSecretStores({ safeStorage: safe, platform: 'win32', keyringFallback: noKeyring }))).rejects.toThrow(
      'secret store: no durable OS secret store is usable (Electron safeStorage cannot encrypt on this computer); use --secret-store file or auto',
    );
  });

  it('round-trips a secret through the async API, keeping only ciphertext on disk (0600)', async () => {
    const safe = new FakeSafeStorage();
    const store = await openSecretStore(dataDir, 'auto', capture(), 'host-identity-seed', safeStorageSecretStores({ safeStorage: safe, platform: 'linux', keyringFallback: noKeyring }));
    expect(store.location).toBe(`Electron safeStorage (gnome_libsecret), encrypted in ${join(dataDir, 'secrets')}`);
    const seed = 'q3Jm7w0k3n1bQb6m0yXo6d9pV4uS2r8tA1cE5fG7hIk';
    await store.set('host-identity-seed', seed);
    const file = join(dataDir, 'secrets', 'host-identity-seed.safestorage');
    const onDisk = await readFile(file);
    expect(onDisk.includes(Buffer.from(seed))).toBe(false);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    await expect(store.get('host-identity-seed')).resolves.toBe(seed);
    // The probe cleaned up after itself; nothing else is in the folder.
    expect(await readdir(join(dataDir, 'secrets'))).toEqual(['host-identity-seed.safestorage']);
    await store.delete('host-identity-seed');
    await expect(store.get('host-identity-seed')).resolves.toBeUndefined();
  });

  it('re-encrypts a secret whose key was rotated', async () => {
    const safe = new FakeSafeStorage();
    const stores = safeStorageSecretStores({ safeStorage: safe, platform: 'darwin', keyringFallback: noKeyring });
    const store = await stores.os(dataDir);
    expect(store.location).toContain('Electron safeStorage (Keychain)');
    await store.set('host-identity-seed', 'seed-value');
    safe.key = 0x33;
    await expect(store.get('host-identity-seed')).resolves.toBe('seed-value');
    expect((await readFile(join(dataDir, 'secrets', 'host-identity-seed.safestorage')))[1]).toBe(0x33);
  });

  it('says so when a stored secret cannot be decrypted', async () => {
    const store = await safeStorageSecretStores({ safeStorage: new FakeSafeStorage(), platform: 'win32', keyringFallback: noKeyring }).os(dataDir);
    await writeFile(join(dataDir, 'secrets', 'host-identity-seed.safestorage'), 'garbage');
    await expect(store.get('host-identity-seed')).rejects.toThrow(/safeStorage cannot decrypt .*host-identity-seed\.safestorage \(not ours\)/);
  });

  it('keeps using an identity `codex-host serve` stored in the OS keyring, and leaves it there', async () => {
    const keyring = new MemoryStore();
    const headless = await openHostIdentity(dataDir, 'keyring', silentLogger, { ...nodeSecretStores('linux'), os: () => Promise.resolve(keyring), legacy: () => Promise.resolve([]) });
    const desktop = await openHostIdentity(dataDir, 'auto', silentLogger, safeStorageSecretStores({ safeStorage: new FakeSafeStorage(), platform: 'linux', keyringFallback: () => Promise.resolve(keyring) }));
    expect(desktop.hostId).toBe(headless.hostId);
    expect(desktop.created).toBe(false);
    expect(keyring.values.has('host-identity-seed')).toBe(true);
  });
});
