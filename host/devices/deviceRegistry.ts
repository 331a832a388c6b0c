/**
 * The trusted-device list (remote-protocol.md §6): who may resume a session with this host.
 * Stored as JSON in the data dir, written atomically (temp, fsync, rename) on every change.
 * Fails closed: a corrupt or unreadable file grants nothing; it is moved aside (never
 * overwritten, so nothing is lost) and reported through `problem`. Revoking keeps the entry
 * (so a later resume is told `revoked`, not `unknown_device`) but drops its key; pairing the
 * same device again creates a new entry.
 */
import { randomUUID } from 'node:crypto';
import { rename } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { Emitter, type Disposable } from '../../shared/util/lifecycle.js';
import type { Logger } from '../../shared/util/logger.js';
import { SchemaParseError } from '../../shared/util/schema.js';
import { readJsonFile, writeJsonAtomic } from '../storage/atomicFile.js';
import { errorMessage } from '../../shared/util/errors.js';

export const DEVICES_FILE_NAME = 'devices.json';
export const MAX_DEVICES = 256;

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

const DevicesFileSchema = z.object({ version: z.literal(1), devices: z.array(DeviceRecordSchema).max(MAX_DEVICES * 4) }).strict();

export type ResumeVerdict = { ok: true; device: DeviceRecord } | { ok: false; reason: 'revoked' | 'unknown_device' };

export class DeviceRegistry {
  readonly file: string;
  readonly #logger: Logger;
  readonly #now: () => Date;
  #devices: DeviceRecord[] = [];
  #problem: string | undefined;
  #chain: Promise<void> = Promise.resolve();
  readonly #revoked = new Emitter<DeviceRecord>();

  private constructor(dataDir: string, logger: Logger, now: () => Date) {
    this.file = path.join(dataDir, DEVICES_FILE_NAME);
    this.#logger = logger;
    this.#now = now;
  }

  /** Loads the list; a corrupt file is moved aside and reported, and the registry starts empty. */
  static async open(dataDir: string, logger: Logger, now: () => Date = () => new Date()): Promise<DeviceRegistry> {
    const r = new DeviceRegistry(dataDir, logger, now);
    try {
      const data = await readJsonFile(r.file, DevicesFileSchema);
      r.#devices = data?.devices ?? [];
    } catch (err) {
      const aside = `${r.file}.corrupt-${Date.now()}`;
      const why = err instanceof SchemaParseError ? err.issues.join('; ') : errorMessage(err);
      await rename(r.file, aside).catch(() => {});
      r.#problem = `the trusted-device list ${r.file} was unreadable (${why}); it was moved to ${aside} and no device is trusted until paired again`;
      logger.error(r.#problem);
    }
    return r;
  }

  /** Set when the stored list could not be used (reported in host/info and the devices UI). */
  get problem(): string | undefined {
    return this.#problem;
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

  /**
   * Applies a change and persists it; changes are serialized, and if the write fails the
   * in-memory list is rolled back so memory never claims what the disk does not have.
   */
  #mutate<T>(change: () => T): Promise<T> {
    const run = this.#chain.then(async () => {
      const before = this.#devices;
      const result = change();
      if (this.#devices !== before) {
        try {
          await writeJsonAtomic(this.file, { version: 1, devices: this.#devices });
          this.#problem = undefined;
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
