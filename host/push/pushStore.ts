/**
 * What the host keeps for Web Push, in `<dataDir>/push.json` (mode 0600, replaced atomically):
 * the contact subject, the VAPID public key the subscriptions were made for, and per device
 * (by device id) the on/off setting and its subscription. No secret is in it (the VAPID
 * private key is in the secret store); a subscription's endpoint is a capability to push to
 * that phone, hence 0600.
 *
 * Changes are serialized; a failed write rolls memory back, so memory never claims what the
 * disk does not hold. A corrupt file is moved aside (never overwritten) and reported through
 * `problem`; the store then starts empty.
 */
import { rename } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { Logger } from '../../shared/util/logger.js';
import { errorMessage } from '../../shared/util/errors.js';
import { SchemaParseError } from '../../shared/util/schema.js';
import { readJsonFile, writeJsonAtomic } from '../storage/atomicFile.js';
import { MAX_ENDPOINT_CHARS, type PushSubscriptionRecord } from './pushSubscription.js';
import { MAX_SUBJECT_CHARS } from './vapidSubject.js';

export const PUSH_FILE_NAME = 'push.json';
/** As many as trusted devices (host/devices/deviceRegistry.ts MAX_DEVICES). */
export const MAX_PUSH_DEVICES = 256;
export const DEVICE_ID_RE = /^[0-9a-f]{32}$/;

const SubscriptionSchema = z
  .object({
    endpoint: z.string().min(1).max(MAX_ENDPOINT_CHARS),
    keys: z.object({ p256dh: z.string().max(128), auth: z.string().max(64) }).strict(),
  })
  .strict();

const DeviceSchema = z
  .object({
    deviceId: z.string().regex(DEVICE_ID_RE),
    enabled: z.boolean(),
    subscription: SubscriptionSchema.nullable(),
    updatedAt: z.string().max(40),
  })
  .strict();
export type PushDeviceRecord = z.infer<typeof DeviceSchema>;

const FileSchema = z
  .object({
    version: z.literal(1),
    subject: z.string().max(MAX_SUBJECT_CHARS).nullable(),
    vapidPublicKey: z.string().max(128).nullable(),
    devices: z.array(DeviceSchema).max(MAX_PUSH_DEVICES),
  })
  .strict();
type PushFile = z.infer<typeof FileSchema>;

const EMPTY: PushFile = { version: 1, subject: null, vapidPublicKey: null, devices: [] };

export class PushStore {
  readonly file: string;
  readonly #logger: Logger;
  readonly #now: () => Date;
  #data: PushFile = EMPTY;
  #problem: string | undefined;
  #chain: Promise<void> = Promise.resolve();

  private constructor(dataDir: string, logger: Logger, now: () => Date) {
    this.file = path.join(dataDir, PUSH_FILE_NAME);
    this.#logger = logger;
    this.#now = now;
  }

  static async open(dataDir: string, logger: Logger, now: () => Date = () => new Date()): Promise<PushStore> {
    const s = new PushStore(dataDir, logger, now);
    try {
      s.#data = (await readJsonFile(s.file, FileSchema, 1024 * 1024)) ?? EMPTY;
    } catch (err) {
      const aside = `${s.file}.corrupt-${Date.now()}`;
      const why = err instanceof SchemaParseError ? err.issues.join('; ') : errorMessage(err);
      await rename(s.file, aside).catch(() => {});
      s.#problem = `the push settings ${s.file} were unreadable (${why}); they were moved to ${aside}, and phones must turn notifications on again`;
      logger.error(s.#problem);
    }
    return s;
  }

  /** Set when the stored file could not be used. */
  get problem(): string | undefined {
    return this.#problem;
  }

  get subject(): string | null {
    return this.#data.subject;
  }

  get vapidPublicKey(): string | null {
    return this.#data.vapidPublicKey;
  }

  get devices(): readonly PushDeviceRecord[] {
    return this.#data.devices;
  }

  device(deviceId: string): PushDeviceRecord | undefined {
    return this.#data.devices.find((d) => d.deviceId === deviceId);
  }

  setSubject(subject: string): Promise<void> {
    return this.#mutate((d) => ({ ...d, subject }));
  }

  /**
   * Records the VAPID public key in use. If it differs from the one stored, every subscription
   * was made for a key we can no longer sign with: they are dropped (on/off settings stay).
   * Resolves to the number of subscriptions dropped.
   */
  async setVapidPublicKey(publicKey: string): Promise<number> {
    let dropped = 0;
    await this.#mutate((d) => {
      if (d.vapidPublicKey === publicKey) return d;
      const devices = d.devices.map((x) => {
        if (!x.subscription) return x;
        dropped += 1;
        return { ...x, subscription: null, updatedAt: this.#now().toISOString() };
      });
      return { ...d, vapidPublicKey: publicKey, devices };
    });
    return dropped;
  }

  /** Stores `deviceId`'s subscription; a new device starts enabled, a known one keeps its setting. */
  putSubscription(deviceId: string, subscription: PushSubscriptionRecord): Promise<PushDeviceRecord> {
    return this.#upsert(deviceId, (x) => ({ ...x, subscription: { endpoint: subscription.endpoint, keys: { ...subscription.keys } } }));
  }

  /** Turns notifications for `deviceId` on or off (remembered even without a subscription). */
  setEnabled(deviceId: string, enabled: boolean): Promise<PushDeviceRecord> {
    return this.#upsert(deviceId, (x) => ({ ...x, enabled }));
  }

  /**
   * Drops `deviceId`'s subscription (keeping its setting). With `endpoint`, only if it is still
   * that one (a push that failed with 410 must not delete a subscription renewed meanwhile).
   * Resolves to true if one was dropped.
   */
  async removeSubscription(deviceId: string, endpoint?: string): Promise<boolean> {
    let removed = false;
    await this.#mutate((d) => {
      const target = d.devices.find((x) => x.deviceId === deviceId);
      if (!target?.subscription || (endpoint !== undefined && target.subscription.endpoint !== endpoint)) return d;
      removed = true;
      const updated = { ...target, subscription: null, updatedAt: this.#now().toISOString() };
      return { ...d, devices: d.devices.map((x) => (x === target ? updated : x)) };
    });
    return removed;
  }

  /** Forgets a device entirely (when it is revoked). */
  forget(deviceId: string): Promise<void> {
    return this.#mutate((d) => (d.devices.some((x) => x.deviceId === deviceId) ? { ...d, devices: d.devices.filter((x) => x.deviceId !== deviceId) } : d));
  }

  #upsert(deviceId: string, change: (rec: PushDeviceRecord) => PushDeviceRecord): Promise<PushDeviceRecord> {
    if (!DEVICE_ID_RE.test(deviceId)) return Promise.reject(new Error('push: invalid device id'));
    let result: PushDeviceRecord | undefined;
    return this.#mutate((d) => {
      const existing = d.devices.find((x) => x.deviceId === deviceId);
      if (!existing && d.devices.length >= MAX_PUSH_DEVICES) throw new Error(`push: at most ${MAX_PUSH_DEVICES} devices`);
      const base: PushDeviceRecord = existing ?? { deviceId, enabled: true, subscription: null, updatedAt: '' };
      const updated = { ...change(base), updatedAt: this.#now().toISOString() };
      result = updated;
      return { ...d, devices: existing ? d.devices.map((x) => (x === existing ? updated : x)) : [...d.devices, updated] };
    }).then(() => result!);
  }

  /** Applies `change` to a copy and persists it; serialized; rolled back if the write fails. */
  #mutate(change: (data: PushFile) => PushFile): Promise<void> {
    const run = this.#chain.then(async () => {
      const before = this.#data;
      const after = change(before);
      if (after === before) return;
      this.#data = after;
      try {
        await writeJsonAtomic(this.file, after);
        this.#problem = undefined;
      } catch (err) {
        this.#data = before;
        this.#logger.error('could not save the push settings', { error: errorMessage(err) });
        throw new Error(`push: could not save ${this.file}: ${errorMessage(err)}`);
      }
    });
    this.#chain = run.then(
      () => {},
      () => {},
    );
    return run;
  }
}
