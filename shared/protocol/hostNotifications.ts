/**
 * The host/ notifications the hub sends (docs/host-api.md): what a UI must see change without
 * polling. They are opt-in per connection (`host/notifications/subscribe`), so engine clients
 * such as the Codex TUI never receive messages they do not know; a connection only ever gets
 * the notifications its client kind is allowed to see (device and pairing ones go to the
 * host's admins only).
 */
import { z } from 'zod';
import { ADMIN_CLIENT_KINDS, CLIENT_KINDS, type ClientKind } from './clientIdentity.js';
import type { HostFeature } from './hostFeatures.js';
import { PUSH_NOTIFICATIONS } from './features/pushApi.js';
import { POWER_NOTIFICATIONS } from './features/powerApi.js';
import {
  AuditStatusSchema,
  ENGINE_STATES,
  EnvironmentIdSchema,
  EnvironmentInfoSchema,
  PairIdSchema,
  RemoteAccessStatusSchema,
  TrustedDeviceSchema,
} from './hostSchemas.js';
import { REMOTES_NOTIFICATIONS } from './features/remotesApi.js';
import { LISTENER_NOTIFICATIONS } from './features/listenerApi.js';
import { SSH_NOTIFICATIONS } from './features/sshApi.js';

const EVERYONE: readonly ClientKind[] = CLIENT_KINDS;
const ADMINS: readonly ClientKind[] = ADMIN_CLIENT_KINDS;

/** notification → { feature, params schema, client kinds that may receive it } */
export const HOST_NOTIFICATIONS = {
  /** An environment's engine changed state (starting, running, restarting, stopped, failed). */
  'host/engine/changed': {
    feature: 'core',
    params: z.object({ environmentId: EnvironmentIdSchema, state: z.enum(ENGINE_STATES), restarts: z.number().int().nonnegative() }),
    allowed: EVERYONE,
  },
  /** Whether a turn runs somewhere (`busy`, host-wide) changed, or one environment's part of it. */
  'host/busy/changed': {
    feature: 'core',
    params: z.object({ busy: z.boolean(), environmentId: EnvironmentIdSchema, environmentBusy: z.boolean() }),
    allowed: EVERYONE,
  },
  /** The audit log became unavailable (approvals are refused) or available again. */
  'host/auditLog/changed': { feature: 'core', params: AuditStatusSchema, allowed: ADMINS },
  /** An environment was added or removed, or its state, busy flag or last error changed. */
  'host/environments/changed': {
    feature: 'environments',
    params: z.object({ environments: z.array(EnvironmentInfoSchema) }),
    allowed: EVERYONE,
  },
  /** A trusted device was paired, revoked or renamed, or opened or ended a session. */
  'host/devices/changed': {
    feature: 'remote',
    params: z.object({ change: z.enum(['paired', 'revoked', 'renamed', 'connected', 'disconnected']), device: TrustedDeviceSchema }),
    allowed: ADMINS,
  },
  /** A pairing code was used: the device is trusted and its first session is open. */
  'host/pairing/claimed': { feature: 'remote', params: z.object({ pairId: PairIdSchema, device: TrustedDeviceSchema }), allowed: ADMINS },
  /** A pairing code can no longer be used: its ten minutes ran out, or a newer code replaced it. */
  'host/pairing/expired': { feature: 'remote', params: z.object({ pairId: PairIdSchema, reason: z.enum(['expired', 'replaced']) }), allowed: ADMINS },
  /** The relay registration changed state (or its last error changed). */
  'host/remoteAccess/changed': { feature: 'remote', params: RemoteAccessStatusSchema, allowed: ADMINS },
  ...REMOTES_NOTIFICATIONS,
  ...LISTENER_NOTIFICATIONS,
  ...PUSH_NOTIFICATIONS,
  ...SSH_NOTIFICATIONS,
  ...POWER_NOTIFICATIONS,
} as const satisfies Record<string, { feature: HostFeature; params: z.ZodType; allowed: readonly ClientKind[] }>;

export type HostNotification = keyof typeof HOST_NOTIFICATIONS;
/** What the hub sends (before parsing). */
export type HostNotificationParams<N extends HostNotification> = z.input<(typeof HOST_NOTIFICATIONS)[N]['params']>;
/** What a client receives (after parsing). */
export type HostNotificationPayload<N extends HostNotification> = z.output<(typeof HOST_NOTIFICATIONS)[N]['params']>;

export const HOST_NOTIFICATION_NAMES = Object.keys(HOST_NOTIFICATIONS) as HostNotification[];

export function isHostNotification(method: string): method is HostNotification {
  return Object.hasOwn(HOST_NOTIFICATIONS, method);
}

/** Whether a client of `kind` may receive `notification`. */
export function mayReceive(kind: ClientKind, notification: HostNotification): boolean {
  return HOST_NOTIFICATIONS[notification].allowed.includes(kind);
}
