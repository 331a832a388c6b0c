/**
 * The host-only JSON-RPC methods the hub answers itself (everything else goes to the engine),
 * declared once with their parameter and result schemas and the client kinds allowed to call
 * them (style.md G4). The hub's handler table is a mapped type over this map, so a missing
 * handler or a wrong result shape does not compile. Clients (CLI, controller library, renderer)
 * derive their types from the same map.
 */
import { z } from 'zod';
import { CLIENT_KINDS, type ClientKind } from './clientIdentity.js';
import { displayNameSchema } from './displayName.js';

export const ENGINE_STATES = ['starting', 'running', 'restarting', 'stopped', 'failed'] as const;
export type EngineState = (typeof ENGINE_STATES)[number];

export const HostClientSchema = z.object({
  kind: z.enum(CLIENT_KINDS),
  id: z.string(),
  name: z.string(),
  connectedAt: z.string(),
});

export const HostInfoSchema = z.object({
  hostName: z.string(),
  platform: z.string(),
  version: z.string(),
  hostId: z.string().optional(),
  engine: z.object({
    state: z.enum(ENGINE_STATES),
    version: z.string().optional(),
    restarts: z.number().int().nonnegative(),
  }),
  busy: z.boolean(),
  listener: z.string().optional(),
  relay: z.string().optional(),
  /** Problems an operator must act on (e.g. a trusted-device list moved aside); absent when none. */
  warnings: z.array(z.string()).optional(),
  clients: z.array(HostClientSchema),
});
export type HostInfo = z.infer<typeof HostInfoSchema>;

const NoParams = z.union([z.object({}).strict(), z.undefined(), z.null()]);

const LOCAL_ADMIN: readonly ClientKind[] = ['desktop', 'cli'];
const EVERYONE: readonly ClientKind[] = CLIENT_KINDS;

const DeviceIdSchema = z.string().regex(/^[0-9a-f]{32}$/, 'must be 32 lowercase hex characters');

export const TrustedDeviceSchema = z.object({
  deviceId: z.string(),
  name: z.string(),
  platform: z.string(),
  kind: z.enum(['phone', 'host']),
  pairedAt: z.string(),
  lastSeen: z.string().nullable(),
  revokedAt: z.string().nullable(),
  /** Live sessions right now. */
  connected: z.number().int().nonnegative(),
});
export type TrustedDevice = z.infer<typeof TrustedDeviceSchema>;

export const PairingStartResultSchema = z.object({
  link: z.string(),
  exp: z.number().int(),
  expiresAt: z.string(),
  pairId: z.string(),
  qr: z.object({ terminal: z.string(), svg: z.string(), pngDataUrl: z.string() }),
});
export type PairingStartResult = z.infer<typeof PairingStartResultSchema>;

/** method → { params, result, allowed client kinds } */
export const HOST_METHODS = {
  'host/info': { params: NoParams, result: HostInfoSchema, allowed: EVERYONE },
  'host/pairing/start': {
    params: z.union([z.object({ replaces: z.string().regex(/^[0-9a-f]{16}$/).optional() }).strict(), z.undefined(), z.null()]),
    result: PairingStartResultSchema,
    allowed: LOCAL_ADMIN,
  },
  'host/devices/list': {
    params: NoParams,
    result: z.object({ devices: z.array(TrustedDeviceSchema), problem: z.string().optional() }),
    allowed: LOCAL_ADMIN,
  },
  'host/devices/revoke': {
    params: z.object({ deviceId: DeviceIdSchema }).strict(),
    result: z.object({ revoked: z.boolean(), closedSessions: z.number().int().nonnegative() }),
    allowed: LOCAL_ADMIN,
  },
  'host/devices/rename': {
    params: z.object({ deviceId: DeviceIdSchema, name: displayNameSchema }).strict(),
    result: z.object({ device: TrustedDeviceSchema }),
    allowed: LOCAL_ADMIN,
  },
} as const satisfies Record<string, { params: z.ZodType; result: z.ZodType; allowed: readonly ClientKind[] }>;

export type HostMethod = keyof typeof HOST_METHODS;
export type HostParams<M extends HostMethod> = z.output<(typeof HOST_METHODS)[M]['params']>;
export type HostResult<M extends HostMethod> = z.input<(typeof HOST_METHODS)[M]['result']>;

export function isHostMethod(method: string): method is HostMethod {
  return Object.hasOwn(HOST_METHODS, method);
}

/** The admin kinds, exported so docs and tests can name them. */
export const HOST_ADMIN_KINDS = LOCAL_ADMIN;
