/**
 * Remote access at run time (docs/host-api.md "Remote access settings", docs/connections.md):
 * "Allow other devices to connect" (on/off without a restart), which relay this host registers
 * at (the embedded relay on this computer only, the embedded relay on this network at a chosen
 * address, or a relay URL), and the troubleshooting checks of Settings > Connections. These
 * are methods of the `remote` feature (on unless `serve --no-remote`), declared here and spread
 * into HOST_METHODS with one line. Only the host's admins call them.
 */
import { z } from 'zod';
import { ADMIN_CLIENT_KINDS, type ClientKind } from '../clientIdentity.js';
import type { HostFeature } from '../hostFeatures.js';
import { RELAY_STATES } from '../hostSchemas.js';

const ADMINS: readonly ClientKind[] = ADMIN_CLIENT_KINDS;
const NoParams = z.union([z.object({}).strict(), z.undefined(), z.null()]);

/** An IPv4 or IPv6 address as written in an interface list (no brackets, no zone). */
export const IpAddressSchema = z
  .string()
  .max(64)
  .regex(/^(?:[0-9]{1,3}(?:\.[0-9]{1,3}){3}|[0-9a-fA-F:]{2,45})$/, 'must be an IPv4 or IPv6 address of this computer');

/**
 * Which relay this host registers at:
 * - `this-computer`: the embedded relay on loopback (only this computer can reach it);
 * - `this-network`: the embedded relay on one of this computer's addresses (devices on the same network);
 * - `url`: a relay somewhere else (`wss://…`, or `ws://` to a loopback/LAN host).
 * The embedded relay keeps its port (relay.json) whichever address it listens on.
 */
export const RelaySettingSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('this-computer') }).strict(),
  z.object({ mode: z.literal('this-network'), address: IpAddressSchema }).strict(),
  z.object({ mode: z.literal('url'), url: z.string().min(1).max(256) }).strict(),
]);
export type RelaySetting = z.infer<typeof RelaySettingSchema>;
export type RelayMode = RelaySetting['mode'];

/** Who can reach the relay in use: this computer only, devices on its networks, or anyone who can reach the URL. */
export const RELAY_REACH = ['this-computer', 'local-network', 'anywhere'] as const;
export type RelayReach = (typeof RELAY_REACH)[number];

/** One address of this computer the embedded relay could listen on. */
export const LocalAddressSchema = z.object({
  address: z.string().max(64),
  /** The interface it belongs to (eth0, en0, Wi-Fi). */
  interface: z.string().max(64),
  family: z.enum(['IPv4', 'IPv6']),
  /** Why a pairing link cannot name it (a public address needs wss://), when it cannot. */
  unusable: z.string().max(200).optional(),
});
export type LocalAddress = z.infer<typeof LocalAddressSchema>;

/** Remote access as Settings > Connections shows it: the setting, the live state and the relay. */
export const RemoteAccessViewSchema = z.object({
  /** "Allow other devices to connect" (persisted). */
  enabled: z.boolean(),
  /** The relay registration right now (`stopped` while off or while the relay could not start). */
  state: z.enum(RELAY_STATES),
  /** Why the last start or relay connection failed; cleared once registered. */
  lastError: z.string().max(500).optional(),
  /** The relay setting in use. */
  relay: RelaySettingSchema,
  /** The relay address pairing links carry (ws(s)://host:port); absent while no relay could be chosen. */
  relayUrl: z.string().max(256).optional(),
  reach: z.enum(RELAY_REACH),
  /** Where the embedded relay listens (host:port), while it runs. */
  embeddedListening: z.string().max(128).optional(),
  /** The flag that fixes the relay (`--relay`, `--relay-listen`): the setting cannot change here. */
  relayFixedBy: z.enum(['--relay', '--relay-listen']).optional(),
  /** Relay sessions open right now (phones and other hosts). */
  sessions: z.number().int().nonnegative(),
  /** This computer's addresses the embedded relay can listen on (for `this-network`). */
  addresses: z.array(LocalAddressSchema).max(64),
});
export type RemoteAccessView = z.infer<typeof RemoteAccessViewSchema>;

export const CHECK_STATUSES = ['ok', 'warning', 'problem', 'unknown'] as const;
export type CheckStatus = (typeof CHECK_STATUSES)[number];

/** The four troubleshooting cases of docs/connections-ui.md. */
export const CHECK_GROUPS = ['not-visible', 'no-approvals', 'disconnects', 'authentication'] as const;
export type CheckGroup = (typeof CHECK_GROUPS)[number];

/** What a check's fix button does in the UI (the UI decides how; the host only names it). */
export const CHECK_ACTIONS = ['turn-on-remote-access', 'relay-this-network', 'relay-url', 'pair-device', 'turn-on-keep-awake'] as const;
export type CheckAction = (typeof CHECK_ACTIONS)[number];

export const TroubleshootingCheckSchema = z.object({
  id: z.string().max(64),
  group: z.enum(CHECK_GROUPS),
  /** The question, as a statement that is true when all is well ("Remote access is on"). */
  title: z.string().max(200),
  status: z.enum(CHECK_STATUSES),
  /** What the host sees, in one or two sentences. */
  detail: z.string().max(600),
  /** What to do about it, when the status is not ok. */
  fix: z.string().max(600).optional(),
  action: z.enum(CHECK_ACTIONS).optional(),
});
export type TroubleshootingCheck = z.infer<typeof TroubleshootingCheckSchema>;

/** method → { feature, params, result, allowed client kinds } (spread into HOST_METHODS). */
export const REMOTE_ACCESS_METHODS = {
  /** Remote access as it is: the setting, the registration, the relay and this computer's addresses. */
  'host/remoteAccess/get': { feature: 'remote', params: NoParams, result: RemoteAccessViewSchema, allowed: ADMINS },
  /**
   * Turns remote access on or off (persisted). Off ends every relay session at once and leaves
   * the relay (the embedded one stops); on starts it again. Answers once the change is applied.
   */
  'host/remoteAccess/set': {
    feature: 'remote',
    params: z.object({ enabled: z.boolean() }).strict(),
    result: RemoteAccessViewSchema,
    allowed: ADMINS,
  },
  /**
   * Chooses the relay (persisted) and restarts remote access on it. Devices paired through
   * another relay address cannot reach this host until it returns to that address. A relay that
   * cannot start leaves the previous one running and the setting unchanged.
   */
  'host/relay/set': {
    feature: 'remote',
    params: z.object({ relay: RelaySettingSchema }).strict(),
    result: RemoteAccessViewSchema,
    allowed: ADMINS,
  },
  /** The troubleshooting checks, computed now. */
  'host/remoteAccess/checks': {
    feature: 'remote',
    params: NoParams,
    result: z.object({ checks: z.array(TroubleshootingCheckSchema).max(32), checkedAt: z.string() }),
    allowed: ADMINS,
  },
} as const satisfies Record<string, { feature: HostFeature; params: z.ZodType; result: z.ZodType; allowed: readonly ClientKind[] }>;
