/**
 * The trusted-device list (remote-protocol.md §6): who may resume a session with this host.
 * Stored as JSON in the data dir, written atomically (temp, fsync, rename) on every change.
 *
 * Fails closed: a corrupt or unreadable file grants nothing. It is moved aside to
 * `devices.json.corrupt-<ms>` and never overwritten, so nothing is lost: if the move fails, the
 * registry refuses every write (pairing, revoke, rename) rather than replace the only copy.
 * Each aside file keeps a warning in `warnings` (host/info, `status`, `devices`, the UI) on
 * every start until someone deletes it or restores it: an empty list after a restart must not
 * look like "nothing was ever paired".
 *
 * Revoking keeps the entry (so a later resume is told `revoked`, not `unknown_device`) but drops
 * its key; pairing the same device again creates a new entry. Those tombstones are capped
 * (oldest dropped first) so the file always stays loadable; a device whose tombstone was
 * dropped is still refused, as `unknown_device`.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, rename } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { Emitter, type AsyncDisposable, type Disposable } from '../../shared/util/lifecycle.js';
import type { Logger } from '../../shared/util/logger.js';
import { SchemaParseError } from '../../shared/util/schema.js';
import { readJsonFile, writeJsonAtomic } from '../storage/atomicFile.js';
import { errorMessage } from '../../shared/util/errors.js';

export const DEVICES_FILE_NAME = 'devices.json';
export const MAX_DEVICES = 256;
/** Revoked entries kept: with MAX_DEVICES active ones a written list has at most 1024 entries. */
export const MAX_TOMBSTONES = MAX_DEVICES * 3;
/** The reader is more lenient than the writer, so a list from an older version still loads (and is pruned). */
const MAX_ENTRIES_READ = 16 * 1024;
const CORRUPT_MARK = '.corrupt-';

const DeviceRecordSchema = z
  .object({
    /** Entry id: unique per pairing (a device paired again after revoke gets a new one). */
    entryId: z.string().min(1).max(64),
    deviceId: z.string().regex(/^[0-9a-f]{32}$/),
    /** b64u Ed25519 public key; null once revoked. */
    deviceKey: z.string().max(64).nullable(),
    name: z.string().max(64),
    platform: z.string().max(16),
    kind: z.enum(['phone', 'host']),
    pairedAt: z.string().max(40),
    lastSeen: z.string().max(40).nullable(),
    revokedAt: z.string().max(40).nullable(),
  })
  .strict();
export type DeviceRecord = z.infer<typeof DeviceRecordSchema>;

const DevicesFileSchema = z.object({ version: z.literal(1), devices: z.array(DeviceRecordSchema).max(MAX_ENTRIES_READ) }).strict();

/** The file operations the registry uses (injected in tests). */
export interface DeviceRegistryFs {
  rename(from: string, to: string): Promise<void>;
  /** Replaces the file atomically (default: write-file-atomic with fsync, mode 0600). */
  writeJson(file: string, value: unknown): Promise<void>;
}

const NODE_FS: DeviceRegistryFs = { rename, writeJson: (file, value) => writeJsonAtomic(file, value) };

export type ResumeVerdict = { ok: true; device: DeviceRecord } | { ok: false; reason: 'revoked' | 'unknown_device' };

export class DeviceRegistry implements AsyncDisposable {
  readonly file: string;
  readonly #logger: Logger;
  readonly #now: () => Date;
  #devices: DeviceRecord[] = [];
  /** Aside copies of unreadable lists (this start's and earlier ones), each a standing warning. */
  readonly #asides: { readonly file: string; readonly detail: string | undefined }[] = [];
  /** Set when an unreadable list could not be moved aside: writing would destroy the only copy. */
  #writeBlocked: string | undefined;
  #chain: Promise<void> = Promise.resolve();
  readonly #revoked: Emitter<DeviceRecord>;
  readonly #fs: DeviceRegistryFs;

  private constructor(dataDir: string, logger: Logger, now: () => Date, fs: DeviceRegistryFs) {
    this.file = path.join(dataDir, DEVICES_FILE_NAME);
    this.#logger = logger;
    this.#now = now;
    this.#fs = fs;
    this.#revoked = new Emitter<DeviceRecord>(logger);
  }

  /**
   * Loads the list. A corrupt file is moved aside and reported, and the registry starts empty;
   * if it cannot be moved aside, the registry starts empty and refuses every write.
   */
  static async open(dataDir: string, logger: Logger, now: () => Date = () => new Date(), fs: Partial<DeviceRegistryFs> = {}): Promise<DeviceRegistry> {
    const r = new DeviceRegistry(dataDir, logger, now, { ...NODE_FS, ...fs });
    const earlier = (await readdir(dataDir).catch(() => [] as string[])).filter((f) => f.startsWith(`${DEVICES_FILE_NAME}${CORRUPT_MARK}`)).sort();
    for (const f of earlier) r.#asides.push({ file: path.join(dataDir, f), detail: undefined });
    try {
      const data = await readJsonFile(r.file, DevicesFileSchema);
      r.#devices = pruneTombstones(data?.devices ?? []);
    } catch (err) {
      const why = err instanceof SchemaParseError ? err.issues.join('; ') : errorMessage(err);
      const aside = r.#freeAsideName(now());
      try {
        await r.#fs.rename(r.file, aside);
        r.#asides.push({ file: aside, detail: `the trusted-device list ${r.file} was unreadable (${why}); it was moved to ${aside} and no device is trusted until paired again` });
      } catch (renameErr) {
        r.#writeBlocked =
          `the trusted-device list ${r.file} is unreadable (${why}) and could not be moved aside (${errorMessage(renameErr)}); no device is trusted, ` +
          `and the file is not overwritten: fix or move it away, then restart the host`;
      }
    }
    for (const w of r.warnings) logger.error(w);
    return r;
  }

  /**
   * What an operator must know about the stored list, until they act: the list could not be
   * used, or an aside copy of an unreadable one is still there (deleting it clears the warning).
   */
  get warnings(): readonly string[] {
    const out: string[] = [];
    if (this.#writeBlocked) out.push(this.#writeBlocked);
    for (const a of this.#asides) {
      if (!existsSync(a.file)) continue;
      out.push(
        a.detail ??
          `a trusted-device list that could not be read was moved aside to ${a.file}; the devices in it are not trusted (pair them again). ` +
            `Delete it once checked (or repair it and move it back to ${this.file} while the host is stopped) to clear this warning`,
      );
    }
    return out;
  }

  /** The warnings as one text (host/devices/list's `problem`), or undefined when there are none. */
  get problem(): string | undefined {
    const w = this.warnings;
    return w.length ? w.join('; ') : undefined;
  }

  #freeAsideName(at: Date): string {
    let name = `${this.file}${CORRUPT_MARK}${at.getTime()}`;
    for (let n = 1; existsSync(name); n++) name = `${this.file}${CORRUPT_MARK}${at.getTime()}-${n}`;
    return name;
  }

  list(): readonly DeviceRecord[] {
    return this.#devices;
  }

  /** Active (not revoked) entries. */
  active(): DeviceRecord[] {
    return this.#devices.filter((d) => d.revokedAt === null);
  }

  /** Resume policy: the device must have an active entry with the same key. */
  checkResume(deviceId: string, deviceKeyB64u: string): ResumeVerdict {
    const active = this.#devices.find((d) => d.deviceId === deviceId && d.revokedAt === null);
    if (active && active.deviceKey === deviceKeyB64u) return { ok: true, device: active };
    if (this.#devices.some((d) => d.deviceId === deviceId && d.revokedAt !== null)) return { ok: false, reason: 'revoked' };
    return { ok: false, reason: 'unknown_device' };
  }

  /** Adds a freshly paired device, or refreshes its active entry (same key paired again). */
  async addPaired(d: { deviceId: string; deviceKey: string; name: string; platform: string; kind: 'phone' | 'host' }): Promise<DeviceRecord> {
    return this.#mutate(() => {
      const now = this.#now().toISOString();
      const existing = this.#devices.find((x) => x.deviceId === d.deviceId && x.revokedAt === null);
      if (existing) {
        const updated = { ...existing, deviceKey: d.deviceKey, name: d.name, platform: d.platform, kind: d.kind, lastSeen: now };
        this.#devices = this.#devices.map((x) => (x === existing ? updated : x));
        return updated;
      }
      if (this.active().length >= MAX_DEVICES) throw new Error(`devices: at most ${MAX_DEVICES} trusted devices; revoke one first`);
      const rec: DeviceRecord = { entryId: randomUUID(), ...d, pairedAt: now, lastSeen: now, revokedAt: null };
      this.#devices = [...this.#devices, rec];
      return rec;
    });
  }

  /**
   * Removes one entry by its entry id (undoing a pairing whose session ended before its welcome
   * was sent). Revoked tombstones and other entries are untouched.
   */
  async removeEntry(entryId: string): Promise<void> {
    await this.#mutate(() => {
      this.#devices = this.#devices.filter((x) => x.entryId !== entryId);
    });
  }

  async touch(deviceId: string): Promise<void> {
    await this.#mutate(() => {
      const now = this.#now().toISOString();
      this.#devices = this.#devices.map((x) => (x.deviceId === deviceId && x.revokedAt === null ? { ...x, lastSeen: now } : x));
    });
  }

  /** Revokes the active entry of `deviceId`; resolves to the revoked record, or undefined if none. */
  async revoke(deviceId: string): Promise<DeviceRecord | undefined> {
    const rec = await this.#mutate(() => {
      const target = this.#devices.find((x) => x.deviceId === deviceId && x.revokedAt === null);
      if (!target) return undefined;
      const revoked = { ...target, deviceKey: null, revokedAt: this.#now().toISOString() };
      this.#devices = this.#devices.map((x) => (x === target ? revoked : x));
      return revoked;
    });
    if (rec) this.#revoked.fire(rec);
    return rec;
  }

  async rename(deviceId: string, name: string): Promise<DeviceRecord | undefined> {
    return this.#mutate(() => {
      const target = this.#devices.find((x) => x.deviceId === deviceId && x.revokedAt === null);
      if (!target) return undefined;
      const renamed = { ...target, name };
      this.#devices = this.#devices.map((x) => (x === target ? renamed : x));
      return renamed;
    });
  }

  onRevoked(listener: (rec: DeviceRecord) => void): Disposable {
    return this.#revoked.on(listener);
  }

  /** Waits for the write in progress (a change reported done is on disk) and drops the listeners. */
  async dispose(): Promise<void> {
    await this.#chain;
    this.#revoked.clear();
  }

  /**
   * Applies a change and persists it; changes are serialized, and if the write fails the
   * in-memory list is rolled back so memory never claims what the disk does not have.
   */
  #mutate<T>(change: () => T): Promise<T> {
    const run = this.#chain.then(async () => {
      if (this.#writeBlocked) throw new Error(`devices: not saved: ${this.#writeBlocked}`);
      const before = this.#devices;
      const result = change();
      if (this.#devices !== before) {
        this.#devices = pruneTombstones(this.#devices);
        try {
          await this.#fs.writeJson(this.file, { version: 1, devices: this.#devices });
        } catch (err) {
          this.#devices = before;
          this.#logger.error('could not save the trusted-device list', { error: errorMessage(err) });
          throw new Error(`devices: could not save ${this.file}: ${errorMessage(err)}`);
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

/**
 * Keeps at most MAX_TOMBSTONES revoked entries (the most recently revoked), so the written list
 * never exceeds what the reader accepts. Order of the remaining entries is unchanged.
 */
function pruneTombstones(devices: DeviceRecord[]): DeviceRecord[] {
  const tombstones = devices.filter((d) => d.revokedAt !== null);
  if (tombstones.length <= MAX_TOMBSTONES) return devices;
  const keep = new Set(
    tombstones
      .sort((a, b) => (a.revokedAt! < b.revokedAt! ? 1 : a.revokedAt! > b.revokedAt! ? -1 : 0))
      .slice(0, MAX_TOMBSTONES)
      .map((d) => d.entryId),
  );
  return devices.filter((d) => d.revokedAt === null || keep.has(d.entryId));
}
