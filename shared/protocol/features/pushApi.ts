/**
 * The `push` host feature's methods and notification (docs/host-api.md "Notifications (Web
 * Push)", docs/notifications.md): a phone registers its browser's push subscription with the
 * host over the end-to-end session (so the relay never learns it), turns its notifications on
 * or off, and the host's admins set the required VAPID contact subject and see every device.
 *
 * Declared here and spread into the central maps (hostMethods.ts, hostNotifications.ts) with
 * one line each. `deviceId` in a phone's calls is always the calling device's own id (from its
 * session); only the admin kinds (`desktop`, `cli`) may name another device.
 */
import { z } from 'zod';
import type { ClientKind } from '../clientIdentity.js';
import { DeviceIdSchema } from '../hostSchemas.js';

const PHONE_AND_ADMINS: readonly ClientKind[] = ['phone', 'desktop', 'cli'];
const PHONE: readonly ClientKind[] = ['phone'];
const ADMINS: readonly ClientKind[] = ['desktop', 'cli'];

const NoParams = z.union([z.object({}).strict(), z.undefined(), z.null()]);

/** Longest endpoint accepted (host/push/pushSubscription.ts checks the rest: https, keys on the curve). */
export const MAX_PUSH_ENDPOINT_CHARS = 2048;

/** `PushSubscription.toJSON()` as a browser gives it, bounded; the host parses it in depth. */
export const PushSubscriptionJsonSchema = z
  .object({
    endpoint: z.string().min(1).max(MAX_PUSH_ENDPOINT_CHARS),
    expirationTime: z.number().nullable().optional(),
    keys: z.object({ p256dh: z.string().min(1).max(128), auth: z.string().min(1).max(64) }).strict(),
  })
  .strict();
export type PushSubscriptionJson = z.infer<typeof PushSubscriptionJsonSchema>;

/** One device's notification state (never the endpoint itself: it is a capability to push to that phone). */
export const PushDeviceStatusSchema = z.object({
  deviceId: DeviceIdSchema,
  /** The per-device on/off setting (on unless turned off). */
  enabled: z.boolean(),
  /** Whether the host holds a push subscription for it. */
  subscribed: z.boolean(),
  /** The push service's origin, e.g. https://fcm.googleapis.com. */
  pushService: z.string().max(512).optional(),
});
export type PushDeviceStatus = z.infer<typeof PushDeviceStatusSchema>;

/**
 * The push settings as the caller may see them: a phone gets `configured` (whether the host
 * can send at all) and its own device only; admins also get the subject, every device (or the
 * one they named) and a problem with the stored settings.
 */
export const PushSettingsViewSchema = z.object({
  /** A contact subject is set, so notifications can be sent. */
  configured: z.boolean(),
  /** The contact subject (admin kinds only). */
  subject: z.string().max(256).nullable().optional(),
  /** The applicationServerKey for `pushManager.subscribe` (base64url). */
  vapidPublicKey: z.string().max(128),
  devices: z.array(PushDeviceStatusSchema).max(256),
  /** The stored settings were unreadable and were moved aside (admin kinds only). */
  problem: z.string().max(1000).optional(),
});
export type PushSettingsView = z.infer<typeof PushSettingsViewSchema>;

/** A `mailto:` address or a public `https:` URL (the host checks the form). */
export const PushSubjectSchema = z.string().min(1).max(256);

export const PUSH_METHODS = {
  /** The host's VAPID public key (the phone's `applicationServerKey`). */
  'host/push/vapidPublicKey': { feature: 'push', params: NoParams, result: z.object({ vapidPublicKey: z.string().max(128) }), allowed: PHONE_AND_ADMINS },
  /** Stores the calling phone's subscription (renewals replace it; the on/off setting stays). */
  'host/push/subscribe': {
    feature: 'push',
    params: z.object({ subscription: PushSubscriptionJsonSchema }).strict(),
    result: PushDeviceStatusSchema,
    allowed: PHONE,
  },
  /** Drops the calling phone's subscription. */
  'host/push/unsubscribe': { feature: 'push', params: NoParams, result: PushDeviceStatusSchema, allowed: PHONE },
  /** The push settings (see `PushSettingsViewSchema`); admins may ask for one device. */
  'host/push/settings/get': {
    feature: 'push',
    params: z.union([z.object({ deviceId: DeviceIdSchema.optional() }).strict(), z.undefined(), z.null()]),
    result: PushSettingsViewSchema,
    allowed: PHONE_AND_ADMINS,
  },
  /** Turns notifications on or off: a phone for itself, an admin for the device it names. */
  'host/push/settings/set': {
    feature: 'push',
    params: z.object({ enabled: z.boolean(), deviceId: DeviceIdSchema.optional() }).strict(),
    result: PushDeviceStatusSchema,
    allowed: PHONE_AND_ADMINS,
  },
  /** Sets the required VAPID contact subject (`mailto:you@example.com` or an https: URL). */
  'host/push/subject/set': { feature: 'push', params: z.object({ subject: PushSubjectSchema }).strict(), result: PushSettingsViewSchema, allowed: ADMINS },
} as const;

export const PUSH_NOTIFICATIONS = {
  /** A device's notification state changed (subscribed, turned off, deleted after a 404/410, revoked). */
  'host/push/changed': { feature: 'push', params: PushDeviceStatusSchema, allowed: ADMINS },
} as const;
