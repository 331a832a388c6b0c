/**
 * The trust records of the hosts this host controls (docs/remotes.md), and which secret store
 * holds this host's controller device key: `remotes.json` in the data dir, written atomically on
 * every change (H6).
 *
 * Per remote (remote-protocol.md §6, plus what a Details view shows): host id, the pinned host
 * key, relay URL, this host's name for it, its own name, OS / arch, Codex and Codex Host
 * versions as it last reported them, added / last seen, the connect toggle, and whether it
 * revoked us.
 *
 * Fails closed: an unreadable file trusts nothing. It is moved aside to
 * `remotes.json.corrupt-<ms>` (never overwritten) and reported as `problem`; if it cannot be
 * moved, every write is refused rather than replace the only copy.
 */
import { existsSync } from 'node:fs';
import { rename } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { parseTrustedHost } from '../../shared/controller/trustedHost.js';
import { hexIdSchema, b64uText } from '../../shared/protocol/ids.js';
import { errorMessage } from '../../shared/util/errors.js';
import type { Logger } from '../../shared/util/logger.js';
import { SchemaParseError } from '../../shared/util/schema.js';
import { readJsonFile, writeJsonAtomic } from '../storage/atomicFile.js';

export const REMOTES_FILE_NAME = 'remotes.json';
/** Hosts one host may control (a bound, so the file always stays loadable). */
export const MAX_REMOTES = 64;

const stamp = z.string().max(40);
const RemoteRecordSchema = z
  .object({
    hostId: hexIdSchema,
    hostKey: b64uText(32),
    relay: z.string().max(2048),
    /** This host's name for the remote (rename changes it). */
    name: z.string().min(1).max(64),
    /** The remote's own name, from its last welcome. */
    hostName: z.string().min(1).max(64),
    platform: z.string().max(32),
    arch: z.string().max(32).nullable(),
    hostVersion: z.string().max(64).nullable(),
    codexVersion: z.string().max(64).nullable(),
    addedAt: stamp,
    lastSeen: stamp.nullable(),
    autoConnect: z.boolean(),
    /** When the remote revoked this host (its sessions are refused with `revoked`). */
    removedAt: stamp.nullable(),
  })
  .strict();
export type RemoteRecord = z.infer<typeof RemoteRecordSchema>;

const DeviceMarkerSchema = z.object({ deviceId: hexIdSchema, store: z.enum(['keyring', 'file']), createdAt: stamp }).strict();
/** Which store holds the controller device key (no secret): a key that went missing is never replaced silently. */
export type DeviceMarker = z.infer<typeof DeviceMarkerSchema>;

const RemotesFileSchema = z
  .object({ version: z.literal(1), device: DeviceMarkerSchema.nullable(), remotes: z.array(RemoteRecordSchema).max(MAX_REMOTES) })
  .strict();

/** File operations (injected in tests). */
export interface RemotesStoreFs {
  rename(from: string, to: string): Promise<void>;
  writeJson(file: string, value: unknown): Promise<void>;
}
const NODE_FS: RemotesStoreFs = { rename, writeJson: (file, value) => writeJsonAtomic(file, value) };

export class RemotesStore {
  readonly file: string;
  readonly #logger: Logger;
  readonly #fs: RemotesStoreFs;
  #remotes: RemoteRecord[] = [];
  #device: DeviceMarker | null = null;
  #problem: string | undefined;
  #writeBlocked: string | undefined;
  #chain: Promise<void> = Promise.resolve();

  private constructor(dataDir: string, logger: Logger, fs: RemotesStoreFs) {
    this.file = path.join(dataDir, REMOTES_FILE_NAME);
    this.#logger = logger;
    this.#fs = fs;
  }

  /** Loads the file; a corrupt one is moved aside (or, failing that, blocks every write). */
  static async open(dataDir: string, logger: Logger, fs: Partial<RemotesStoreFs> = {}, now: () => Date = () => new Date()): Promise<RemotesStore> {
    const s = new RemotesStore(dataDir, logger, { ...NODE_FS, ...fs });
    try {
      const data = await readJsonFile(s.file, RemotesFileSchema);
      // A stored record pins a key: its id, key and relay must agree as a pairing link's do.
      for (const r of data?.remotes ?? []) parseTrustedHost({ hostId: r.hostId, hostKey: r.hostKey, relay: r.relay, name: r.hostName });
      s.#remotes = data?.remotes ?? [];
      s.#device = data?.device ?? null;
    } catch (err) {
      const why = err instanceof SchemaParseError ? err.issues.join('; ') : errorMessage(err);
      let aside = `${s.file}.corrupt-${now().getTime()}`;
      for (let n = 1; existsSync(aside); n++) aside = `${s.file}.corrupt-${now().getTime()}-${n}`;
      try {
        await s.#fs.rename(s.file, aside);
        s.#problem = `the list of controlled hosts ${s.file} was unreadable (${why}); it was moved to ${aside} and no host is controlled until added again`;
      } catch (renameErr) {
        s.#writeBlocked = `the list of controlled hosts ${s.file} is unreadable (${why}) and could not be moved aside (${errorMessage(renameErr)}); fix or move it away, then restart the host`;
        s.#problem = s.#writeBlocked;
      }
      logger.error(s.#problem);
    }
    return s;
  }

  /** What an operator must know (the file was unreadable), or undefined. */
  get problem(): string | undefined {
    return this.#problem;
  }

  list(): readonly RemoteRecord[] {
    return this.#remotes;
  }

  get(hostId: string): RemoteRecord | undefined {
    return this.#remotes.find((r) => r.hostId === hostId);
  }

  get device(): DeviceMarker | null {
    return this.#device;
  }

  /** Records which store holds the controller device key. */
  setDevice(marker: DeviceMarker): Promise<void> {
    return this.#mutate(() => {
      this.#device = marker;
    });
  }

  /** Adds a remote, or replaces the record with the same host id. */
  put(record: RemoteRecord): Promise<RemoteRecord> {
    return this.#mutate(() => {
      const exists = this.#remotes.some((r) => r.hostId === record.hostId);
      if (!exists && this.#remotes.length >= MAX_REMOTES) throw new Error(`remotes: at most ${MAX_REMOTES} controlled hosts; remove one first`);
      const checked = RemoteRecordSchema.parse(record);
      this.#remotes = exists ? this.#remotes.map((r) => (r.hostId === record.hostId ? checked : r)) : [...this.#remotes, checked];
      return checked;
    });
  }

  /** Changes fields of one remote; resolves to the new record, or undefined if there is none. */
  update(hostId: string, change: (r: RemoteRecord) => RemoteRecord): Promise<RemoteRecord | undefined> {
    return this.#mutate(() => {
      const current = this.#remotes.find((r) => r.hostId === hostId);
      if (!current) return undefined;
      const next = RemoteRecordSchema.parse(change(current));
      this.#remotes = this.#remotes.map((r) => (r === current ? next : r));
      return next;
    });
  }

  /** Forgets one remote; resolves true if it was there. */
  remove(hostId: string): Promise<boolean> {
    return this.#mutate(() => {
      const before = this.#remotes.length;
      this.#remotes = this.#remotes.filter((r) => r.hostId !== hostId);
      return this.#remotes.length !== before;
    });
  }

  /** Waits for the write in progress. */
  async dispose(): Promise<void> {
    await this.#chain;
  }

  /** Applies a change and writes it; serialized, and rolled back in memory if the write fails. */
  #mutate<T>(change: () => T): Promise<T> {
    const run = this.#chain.then(async () => {
      if (this.#writeBlocked) throw new Error(`remotes: not saved: ${this.#writeBlocked}`);
      const before = { remotes: this.#remotes, device: this.#device };
      const result = change();
      if (this.#remotes !== before.remotes || this.#device !== before.device) {
        try {
          await this.#fs.writeJson(this.file, { version: 1, device: this.#device, remotes: this.#remotes });
        } catch (err) {
          this.#remotes = before.remotes;
          this.#device = before.device;
          this.#logger.error('could not save the list of controlled hosts', { error: errorMessage(err) });
          throw new Error(`remotes: could not save ${this.file}: ${errorMessage(err)}`);
        }
      }
      return result;
    });
    this.#chain = run.then(
      () => {},
      () => {},
    );
    return run;
  }
}
