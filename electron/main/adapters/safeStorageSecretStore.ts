/**
 * Secrets in the desktop app through Electron's `safeStorage` (docs/desktop.md, "Secrets"): the
 * host's secrets (its identity seed) are encrypted with the async API (`encryptStringAsync` /
 * `decryptStringAsync`, key in the macOS Keychain, Windows DPAPI, or the Linux Secret Service /
 * KWallet) and the ciphertext is written atomically, 0600, as `<dataDir>/secrets/<name>.safestorage`.
 *
 * Refused, so the host keeps its 0600 file store instead and says so in a warning
 * (`openSecretStore` logs "no durable OS secret store is usable (…); keeping secrets in …"):
 * - when `isAsyncEncryptionAvailable()` is false;
 * - on Linux when safeStorage picked its `basic_text` backend (an unrecognised desktop, or
 *   `--password-store=basic`): that "encryption" uses a fixed key and protects nothing.
 *
 * A host identity that `codex-host serve` created earlier in the OS keyring (through
 * `@napi-rs/keyring`) is read from there when safeStorage does not hold it, and left there, so
 * the headless host on the same data dir keeps working. The modules come in as arguments typed
 * by the subsets below; tests pass fakes, never loading Electron.
 */
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { errorMessage } from '../../../shared/util/errors.js';
import { KeyringSecretStore, nodeSecretStores, type EntryCtor, type SecretStore, type SecretStores } from '../../../host/identity/secretStore.js';
import { writeFileAtomic } from '../../../host/storage/atomicFile.js';
import { readBoundedFile } from '../../../host/storage/boundedRead.js';

/** The subset of Electron's `safeStorage` used (the async API only). */
export interface SafeStorageModule {
  isAsyncEncryptionAvailable(): Promise<boolean>;
  encryptStringAsync(plainText: string): Promise<Buffer>;
  decryptStringAsync(encrypted: Buffer): Promise<{ result: string; shouldReEncrypt: boolean }>;
  getSelectedStorageBackend(): string;
}

export const SAFE_STORAGE_SUFFIX = '.safestorage';
/** Ciphertext of a 44-character seed is well under this. */
const MAX_CIPHERTEXT_BYTES = 64 * 1024;

/** Why safeStorage must not hold secrets here, or undefined when it may. */
export async function safeStorageRefusal(safeStorage: SafeStorageModule, platform: NodeJS.Platform): Promise<string | undefined> {
  let available: boolean;
  try {
    available = await safeStorage.isAsyncEncryptionAvailable();
  } catch (err) {
    return `Electron safeStorage failed to start (${errorMessage(err)})`;
  }
  if (!available) return 'Electron safeStorage cannot encrypt on this computer';
  if (platform === 'linux') {
    const backend = safeStorage.getSelectedStorageBackend();
    if (backend === 'basic_text') {
      return 'Electron safeStorage would use its basic_text backend here (no Secret Service or KWallet recognised: a fixed key, not real protection)';
    }
  }
  return undefined;
}

/** One file of ciphertext per secret under `dir` (0700), encrypted by safeStorage. */
export class SafeStorageSecretStore implements SecretStore {
  readonly kind = 'keyring';
  readonly location: string;
  readonly #safe: SafeStorageModule;
  readonly #dir: string;

  constructor(safeStorage: SafeStorageModule, dir: string, backend: string) {
    this.#safe = safeStorage;
    this.#dir = dir;
    this.location = `Electron safeStorage (${backend}), encrypted in ${dir}`;
  }

  async get(name: string): Promise<string | undefined> {
    const file = this.#path(name);
    let bytes: Uint8Array;
    try {
      bytes = (await readBoundedFile(file, MAX_CIPHERTEXT_BYTES)).bytes;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new Error(`secret store: cannot read ${file}: ${errorMessage(err)}`);
    }
    let out: { result: string; shouldReEncrypt: boolean };
    try {
      out = await this.#safe.decryptStringAsync(Buffer.from(bytes));
    } catch (err) {
      throw new Error(`secret store: safeStorage cannot decrypt ${file} (${errorMessage(err)})`);
    }
    // The OS key was rotated or upgraded: store the secret again under the new one.
    if (out.shouldReEncrypt) await this.set(name, out.result);
    return out.result;
  }

  async set(name: string, value: string): Promise<void> {
    const file = this.#path(name);
    const encrypted = await this.#safe.encryptStringAsync(value);
    await mkdir(this.#dir, { recursive: true, mode: 0o700 });
    await writeFileAtomic(file, encrypted, 0o600);
  }

  async delete(name: string): Promise<void> {
    await rm(this.#path(name), { force: true });
  }

  #path(name: string): string {
    if (!/^[a-z0-9-]{1,64}$/.test(name)) throw new Error(`secret store: invalid secret name ${JSON.stringify(name)}`);
    return path.join(this.#dir, `${name}${SAFE_STORAGE_SUFFIX}`);
  }
}

/**
 * safeStorage for new secrets, reading a secret it does not hold from `fallback` (the OS keyring
 * where `codex-host serve` keeps its identity) and leaving it there.
 */
class DesktopSecretStore implements SecretStore {
  readonly kind = 'keyring';
  readonly location: string;
  constructor(
    readonly safe: SafeStorageSecretStore,
    readonly fallback: SecretStore | undefined,
  ) {
    this.location = safe.location;
  }

  async get(name: string): Promise<string | undefined> {
    const mine = await this.safe.get(name);
    if (mine !== undefined || !this.fallback) return mine;
    return this.fallback.get(name).catch(() => undefined);
  }

  set(name: string, value: string): Promise<void> {
    return this.safe.set(name, value);
  }

  delete(name: string): Promise<void> {
    return this.safe.delete(name);
  }
}

export interface SafeStorageStoresOptions {
  readonly safeStorage: SafeStorageModule;
  readonly platform?: NodeJS.Platform;
  /**
   * Where the headless host keeps secrets, read when safeStorage lacks one (default: the OS
   * keyring through @napi-rs/keyring, without a probe so nothing is written there).
   */
  readonly keyringFallback?: (dataDir: string) => Promise<SecretStore | undefined>;
}

async function nodeKeyringReader(dataDir: string, platform: NodeJS.Platform): Promise<SecretStore | undefined> {
  try {
    const { AsyncEntry } = (await import('@napi-rs/keyring')) as unknown as { AsyncEntry: EntryCtor };
    return new KeyringSecretStore(AsyncEntry, dataDir, platform === 'linux' ? 'secret-service' : undefined);
  } catch {
    return undefined;
  }
}

/** Proves a store works: write, read back, delete. */
async function probe(store: SecretStore): Promise<SecretStore> {
  const name = `probe-${process.pid}`;
  await store.set(name, 'ok');
  const back = await store.get(name);
  await store.delete(name);
  if (back !== 'ok') throw new Error('Electron safeStorage accepted a secret but did not return it');
  return store;
}

/** The `SecretStores` the desktop app passes to `createHost`. */
export function safeStorageSecretStores(o: SafeStorageStoresOptions): SecretStores {
  const platform = o.platform ?? process.platform;
  const node = nodeSecretStores(platform);
  const fallback = o.keyringFallback ?? ((dataDir: string) => nodeKeyringReader(dataDir, platform));
  return {
    file: node.file,
    os: async (dataDir) => {
      const refusal = await safeStorageRefusal(o.safeStorage, platform);
      if (refusal) throw new Error(refusal);
      const backend = platform === 'linux' ? o.safeStorage.getSelectedStorageBackend() : platform === 'darwin' ? 'Keychain' : platform === 'win32' ? 'DPAPI' : platform;
      const safe = await probe(new SafeStorageSecretStore(o.safeStorage, path.join(dataDir, 'secrets'), backend));
      return new DesktopSecretStore(safe as SafeStorageSecretStore, await fallback(dataDir));
    },
    legacy: node.legacy,
  };
}
