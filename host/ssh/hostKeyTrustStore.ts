/**
 * The host's own trust decisions for SSH host keys (style.md G10: vscode keeps its own store and
 * only reads known_hosts). One JSON file in the data dir, written atomically; writes are
 * serialized. A file that exists but cannot be parsed fails closed: every check throws and
 * nothing is written over it, so a corrupt store never turns into "trust everything" or loses
 * the old decisions (anti-pattern 9).
 */
import { z } from 'zod';
import { errorMessage } from '../../shared/util/errors.js';
import { readJsonFile, writeJsonAtomic } from '../storage/atomicFile.js';
import { fingerprintSha256, keyTypeOfBlob } from './knownHosts.js';

const MAX_KEYS = 10_000;

const storedKeySchema = z.object({
  host: z.string().min(1).max(300),
  keyType: z.string().min(1).max(64),
  key: z.string().min(1).max(16_384).regex(/^[A-Za-z0-9+/]+={0,2}$/),
  fingerprint: z.string().startsWith('SHA256:'),
  addedAt: z.string(),
});
const storeSchema = z.object({ version: z.literal(1), keys: z.array(storedKeySchema).max(MAX_KEYS) });
type StoredKey = z.output<typeof storedKeySchema>;

export type TrustVerdict = { readonly kind: 'trusted' } | { readonly kind: 'changed'; readonly fingerprint: string } | { readonly kind: 'unknown' };

export interface HostKeyTrustStoreOptions {
  readonly file: string;
  readonly now?: () => Date;
}

export class HostKeyTrustStore {
  readonly #file: string;
  readonly #now: () => Date;
  #keys: StoredKey[] | undefined;
  #loadError: Error | undefined;
  #chain: Promise<unknown> = Promise.resolve();

  constructor(options: HostKeyTrustStoreOptions) {
    this.#file = options.file;
    this.#now = options.now ?? (() => new Date());
  }

  /** The verdict for `key` at `host` (the known_hosts name form). Throws when the store is corrupt. */
  async check(host: string, key: Buffer): Promise<TrustVerdict> {
    const keys = await this.#load();
    const type = keyTypeOfBlob(key);
    const b64 = key.toString('base64');
    const forHost = keys.filter((k) => k.host === host);
    if (forHost.some((k) => k.key === b64)) return { kind: 'trusted' };
    const changed = forHost.find((k) => k.keyType === type);
    return changed ? { kind: 'changed', fingerprint: changed.fingerprint } : { kind: 'unknown' };
  }

  /** Key types trusted for `host`. */
  async keyTypes(host: string): Promise<string[]> {
    return [...new Set((await this.#load()).filter((k) => k.host === host).map((k) => k.keyType))];
  }

  /** Trusts `key` for `host` (replacing nothing: a different key of the same type is a change, refused by the caller). */
  trust(host: string, key: Buffer): Promise<void> {
    return this.#serialize(async () => {
      const keys = await this.#load();
      const b64 = key.toString('base64');
      if (keys.some((k) => k.host === host && k.key === b64)) return;
      if (keys.length >= MAX_KEYS) throw new Error(`the SSH trust store holds ${MAX_KEYS} keys already`);
      const next = [...keys, { host, keyType: keyTypeOfBlob(key), key: b64, fingerprint: fingerprintSha256(key), addedAt: this.#now().toISOString() }];
      await writeJsonAtomic(this.#file, { version: 1, keys: next });
      this.#keys = next;
    });
  }

  /** Forgets every key stored for `host` (when the user removes the host). */
  forget(host: string): Promise<void> {
    return this.#serialize(async () => {
      const keys = await this.#load();
      const next = keys.filter((k) => k.host !== host);
      if (next.length === keys.length) return;
      await writeJsonAtomic(this.#file, { version: 1, keys: next });
      this.#keys = next;
    });
  }

  async #load(): Promise<StoredKey[]> {
    if (this.#keys) return this.#keys;
    if (this.#loadError) throw this.#loadError;
    try {
      const parsed = await readJsonFile(this.#file, storeSchema);
      this.#keys = parsed?.keys ?? [];
      return this.#keys;
    } catch (err) {
      this.#loadError = new Error(`the SSH host key trust store ${this.#file} cannot be read (${errorMessage(err)}); fix or remove it — no host key is trusted until then`);
      throw this.#loadError;
    }
  }

  #serialize<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#chain.then(fn, fn);
    this.#chain = run.catch(() => undefined);
    return run;
  }
}
