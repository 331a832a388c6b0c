/**
 * The `power` host feature (docs/keep-awake.md, docs/host-api.md "Keep-awake"): what keep-awake
 * really does on this host and the "Keep this computer awake" setting. Declared here, in its
 * own file, and spread into the central maps (hostMethods.ts, hostNotifications.ts) with one
 * line each. Only the host's admins (the desktop window, the CLI) read or change it: the state
 * says whether the computer is on battery and which tool holds it awake, which a phone has no
 * need to know.
 */
import { z } from 'zod';
import { ADMIN_CLIENT_KINDS, type ClientKind } from '../clientIdentity.js';
import type { HostFeature } from '../hostFeatures.js';

const ADMINS: readonly ClientKind[] = ADMIN_CLIENT_KINDS;

/** Why keep-awake holds the computer awake (docs/keep-awake.md). */
export const KEEP_AWAKE_REASONS = ['remote-access', 'turn'] as const;
export type KeepAwakeReasonName = (typeof KEEP_AWAKE_REASONS)[number];

/** What keep-awake is doing right now, exactly as the host's policy (host/power/keepAwake.ts) sees it. */
export const PowerStateSchema = z
  .object({
    /** The "Keep this computer awake" setting (governs the remote-access reason only). */
    keepAwake: z.boolean(),
    /** True only while the OS really holds the computer awake for us. */
    held: z.boolean(),
    /** What wants the computer awake now (`remote-access` before `turn`). */
    reasons: z.array(z.enum(KEEP_AWAKE_REASONS)).max(KEEP_AWAKE_REASONS.length),
    /** How many environments are running a turn. */
    runningTurns: z.number().int().nonnegative(),
    /** Whether remote access is on. */
    remoteAccess: z.boolean(),
    /** False when this host cannot keep the computer awake (see `unavailableReason`). */
    available: z.boolean(),
    /** Why not, in one line ("systemd-inhibit: Failed to connect to bus: …"), when `available` is false. */
    unavailableReason: z.string().max(500).optional(),
    /** True on battery, false on AC; absent when unknown (treated as AC). */
    onBattery: z.boolean().optional(),
    /** The mechanism: "Electron powerSaveBlocker", "systemd-inhibit", "caffeinate" or "none". */
    mechanism: z.string().max(64),
  })
  .strict();
export type PowerState = z.infer<typeof PowerStateSchema>;

/** method → { feature, params, result, allowed client kinds } (spread into HOST_METHODS). */
export const POWER_METHODS = {
  /** The real keep-awake state (held or not, for which reasons, or why it is not available). */
  'host/power/get': {
    feature: 'power',
    params: z.union([z.object({}).strict(), z.undefined(), z.null()]),
    result: PowerStateSchema,
    allowed: ADMINS,
  },
  /** Changes the "Keep this computer awake" setting (persisted in the data dir); answers the new state. */
  'host/power/set': {
    feature: 'power',
    params: z.object({ keepAwake: z.boolean() }).strict(),
    result: PowerStateSchema,
    allowed: ADMINS,
  },
} as const satisfies Record<string, { feature: HostFeature; params: z.ZodType; result: z.ZodType; allowed: readonly ClientKind[] }>;

/** notification → { feature, params, allowed client kinds } (spread into HOST_NOTIFICATIONS). */
export const POWER_NOTIFICATIONS = {
  /** Any field of the keep-awake state changed (held, reasons, battery, setting, availability). */
  'host/power/changed': { feature: 'power', params: PowerStateSchema, allowed: ADMINS },
} as const satisfies Record<string, { feature: HostFeature; params: z.ZodType; allowed: readonly ClientKind[] }>;
