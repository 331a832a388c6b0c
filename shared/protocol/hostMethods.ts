/**
 * The host-only JSON-RPC methods the hub answers itself (everything else goes to the engine),
 * declared once with their feature, parameter and result schemas and the client kinds allowed
 * to call them (style.md G4, docs/host-api.md). Each feature registers a complete handler
 * table typed from this map (host/hub/hostFeatures.ts), so a missing handler or a wrong result
 * shape does not compile; clients call through `HostClient` (hostClient.ts), which checks
 * params and parses results with the same schemas.
 */
import { z } from 'zod';
import { ADMIN_CLIENT_KINDS, CLIENT_KINDS, type ClientKind } from './clientIdentity.js';
import { displayNameSchema } from './displayName.js';
import type { HostFeature } from './hostFeatures.js';
import { HOST_NOTIFICATION_NAMES, type HostNotification } from './hostNotifications.js';
import { REMOTE_ACCESS_METHODS } from './features/remoteAccessApi.js';
import { LISTENER_METHODS } from './features/listenerApi.js';
import { AUDIT_METHODS } from './features/auditApi.js';
import { PUSH_METHODS } from './features/pushApi.js';
import { SSH_METHODS } from './features/sshApi.js';
import { POWER_METHODS } from './features/powerApi.js';
import { DeviceIdSchema, EnvironmentIdSchema, EnvironmentInfoSchema, HostInfoSchema, PairIdSchema, PairingStartResultSchema, TrustedDeviceSchema } from './hostSchemas.js';
import { REMOTES_METHODS } from './features/remotesApi.js';

export * from './hostSchemas.js';

const NoParams = z.union([z.object({}).strict(), z.undefined(), z.null()]);
const optionalParams = <T extends z.ZodRawShape>(shape: T) => z.union([z.object(shape).strict(), z.undefined(), z.null()]);

const ADMINS: readonly ClientKind[] = ADMIN_CLIENT_KINDS;
const EVERYONE: readonly ClientKind[] = CLIENT_KINDS;

const NotificationNameSchema = z.enum(HOST_NOTIFICATION_NAMES as [HostNotification, ...HostNotification[]]);

/** method → { feature, params, result, allowed client kinds } */
export const HOST_METHODS = {
  'host/info': { feature: 'core', params: NoParams, result: HostInfoSchema, allowed: EVERYONE },
  /**
   * Starts sending host/ notifications on this connection: the named ones, or (without
   * `methods`) every one this client kind may receive. Subscriptions add up.
   */
  'host/notifications/subscribe': {
    feature: 'core',
    params: optionalParams({ methods: z.array(NotificationNameSchema).max(64).optional() }),
    result: z.object({ methods: z.array(NotificationNameSchema) }),
    allowed: EVERYONE,
  },
  'host/environments/list': {
    feature: 'environments',
    params: NoParams,
    result: z.object({ environments: z.array(EnvironmentInfoSchema) }),
    allowed: EVERYONE,
  },
  /**
   * Chooses the environment this connection's engine messages go to; only before the first
   * engine message (normally `initialize`). The default is `local`.
   */
  'host/environment/select': {
    feature: 'environments',
    params: z.object({ environmentId: EnvironmentIdSchema }).strict(),
    result: z.object({ environment: EnvironmentInfoSchema }),
    allowed: EVERYONE,
  },
  'host/pairing/start': {
    feature: 'remote',
    params: optionalParams({ replaces: PairIdSchema.optional() }),
    result: PairingStartResultSchema,
    allowed: ADMINS,
  },
  'host/devices/list': {
    feature: 'remote',
    params: NoParams,
    result: z.object({ devices: z.array(TrustedDeviceSchema), problem: z.string().optional() }),
    allowed: ADMINS,
  },
  'host/devices/revoke': {
    feature: 'remote',
    params: z.object({ deviceId: DeviceIdSchema }).strict(),
    result: z.object({ revoked: z.boolean(), closedSessions: z.number().int().nonnegative() }),
    allowed: ADMINS,
  },
  'host/devices/rename': {
    feature: 'remote',
    params: z.object({ deviceId: DeviceIdSchema, name: displayNameSchema }).strict(),
    result: z.object({ device: TrustedDeviceSchema }),
    allowed: ADMINS,
  },
  ...REMOTES_METHODS,
  ...REMOTE_ACCESS_METHODS,
  ...LISTENER_METHODS,
  ...AUDIT_METHODS,
  ...PUSH_METHODS,
  ...SSH_METHODS,
  ...POWER_METHODS,
} as const satisfies Record<string, { feature: HostFeature; params: z.ZodType; result: z.ZodType; allowed: readonly ClientKind[] }>;

export type HostMethod = keyof typeof HOST_METHODS;
/** What a handler receives (params after parsing). */
export type HostParams<M extends HostMethod> = z.output<(typeof HOST_METHODS)[M]['params']>;
/** What a handler returns (before the client parses it). */
export type HostResult<M extends HostMethod> = z.input<(typeof HOST_METHODS)[M]['result']>;
/** What a client sends. */
export type HostCallParams<M extends HostMethod> = z.input<(typeof HOST_METHODS)[M]['params']>;
/** What a client gets back (after parsing). */
export type HostCallResult<M extends HostMethod> = z.output<(typeof HOST_METHODS)[M]['result']>;

/** The methods of one feature. */
export type MethodsOf<F extends HostFeature> = { [M in HostMethod]: (typeof HOST_METHODS)[M]['feature'] extends F ? M : never }[HostMethod];

export function isHostMethod(method: string): method is HostMethod {
  return Object.hasOwn(HOST_METHODS, method);
}
