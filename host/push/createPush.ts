/**
 * The Web Push service the composition root wires (docs/notifications.md): opens the stored
 * push settings, loads or creates the host's VAPID key pair (private key in the secret store),
 * and exposes what the `host/push/*` methods and the hub's events need. Nothing here knows
 * about the hub or the wire: the integrator maps methods to these calls, passes the calling
 * device's id, and calls `notify` on approval requests and finished turns.
 */
import { Emitter, type AsyncDisposable, type Disposable } from '../../shared/util/lifecycle.js';
import type { Logger } from '../../shared/util/logger.js';
import type { SecretStore } from '../identity/secretStore.js';
import { PushNotifier, type PushReport } from './pushNotifier.js';
import type { PushEvent } from './pushPayload.js';
import { DEVICE_ID_RE, PushStore, type PushDeviceRecord } from './pushStore.js';
import { endpointOrigin, parsePushSubscription } from './pushSubscription.js';
import { HttpPushTransport, type PushTransport } from './pushTransport.js';
import { loadOrCreateVapidKeys } from './vapidKeys.js';
import { vapidSubjectProblem } from './vapidSubject.js';

export interface CreatePushOptions {
  readonly dataDir: string;
  readonly secretStore: SecretStore;
  readonly logger: Logger;
  /** The host id (32 hex), for the links in notifications. */
  readonly hostId: string;
  /** Default: HTTPS (HTTP to loopback) with a 10 s timeout. */
  readonly transport?: PushTransport;
  readonly now?: () => Date;
  readonly debounceMs?: number;
  readonly delay?: (ms: number) => Promise<void>;
}

/** One device's notification state, as Settings > Connections and the phone show it. */
export interface PushDeviceStatus {
  readonly deviceId: string;
  /** The per-device on/off setting (on unless turned off). */
  readonly enabled: boolean;
  /** Whether the host holds a push subscription for it. */
  readonly subscribed: boolean;
  /** The push service's origin (e.g. https://fcm.googleapis.com), never the full endpoint. */
  readonly pushService?: string;
}

export interface PushSettings {
  /** The VAPID contact subject, or null while unset (then nothing is sent). */
  readonly subject: string | null;
  /** The applicationServerKey for `pushManager.subscribe` (base64url). */
  readonly vapidPublicKey: string;
  /** Set when the stored settings were unreadable and were moved aside. */
  readonly problem?: string;
}

export interface PushService extends AsyncDisposable {
  readonly vapidPublicKey: string;
  settings(): PushSettings;
  /** Sets the contact subject; throws `push: …` for one that is not a mailto: or https: URL. */
  setSubject(subject: string): Promise<PushSettings>;
  /** Stores the calling device's subscription; throws `push subscription: …` for a bad one (nothing stored). */
  subscribe(deviceId: string, subscription: unknown): Promise<PushDeviceStatus>;
  /** Drops the device's subscription (its on/off setting stays). */
  unsubscribe(deviceId: string): Promise<PushDeviceStatus>;
  /** Turns notifications for one device on or off. */
  setEnabled(deviceId: string, enabled: boolean): Promise<PushDeviceStatus>;
  device(deviceId: string): PushDeviceStatus;
  devices(): PushDeviceStatus[];
  /** Forgets everything about a device (call it when the device is revoked). */
  forgetDevice(deviceId: string): Promise<void>;
  /** Fires when a device's status changes (also when a 404/410 deleted its subscription). */
  onDidChangeDevice(listener: (status: PushDeviceStatus) => void): Disposable;
  /** Sends `event` to every enabled, subscribed device (see `PushNotifier.notify`). */
  notify(event: PushEvent): Promise<PushReport>;
}

export async function createPush(options: CreatePushOptions): Promise<PushService> {
  const logger = options.logger;
  const store = await PushStore.open(options.dataDir, logger, options.now);
  const { keys, created, replaced } = await loadOrCreateVapidKeys(options.secretStore);
  if (replaced) logger.warn(`${replaced}; a new VAPID key was made`);
  else if (created) logger.info('created the Web Push (VAPID) key pair', { store: options.secretStore.location });
  const dropped = await store.setVapidPublicKey(keys.publicKey);
  if (dropped > 0) logger.warn(`the VAPID key changed, so ${dropped} push subscription(s) no longer work and were removed; phones must turn notifications on again`);

  const notifier = new PushNotifier({
    store,
    keys,
    hostId: options.hostId,
    transport: options.transport ?? new HttpPushTransport(),
    logger,
    ...(options.debounceMs !== undefined ? { debounceMs: options.debounceMs } : {}),
    ...(options.delay ? { delay: options.delay } : {}),
  });
  const changed = new Emitter<PushDeviceStatus>(logger);

  const status = (deviceId: string, rec: PushDeviceRecord | undefined = store.device(deviceId)): PushDeviceStatus => {
    if (!rec) return { deviceId, enabled: true, subscribed: false };
    return {
      deviceId,
      enabled: rec.enabled,
      subscribed: rec.subscription !== null,
      ...(rec.subscription ? { pushService: endpointOrigin(rec.subscription.endpoint) } : {}),
    };
  };
  const checkId = (deviceId: string) => {
    if (!DEVICE_ID_RE.test(deviceId)) throw new Error('push: invalid device id');
  };
  const report = (deviceId: string) => {
    const s = status(deviceId);
    changed.fire(s);
    return s;
  };
  const settings = (): PushSettings => ({
    subject: store.subject,
    vapidPublicKey: keys.publicKey,
    ...(store.problem !== undefined ? { problem: store.problem } : {}),
  });

  return {
    vapidPublicKey: keys.publicKey,
    settings,
    async setSubject(subject) {
      const problem = vapidSubjectProblem(subject);
      if (problem) throw new Error(`push: ${problem}`);
      await store.setSubject(subject);
      return settings();
    },
    async subscribe(deviceId, subscription) {
      checkId(deviceId);
      const parsed = parsePushSubscription(subscription);
      await store.putSubscription(deviceId, parsed);
      logger.info('push subscription stored', { device: deviceId.slice(0, 8), origin: endpointOrigin(parsed.endpoint) });
      return report(deviceId);
    },
    async unsubscribe(deviceId) {
      checkId(deviceId);
      await store.removeSubscription(deviceId);
      return report(deviceId);
    },
    async setEnabled(deviceId, enabled) {
      checkId(deviceId);
      await store.setEnabled(deviceId, enabled);
      return report(deviceId);
    },
    device: (deviceId) => status(deviceId),
    devices: () => store.devices.map((d) => status(d.deviceId, d)),
    async forgetDevice(deviceId) {
      checkId(deviceId);
      await store.forget(deviceId);
      report(deviceId);
    },
    onDidChangeDevice: (listener) => changed.on(listener),
    async notify(event) {
      const before = new Map(store.devices.map((d) => [d.deviceId, d.subscription !== null]));
      const result = await notifier.notify(event);
      if (result.removed > 0) for (const d of store.devices) if (before.get(d.deviceId) && d.subscription === null) report(d.deviceId);
      return result;
    },
    async dispose() {
      await notifier.dispose();
      changed.clear();
    },
  };
}
