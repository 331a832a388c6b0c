/**
 * Where the host keeps secrets (its Ed25519 identity seed): the OS secret store through
 * `@napi-rs/keyring` (Keychain, Credential Manager, Secret Service / kernel keyring) when it
 * works, else a 0600 file in the data dir (headless Linux without a keyring, CI). The choice is
 * made once per start by a write-read-delete probe, because some Linux keyrings accept a write
 * and then fail the read (docs/security.md).
 */
import { createHash } from 'node:crypto';
import { open, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../../shared/util/logger.js';
import { writeFileAtomic } from '../storage/atomicFile.js';
import { errorMessage } from '../../shared/util/errors.js';

export interface SecretStore {
  readonly kind: 'keyring' | 'file';
  /** Human-readable location, for status output (never the secret). */
  readonly location: string;
  get(name: string): Promise<string | undefined>;
  set(name: string, value: string): Promise<void>;
  delete(name: string): Promise<void>;
}

export const KEYRING_SERVICE = 'Codex Host';

/** A 0600 file per secret under `<dataDir>/secrets/` (directory 0700). */
export class FileSecretStore implements SecretStore {
  readonly kind = 'file';
  readonly location: string;
  constructor(readonly dir: string) {
    this.location = dir;
  }

  async get(name: string): Promise<string | undefined> {
    try {
      return (await readFile(this.#path(name), 'utf8')).trim();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new Error(`secret store: cannot read ${this.#path(name)}: ${errorMessage(err)}`);
    }
  }

  async set(name: string, value: string): Promise<void> {
    const { mkdir } = await import('node:fs/promises');
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

/** The structural subset of @napi-rs/keyring's Entry that we use (adapter boundary). */
interface KeyringEntry {
  setPassword(password: string): void;
  getPassword(): string | null;
  deletePassword(): boolean;
}
type EntryCtor = new (service: string, account: string) => KeyringEntry;

export class KeyringSecretStore implements SecretStore {
  readonly kind = 'keyring';
  readonly location: string;
  readonly #Entry: EntryCtor;
  readonly #scope: string;

  /** `scope` separates hosts that use different data dirs on one account. */
  constructor(Entry: EntryCtor, scope: string) {
    this.#Entry = Entry;
    this.#scope = createHash('sha256').update(scope).digest('hex').slice(0, 12);
    this.location = `OS secret store (service "${KEYRING_SERVICE}")`;
  }

  get(name: string): Promise<string | undefined> {
    return Promise.resolve(this.#entry(name).getPassword() ?? undefined);
  }

  set(name: string, value: string): Promise<void> {
    this.#entry(name).setPassword(value);
    return Promise.resolve();
  }

  delete(name: string): Promise<void> {
    this.#entry(name).deletePassword();
    return Promise.resolve();
  }

  #entry(name: string): KeyringEntry {
    return new this.#Entry(KEYRING_SERVICE, `${name}@${this.#scope}`);
  }
}

export type SecretStoreChoice = 'auto' | 'keyring' | 'file';

/**
 * Picks the store: `file` and `keyring` force one; `auto` keeps using the file store if it
 * already holds `probeName`, else uses the keyring when a write-read-delete probe succeeds,
 * else falls back to the file store with a warning.
 */
export async function openSecretStore(dataDir: string, choice: SecretStoreChoice, logger: Logger, probeName: string): Promise<SecretStore> {
  const file = new FileSecretStore(path.join(dataDir, 'secrets'));
  if (choice === 'file') return file;
  if (choice === 'auto' && (await file.has(probeName))) return file;
  try {
    const mod = (await import('@napi-rs/keyring')) as unknown as { Entry: EntryCtor };
    const store = new KeyringSecretStore(mod.Entry, dataDir);
    const probe = `probe-${process.pid}`;
    await store.set(probe, 'ok');
    const back = await store.get(probe);
    await store.delete(probe);
    if (back !== 'ok') throw new Error('the keyring accepted a write but did not return it');
    return store;
  } catch (err) {
    if (choice === 'keyring') throw new Error(`secret store: the OS secret store is not usable: ${errorMessage(err)}`);
    logger.warn(`the OS secret store is not usable (${errorMessage(err)}); keeping secrets in ${file.location} (mode 0600)`);
    return file;
  }
}
