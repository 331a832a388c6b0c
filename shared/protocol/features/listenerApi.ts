/**
 * The `listener` host feature (docs/host-api.md "Listener settings", docs/connections.md): the
 * remote-TUI listener that `codex --remote ws://…` connects to, configured at run time from
 * Settings > Connections with the same rules as `serve --listen` (host/listener/listenerOptions.ts)
 * and persisted in the data dir. Flags given to `serve` win: the setting is then read-only here.
 * A capability token is generated into a 0600 file in the data dir; only its path travels.
 */
import { z } from 'zod';
import { ADMIN_CLIENT_KINDS, type ClientKind } from '../clientIdentity.js';
import type { HostFeature } from '../hostFeatures.js';

const ADMINS: readonly ClientKind[] = ADMIN_CLIENT_KINDS;
const NoParams = z.union([z.object({}).strict(), z.undefined(), z.null()]);

export const LISTENER_AUTH_MODES = ['none', 'capability-token', 'signed-bearer-token'] as const;
export type ListenerAuthMode = (typeof LISTENER_AUTH_MODES)[number];

const path = z.string().min(1).max(1024);
const claim = z.string().max(256);

/** What the person configures (and the data dir keeps). */
export const ListenerSettingsSchema = z
  .object({
    /** Whether the listener runs. */
    enabled: z.boolean(),
    /** `ws://IP:PORT` (loopback unless an auth mode is set). */
    listen: z.string().min(1).max(256),
    auth: z.enum(LISTENER_AUTH_MODES),
    /** capability-token: the file holding the token (absolute path). */
    tokenFile: path.optional(),
    /** signed-bearer-token: the file holding the HS256 secret (absolute path, at least 32 bytes). */
    sharedSecretFile: path.optional(),
    issuer: claim.optional(),
    audience: claim.optional(),
    maxClockSkewSeconds: z.number().int().min(0).max(86_400).optional(),
  })
  .strict();
export type ListenerSettings = z.infer<typeof ListenerSettingsSchema>;

export const LISTENER_STATES = ['off', 'listening', 'failed'] as const;
export type ListenerState = (typeof LISTENER_STATES)[number];

export const ListenerViewSchema = z.object({
  settings: ListenerSettingsSchema,
  /** True when `serve --listen …` flags set the listener: it cannot be changed here. */
  fixedByFlags: z.boolean(),
  state: z.enum(LISTENER_STATES),
  /** The bound address (`ws://127.0.0.1:8765`) while listening. */
  url: z.string().max(256).optional(),
  /** Why the listener is not running although it is on (a taken port, a missing token file). */
  lastError: z.string().max(1000).optional(),
  /** Advice about the running configuration (e.g. a token file other users can read). */
  warnings: z.array(z.string().max(1000)).max(8),
  /** Remote TUI clients connected now. */
  clients: z.number().int().nonnegative(),
  /** Where `host/listener/generateToken` writes the token (in the data dir). */
  generatedTokenFile: z.string().max(1024),
  /** The command that connects the Codex TUI to this listener (for this host's platform), while listening. */
  command: z.string().max(2048).optional(),
});
export type ListenerView = z.infer<typeof ListenerViewSchema>;

/** method → { feature, params, result, allowed client kinds } (spread into HOST_METHODS). */
export const LISTENER_METHODS = {
  'host/listener/get': { feature: 'listener', params: NoParams, result: ListenerViewSchema, allowed: ADMINS },
  /**
   * Validates the settings like `serve --listen` does, restarts the listener with them and
   * saves them. Bad settings, or a listener that cannot start, leave the running one and the
   * stored settings as they were.
   */
  'host/listener/set': {
    feature: 'listener',
    params: z.object({ settings: ListenerSettingsSchema }).strict(),
    result: ListenerViewSchema,
    allowed: ADMINS,
  },
  /**
   * Writes a new random capability token to `generatedTokenFile` (0600). A running listener
   * that uses that file switches to the new token (clients with the old one stay connected).
   */
  'host/listener/generateToken': {
    feature: 'listener',
    params: NoParams,
    result: z.object({ tokenFile: z.string().max(1024), view: ListenerViewSchema }),
    allowed: ADMINS,
  },
} as const satisfies Record<string, { feature: HostFeature; params: z.ZodType; result: z.ZodType; allowed: readonly ClientKind[] }>;

/** notification → { feature, params, allowed client kinds } (spread into HOST_NOTIFICATIONS). */
export const LISTENER_NOTIFICATIONS = {
  /** The listener started, stopped, failed, or its settings or client count changed. */
  'host/listener/changed': { feature: 'listener', params: ListenerViewSchema, allowed: ADMINS },
} as const satisfies Record<string, { feature: HostFeature; params: z.ZodType; allowed: readonly ClientKind[] }>;
