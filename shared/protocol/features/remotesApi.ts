/**
 * The `remotes` host feature (docs/remotes.md, docs/host-api.md "Controlling other hosts"): the
 * hosts this host controls through the relay, as a controller of kind `host`. Declared here and
 * spread into the central maps (hostMethods.ts, hostNotifications.ts) with one line each.
 *
 * A remote's `state` follows the subtitle state machine of Settings > Connections > "Control
 * other devices" (docs/connections-ui.md); `remoteSubtitle` gives the exact label, so the CLI
 * and every UI say the same words. The state is chosen by `chooseRemoteState` from the facts the
 * host knows, in the order the spec lists the labels.
 */
import { z } from 'zod';
import { ADMIN_CLIENT_KINDS, type ClientKind } from '../clientIdentity.js';
import { displayNameSchema } from '../displayName.js';
import { EnvironmentIdSchema } from '../hostSchemas.js';

const ADMINS: readonly ClientKind[] = ADMIN_CLIENT_KINDS;

/** The subtitle states, in the order the spec chooses them (the first that applies wins). */
export const REMOTE_STATES = [
  'removed',
  'offline',
  'updateRequired',
  'initializing',
  'waiting',
  'confirming',
  'connecting',
  'failed',
  'connected',
  'disconnected',
] as const;
export type RemoteState = (typeof REMOTE_STATES)[number];

/** What the host knows about one remote, from which its state is chosen. */
export interface RemoteStateFacts {
  /** The other host revoked this host (its sessions are refused with `revoked`). */
  readonly removed: boolean;
  /** The connect toggle. */
  readonly autoConnect: boolean;
  /**
   * Where the connection is: `idle` (not trying), `connecting` (relay socket, waiting for the
   * relay's `ready`), `handshaking` (end-to-end handshake), `confirming` (welcomed; reading the
   * other host's info and checking versions), `waiting` (connected, but the other host's engine
   * is not running yet), `open` (usable), `retrying` (lost or refused; tries again after a delay),
   * `failed` (refused in a way that is not retried).
   */
  readonly phase: 'idle' | 'connecting' | 'handshaking' | 'confirming' | 'waiting' | 'open' | 'retrying' | 'failed';
  /** The last failure was "the host is not registered at its relay". */
  readonly offline: boolean;
  /** The other host's Codex is older than this host needs. */
  readonly updateRequired: boolean;
}

/** Picks the one state to show, in the spec's order. */
export function chooseRemoteState(f: RemoteStateFacts): RemoteState {
  if (f.removed) return 'removed';
  if (!f.autoConnect) return 'disconnected';
  if (f.updateRequired) return 'updateRequired';
  // Until the relay answers a new attempt, the host is still as offline as the last one found it.
  if (f.offline && (f.phase === 'retrying' || f.phase === 'failed' || f.phase === 'connecting')) return 'offline';
  switch (f.phase) {
    case 'handshaking':
      return 'initializing';
    case 'waiting':
      return 'waiting';
    case 'confirming':
      return 'confirming';
    case 'connecting':
      return 'connecting';
    case 'retrying':
    case 'failed':
      return 'failed';
    case 'open':
      return 'connected';
    case 'idle':
      return 'connecting';
  }
}

/** The subtitle a UI shows (docs/connections-ui.md): `name` is this host's name for the remote. */
export function remoteSubtitle(state: RemoteState, name: string, message?: string): string {
  switch (state) {
    case 'removed':
      return `Removed by ${name}`;
    case 'offline':
      return 'Offline';
    case 'updateRequired':
      return 'Update required';
    case 'initializing':
      return 'Initializing secure connection';
    case 'waiting':
      return 'Waiting for device';
    case 'confirming':
      return 'Confirming connection';
    case 'connecting':
      return 'Connecting';
    case 'failed':
      return message ? `Connection failed · ${message}` : 'Connection failed';
    case 'connected':
      return 'Connected';
    case 'disconnected':
      return 'Disconnected';
  }
}

/** A controlled host's id: its host id (32 lowercase hex characters). */
export const RemoteIdSchema = z.string().regex(/^[0-9a-f]{32}$/, 'must be a host id (32 lowercase hex characters)');

export const RemoteInfoSchema = z.object({
  /** The other host's id. */
  id: z.string(),
  /** This host's name for it (rename changes it). */
  name: z.string().max(128),
  /** Its environment on this host's hub (`remote:<id>`), selectable while `autoConnect` is on. */
  environmentId: EnvironmentIdSchema,
  state: z.enum(REMOTE_STATES),
  /** `remoteSubtitle(state, name, message)`. */
  label: z.string().max(700),
  /** Why the last attempt failed (states `failed`, `offline`, `updateRequired`). */
  message: z.string().max(500).optional(),
  /** For `updateRequired`: what the other host runs and what this host needs (the tooltip). */
  versions: z.object({ remote: z.string().max(64).optional(), required: z.string().max(64) }).optional(),
  autoConnect: z.boolean(),
  addedAt: z.string(),
  lastSeen: z.string().nullable(),
  removedAt: z.string().nullable(),
  details: z.object({
    /** The other host's own name (from its last welcome). */
    hostName: z.string().max(128),
    /** Its OS (`process.platform`) and architecture, as it reports them. */
    platform: z.string().max(32),
    arch: z.string().max(32).optional(),
    /** Its Codex engine and Codex Host versions, as it reports them. */
    codexVersion: z.string().max(64).optional(),
    hostVersion: z.string().max(64).optional(),
    /** `SHA256:` + base64 of the SHA-256 of its host key (the key this host pins). */
    fingerprint: z.string().max(64),
    relay: z.string().max(2048),
  }),
});
export type RemoteInfo = z.infer<typeof RemoteInfoSchema>;

/** The listener flags of `codex-host remotes connect --listen` (the `serve --listen` ones), as raw strings. */
export const RemoteListenParamsSchema = z
  .object({
    remoteId: RemoteIdSchema,
    listen: z.string().max(4096),
    wsAuth: z.string().max(4096).optional(),
    wsTokenFile: z.string().max(4096).optional(),
    wsTokenSha256: z.string().max(4096).optional(),
    wsSharedSecretFile: z.string().max(4096).optional(),
    wsIssuer: z.string().max(4096).optional(),
    wsAudience: z.string().max(4096).optional(),
    wsMaxClockSkewSeconds: z.union([z.string().max(64), z.number()]).optional(),
    allowUnauthenticatedNonLoopbackWs: z.boolean().optional(),
  })
  .strict();

const remoteResult = z.object({ remote: RemoteInfoSchema });

/** method → { feature, params, result, allowed client kinds }; spread into HOST_METHODS. */
export const REMOTES_METHODS = {
  /** The controlled hosts, with this host's controller device id (how the other hosts list it). */
  'host/remotes/list': {
    feature: 'remotes',
    params: z.union([z.object({}).strict(), z.undefined(), z.null()]),
    result: z.object({ remotes: z.array(RemoteInfoSchema), deviceId: z.string().optional(), problem: z.string().optional() }),
    allowed: ADMINS,
  },
  /** Pairs with another host from its pairing link (`codex-host pair` there) and starts controlling it. */
  'host/remotes/add': {
    feature: 'remotes',
    params: z.object({ link: z.string().max(2048) }).strict(),
    result: remoteResult,
    allowed: ADMINS,
  },
  'host/remotes/rename': {
    feature: 'remotes',
    params: z.object({ remoteId: RemoteIdSchema, name: displayNameSchema }).strict(),
    result: remoteResult,
    allowed: ADMINS,
  },
  /** Forgets a remote (works offline: the other host is not contacted). */
  'host/remotes/remove': {
    feature: 'remotes',
    params: z.object({ remoteId: RemoteIdSchema }).strict(),
    result: z.object({ removed: z.boolean() }),
    allowed: ADMINS,
  },
  /** Turns the connect toggle on (persisted): connects now and at every start. */
  'host/remotes/connect': {
    feature: 'remotes',
    params: z.object({ remoteId: RemoteIdSchema }).strict(),
    result: remoteResult,
    allowed: ADMINS,
  },
  /** Turns the connect toggle off (persisted): ends the connection and the remote's environment. */
  'host/remotes/disconnect': {
    feature: 'remotes',
    params: z.object({ remoteId: RemoteIdSchema }).strict(),
    result: remoteResult,
    allowed: ADMINS,
  },
  /**
   * Starts a local app-server endpoint (`codex --remote ws://…`) whose clients work in the remote's
   * environment; it runs while the calling connection stays open.
   */
  'host/remotes/listen': {
    feature: 'remotes',
    params: RemoteListenParamsSchema,
    result: z.object({ url: z.string(), environmentId: EnvironmentIdSchema, banner: z.array(z.string().max(1024)).max(16), warnings: z.array(z.string().max(1024)).max(16) }),
    allowed: ADMINS,
  },
} as const;

/** notification → { feature, params, allowed }; spread into HOST_NOTIFICATIONS. */
export const REMOTES_NOTIFICATIONS = {
  /** A remote was added, removed or renamed, or its state (subtitle, last seen, details) changed. */
  'host/remotes/changed': {
    feature: 'remotes',
    params: z.object({ change: z.enum(['added', 'removed', 'renamed', 'state']), remote: RemoteInfoSchema }),
    allowed: ADMINS,
  },
} as const;

/** The environment id of a remote on this host's hub. */
export function remoteEnvironmentId(remoteId: string): string {
  return `remote:${remoteId}`;
}
