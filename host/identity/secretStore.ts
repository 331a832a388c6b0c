/**
 * Where the host keeps secrets (its Ed25519 identity seed): a durable OS secret store through
 * `@napi-rs/keyring` (Keychain on macOS, Credential Manager on Windows, the Secret Service —
 * gnome-keyring, KWallet — on Linux) when one answers, else a 0600 file in the data dir
 * (headless Linux, CI). The choice is made once per start by a write-read-delete probe,
 * because some keyrings accept a write and then fail the read.
 *
 * Linux's kernel keyring (keyutils) is never chosen: it lives in kernel memory, is lost at
 * reboot and expires after days unused, and paired devices pin the key it would hold. Older
 * versions could put the seed there; it is read from there only to move it to a durable store
 * (`legacy` stores, see hostIdentity.ts).
 *
 * The stores come from a `SecretStores` adapter, so the Electron main can pass its own
 * (safeStorage) instead of the Node keyring.
 */
import { createHash } from 'node:crypto';
import { mkdir, open, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../../shared/util/logger.js';
import { errorMessage } from '../../shared/util/errors.js';
import { readBoundedFile } from '../storage/boundedRead.js';
import { writeFileAtomic } from '../storage/atomicFile.js';

export interface SecretStore {
  readonly kind: 'keyring' | 'file';
  /** Human-readable location, for status output (never the secret). */
  readonly location: string;
  get(name: string): Promise<string | undefined>;
  set(name: string, value: string): Promise<void>;
  delete(name: string): Promise<void>;
}

export const KEYRING_SERVICE = 'Codex Host';
/** The largest secret file read: a seed is 44 characters; anything near this is not ours. */
export const MAX_SECRET_FILE_BYTES = 64 * 1024;
/** Bound on one OS secret store call (a Secret Service that never answers must not hang the start). */
const KEYRING_CALL_TIMEOUT_MS = 10_000;

/** A 0600 file per secret under `<dataDir>/secrets/` (directory 0700). */
export class FileSecretStore implements SecretStore {
  readonly kind = 'file';
  readonly location: string;
  constructor(readonly dir: string) {
    this.location = dir;
  }

  async get(name: string): Promise<string | undefined> {
    const file = this.#path(name);
    try {
      return Buffer.from((await readBoundedFile(file, MAX_SECRET_FILE_BYTES)).bytes)
        .toString('utf8')
        .trim();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new Error(`secret store: cannot read ${file}: ${errorMessage(err)}`);
    }
  }

  async set(name: string, value: string): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    await writeFileAtomic(this.#path(name), `${value}\n`, 0o600);
  }

  async delete(name: string): Promise<void> {
    await rm(this.#path(name), { force: true });
  }

  /** True if a secret file exists (a host that started on the file store keeps using it). */
  async has(name: string): Promise<boolean> {
    try {
      const fh = await open(this.#path(name), 'r');
      await fh.close();
      return true;
    } catch {
      return false;
    }
  }

  #path(name: string): string {
    if (!/^[a-z0-9-]{1,64}$/.test(name)) throw new Error(`secret store: invalid secret name ${JSON.stringify(name)}`);
    return path.join(this.dir, name);
  }
}

/** The structural subset of @napi-rs/keyring's AsyncEntry that we use (adapter boundary). */
export interface KeyringEntry {
  setPassword(password: string, signal?: AbortSignal): Promise<void>;
  getPassword(signal?: AbortSignal): Promise<string | null>;
  deletePassword(signal?: AbortSignal): Promise<boolean>;
}
export type LinuxKeyringBackend = 'secret-service' | 'keyutils';
export type EntryCtor = new (service: string, account: string, options?: { linux?: { store?: LinuxKeyringBackend } }) => KeyringEntry;

export class KeyringSecretStore implements SecretStore {
  readonly kind = 'keyring';
  readonly location: string;
  readonly #Entry: EntryCtor;
  readonly #scope: string;
  readonly #linux: LinuxKeyringBackend | undefined;

  /**
   * `scope` separates hosts that use different data dirs on one account; `linux` pins the
   * Linux backend (ignored elsewhere by the library).
   */
  constructor(Entry: EntryCtor, scope: string, linux?: LinuxKeyringBackend) {
    this.#Entry = Entry;
    this.#scope = createHash('sha256').update(scope).digest('hex').slice(0, 12);
    this.#linux = linux;
    this.location =
      linux === 'keyutils' ? `the Linux kernel keyring (service "${KEYRING_SERVICE}")` : linux === 'secret-service' ? `the Secret Service (service "${KEYRING_SERVICE}")` : `the OS secret store (service "${KEYRING_SERVICE}")`;
  }

  async get(name: string): Promise<string | undefined> {
    return (await this.#entry(name).getPassword(AbortSignal.timeout(KEYRING_CALL_TIMEOUT_MS))) ?? undefined;
  }

  async set(name: string, value: string): Promise<void> {
    await this.#entry(name).setPassword(value, AbortSignal.timeout(KEYRING_CALL_TIMEOUT_MS));
  }

  async delete(name: string): Promise<void> {
    await this.#entry(name).deletePassword(AbortSignal.timeout(KEYRING_CALL_TIMEOUT_MS));
  }

  #entry(name: string): KeyringEntry {
    return new this.#Entry(KEYRING_SERVICE, `${name}@${this.#scope}`, this.#linux ? { linux: { store: this.#linux } } : undefined);
  }
}

export type SecretStoreChoice = 'auto' | 'keyring' | 'file';

/** Where secrets can be kept; the Electron main passes its own (safeStorage) implementation. */
export interface SecretStores {
  /** The 0600 file store under `<dataDir>/secrets/`. */
  file(dataDir: string): FileSecretStore;
  /** The durable OS store after a write-read-delete probe; rejects with the reason when none answers. */
  os(dataDir: string): Promise<SecretStore>;
  /**
   * Non-durable stores an older version may have written (Linux: the kernel keyring), read only
   * to move a secret out of them. Empty where there are none.
   */
  legacy(dataDir: string): Promise<SecretStore[]>;
}

/** Loads `@napi-rs/keyring` only when a keyring is actually wanted. */
async function loadEntry(): Promise<EntryCtor> {
  return ((await import('@napi-rs/keyring')) as unknown as { AsyncEntry: EntryCtor }).AsyncEntry;
}

/** Proves a store works: write, read back, delete (some keyrings accept a write and fail the read). */
async function probe(store: SecretStore): Promise<SecretStore> {
  const name = `probe-${process.pid}`;
  await store.set(name, 'ok');
  const back = await store.get(name);
  await store.delete(name);
  if (back !== 'ok') throw new Error('it accepted a write but did not return it');
  return store;
}

/** The Node stores: @napi-rs/keyring (Secret Service only on Linux) and the 0600 file. */
export function nodeSecretStores(platform: NodeJS.Platform = process.platform): SecretStores {
  return {
    file: (dataDir) => new FileSecretStore(path.join(dataDir, 'secrets')),
    os: async (dataDir) => probe(new KeyringSecretStore(await loadEntry(), dataDir, platform === 'linux' ? 'secret-service' : undefined)),
    legacy: async (dataDir) => (platform === 'linux' ? [new KeyringSecretStore(await loadEntry(), dataDir, 'keyutils')] : []),
  };
}

/**
 * Picks the store: `file` and `keyring` force one (`keyring` fails when no durable OS store
 * answers); `auto` keeps using the file store if it already holds `probeName`, else uses the OS
 * store when its probe succeeds, else falls back to the file store with a warning.
 */
export async function openSecretStore(dataDir: string, choice: SecretStoreChoice, logger: Logger, probeName: string, stores: SecretStores = nodeSecretStores()): Promise<SecretStore> {
  const file = stores.file(dataDir);
  if (choice === 'file') return file;
  if (choice === 'auto' && (await file.has(probeName))) return file;
  try {
    return await stores.os(dataDir);
  } catch (err) {
    if (choice === 'keyring') throw new Error(`secret store: no durable OS secret store is usable (${errorMessage(err)}); use --secret-store file or auto`);
    logger.warn(`no durable OS secret store is usable (${errorMessage(err)}); keeping secrets in ${file.location} (mode 0600)`);
    return file;
  }
}
