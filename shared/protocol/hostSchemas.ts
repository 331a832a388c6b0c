/**
 * The shapes the host API carries (docs/host-api.md), shared by the method map
 * (hostMethods.ts) and the notification map (hostNotifications.ts). Every string a client may
 * echo back is bounded; result shapes tolerate nothing unknown only where the host writes them.
 */
import { z } from 'zod';
import { ClientIdentitySchema } from './clientIdentity.js';
import { HOST_FEATURE_NAMES, type HostFeature } from './hostFeatures.js';

export const ENGINE_STATES = ['starting', 'running', 'restarting', 'stopped', 'failed'] as const;
export type EngineState = (typeof ENGINE_STATES)[number];

/** Where an environment's engine runs. Only `local` exists until SSH hosts are added. */
export const ENVIRONMENT_KINDS = ['local', 'ssh'] as const;
export type EnvironmentKind = (typeof ENVIRONMENT_KINDS)[number];

/** The environment of the host's own engine, and the default of every client connection. */
export const LOCAL_ENVIRONMENT_ID = 'local';

export const EnvironmentIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:@-]{0,63}$/, 'must be 1-64 letters, digits or . _ : @ - starting with a letter or digit');

export const EnvironmentInfoSchema = z.object({
  id: EnvironmentIdSchema,
  kind: z.enum(ENVIRONMENT_KINDS),
  name: z.string().max(128),
  state: z.enum(ENGINE_STATES),
  /** Progress while the engine starts, for engines that report it (an SSH host: resolving … starting-engine). */
  phase: z.string().max(32).optional(),
  version: z.string().max(64).optional(),
  restarts: z.number().int().nonnegative(),
  /** A thread of this environment is running a turn. */
  busy: z.boolean(),
  /** Why the engine is not running (admin kinds only: it may name internal addresses). */
  lastError: z.string().max(500).optional(),
});
export type EnvironmentInfo = z.infer<typeof EnvironmentInfoSchema>;

export const HostClientSchema = ClientIdentitySchema.extend({
  connectedAt: z.string(),
  environmentId: EnvironmentIdSchema,
});
export type HostClientInfo = z.infer<typeof HostClientSchema>;

/** The audit log: `unavailable` while appending fails (approvals are then refused, not applied). */
export const AuditStatusSchema = z.object({
  state: z.enum(['ok', 'unavailable']),
  /** The failure (admin kinds only: it names a local path). */
  error: z.string().max(500).optional(),
});
export type AuditStatus = z.infer<typeof AuditStatusSchema>;

export const RELAY_STATES = ['connecting', 'registered', 'disconnected', 'stopped'] as const;
export type RelayState = (typeof RELAY_STATES)[number];

/** Remote access: the relay this host registers at, the registration state and its last error. */
export const RemoteAccessStatusSchema = z.object({
  state: z.enum(RELAY_STATES),
  relay: z.string(),
  lastError: z.string().max(500).optional(),
});
export type RemoteAccessStatus = z.infer<typeof RemoteAccessStatusSchema>;

export const HostInfoSchema = z.object({
  hostName: z.string(),
  platform: z.string(),
  version: z.string(),
  hostId: z.string().optional(),
  /** The features that are on (their methods answer; the others say "… is off on this host"). */
  features: z.array(z.enum(HOST_FEATURE_NAMES as [HostFeature, ...HostFeature[]])),
  /** The local environment's engine (the same as `environments` entry `local`). */
  engine: z.object({
    state: z.enum(ENGINE_STATES),
    version: z.string().optional(),
    restarts: z.number().int().nonnegative(),
  }),
  /** Any environment is busy. */
  busy: z.boolean(),
  environments: z.array(EnvironmentInfoSchema),
  audit: AuditStatusSchema,
  /** The remote-TUI listener (admin kinds only). */
  listener: z.string().optional(),
  relay: z.string().optional(),
  remoteAccess: RemoteAccessStatusSchema.optional(),
  /** Problems an operator must act on (e.g. a trusted-device list moved aside); admin kinds only, absent when none. */
  warnings: z.array(z.string()).optional(),
  /** Connected clients: every one for admin kinds, only the caller itself for the others. */
  clients: z.array(HostClientSchema),
});
export type HostInfo = z.infer<typeof HostInfoSchema>;

export const DeviceIdSchema = z.string().regex(/^[0-9a-f]{32}$/, 'must be 32 lowercase hex characters');

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

/** Names one pairing code without revealing its secret. */
export const PairIdSchema = z.string().regex(/^[0-9a-f]{16}$/, 'must be 16 lowercase hex characters');

export const PairingStartResultSchema = z.object({
  link: z.string(),
  exp: z.number().int(),
  expiresAt: z.string(),
  pairId: PairIdSchema,
  qr: z.object({ terminal: z.string(), svg: z.string(), pngDataUrl: z.string() }),
});
export type PairingStartResult = z.infer<typeof PairingStartResultSchema>;
