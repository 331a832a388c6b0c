/**
 * The `ssh` host feature (docs/host-api.md, docs/ssh.md): SSH hosts as environments of the
 * hub. Management (list, enable, disable, trust, add, edit, remove, prompts, the remote folder
 * picker, remote projects) is for the host's admins; the projects list is for everyone, so a
 * phone can start a thread in a remote project. Declared here and spread into the central maps
 * (hostMethods.ts, hostNotifications.ts) with one line each.
 *
 * Secrets: prompt answers travel in `host/ssh/prompt/answer` only; the host never logs or
 * stores them, and no result or notification carries them.
 */
import { z } from 'zod';
import { ADMIN_CLIENT_KINDS, CLIENT_KINDS, type ClientKind } from '../clientIdentity.js';
import { displayNameSchema } from '../displayName.js';
import type { HostFeature } from '../hostFeatures.js';

const ADMINS: readonly ClientKind[] = ADMIN_CLIENT_KINDS;
const EVERYONE: readonly ClientKind[] = CLIENT_KINDS;
const NoParams = z.union([z.object({}).strict(), z.undefined(), z.null()]);

/** The connection's state (docs/ssh.md, "States, phases, errors"). */
export const SSH_HOST_STATES = ['disabled', 'connecting', 'connected', 'disconnected', 'error'] as const;
export type SshHostStateName = (typeof SSH_HOST_STATES)[number];

/** Progress while connecting. */
export const SSH_PHASES = ['resolving', 'connecting', 'authenticating', 'checking-codex', 'starting-engine', 'ready'] as const;

export const SSH_ERROR_CODE_NAMES = [
  'config',
  'resolve',
  'remote-command',
  'unsupported-config',
  'connect',
  'host-key-unknown',
  'host-key-changed',
  'host-key-revoked',
  'auth',
  'password-required',
  'prompt-timeout',
  'codex-missing',
  'codex-too-old',
  'codex-broken',
  'engine-start',
  'sign-in',
  'disconnected',
  'internal',
] as const;

/** A host's name as the API takes it: a config alias or a manual host's name. */
export const SshHostNameSchema = z
  .string()
  .min(1)
  .max(255)
  // eslint-disable-next-line no-control-regex
  .regex(/^[^\s\u0000-\u001f\u007f]+$/, 'must not contain spaces or control characters');

/** A path on the SSH host (absolute, or `~`/`~/…` for the remote home). */
export const RemotePathSchema = z
  .string()
  .min(1)
  .max(4096)
  // eslint-disable-next-line no-control-regex
  .regex(/^[^\u0000-\u001f\u007f]+$/, 'must not contain control characters')
  .refine((p) => p.startsWith('/') || p === '~' || p.startsWith('~/'), 'must be absolute, or start with ~/');

export const SshHostErrorSchema = z.object({
  code: z.enum(SSH_ERROR_CODE_NAMES),
  /** The one line the UI shows (e.g. "Host key unknown — fingerprint SHA256:… (ssh-ed25519); …"). */
  message: z.string().max(1000),
  /** What the user can do about it (e.g. "Compare the fingerprint with the host's, then Trust"). */
  fix: z.string().max(500),
  /** For host-key errors: the key the host presented (what `host/ssh/trust` must name). */
  fingerprint: z.string().max(128).optional(),
  keyType: z.string().max(64).optional(),
  /** For a changed key: the fingerprint that was expected. */
  expectedFingerprint: z.string().max(128).optional(),
  /** For codex-too-old: the versions. */
  foundVersion: z.string().max(64).optional(),
  neededVersion: z.string().max(64).optional(),
});
export type SshHostErrorInfo = z.infer<typeof SshHostErrorSchema>;

export const SshHostInfoSchema = z.object({
  name: z.string().max(255),
  /** `config`: an alias of the ssh config; `manual`: added by hand (can be edited and removed). */
  source: z.enum(['config', 'manual']),
  /** Where a config alias is defined. */
  file: z.string().max(4096).optional(),
  line: z.number().int().positive().optional(),
  enabled: z.boolean(),
  /**
   * On the user's list (a row of the SSH tab): added by hand, or a config alias picked from
   * the discovered list (`host/ssh/pick`) or enabled once. Unpicked aliases are only discovered.
   */
  listed: z.boolean(),
  /** The hub environment of this host while it is enabled (`ssh:<alias>`). */
  environmentId: z.string().max(64).optional(),
  state: z.enum(SSH_HOST_STATES),
  phase: z.enum(SSH_PHASES).optional(),
  /** While `disconnected`: the delay before the next attempt. */
  retryInMs: z.number().int().nonnegative().optional(),
  /** Connection losses since enabled. */
  disconnects: z.number().int().nonnegative(),
  lastError: SshHostErrorSchema.optional(),
  /** Details: what is known before connecting (manual hosts) or was resolved when enabled. */
  details: z.object({
    hostName: z.string().max(255).optional(),
    port: z.number().int().min(1).max(65535).optional(),
    user: z.string().max(256).optional(),
    identityFiles: z.array(z.string().max(4096)).max(32),
    /** ProxyJump hops. */
    via: z.array(z.string().max(255)).max(8),
    /** Once connected: the remote Codex version, login shell and user. */
    remote: z.object({ codexVersion: z.string().max(64), shell: z.string().max(4096), user: z.string().max(256) }).optional(),
  }),
});
export type SshHostInfo = z.infer<typeof SshHostInfoSchema>;

export const SshConfigProblemSchema = z.object({
  file: z.string().max(4096),
  line: z.number().int().nonnegative().optional(),
  alias: z.string().max(255).optional(),
  error: z.string().max(1000),
});

export const SshPromptSchema = z.object({
  promptId: z.string().regex(/^[0-9a-f]{16}$/, 'must be 16 lowercase hex characters'),
  host: z.string().max(255),
  kind: z.enum(['password', 'keyboard-interactive', 'passphrase']),
  /** e.g. "Password for alice@devbox". */
  title: z.string().max(500),
  /** The server's instructions (keyboard-interactive), else ''. */
  instructions: z.string().max(2000),
  /** One answer per prompt; `echo: false` for secrets. */
  prompts: z.array(z.object({ text: z.string().max(500), echo: z.boolean() })).max(16),
  /** When the host stops waiting for the answer (then the connection ends in "Password required"). */
  expiresAt: z.string(),
});
export type SshPrompt = z.infer<typeof SshPromptSchema>;

export const SshListResultSchema = z.object({
  /** The ssh config read (default ~/.ssh/config). */
  configFile: z.string().max(4096),
  hosts: z.array(SshHostInfoSchema),
  /** Config entries that could not be read, with their error (the other hosts are still listed). */
  problems: z.array(SshConfigProblemSchema),
  /** Questions waiting for an answer (also sent as host/ssh/prompt). */
  prompts: z.array(SshPromptSchema),
});

export const RemoteFolderSchema = z.object({
  host: z.string().max(255),
  /** The folder, resolved on the host (absolute, symlinks resolved). */
  path: z.string().max(4096),
  /** Its parent folder (the "Up" button), null at `/`. */
  parent: z.string().max(4096).nullable(),
  /** Sub-folders, sorted by name, hidden ones (".x") last. */
  entries: z.array(z.object({ name: z.string().max(1024), path: z.string().max(4096), hidden: z.boolean() })).max(2000),
  /** More folders than the limit exist; only the first ones are listed. */
  truncated: z.boolean(),
});
export type RemoteFolder = z.infer<typeof RemoteFolderSchema>;

export const RemoteProjectSchema = z.object({
  host: z.string().max(255),
  path: z.string().max(4096),
  name: z.string().max(64),
  addedAt: z.string(),
});
export type RemoteProject = z.infer<typeof RemoteProjectSchema>;

const ManualFields = {
  /** `user@host`, `user@host:port` or `user@[v6]:port`. */
  destination: z.string().min(1).max(600),
  /** A port given separately (the UI's field), used when the destination has none. */
  port: z.number().int().min(1).max(65535).optional(),
  /** `~/…` or an absolute path on this computer. */
  identityFile: z.string().min(1).max(4096).optional(),
};
const HostOnly = z.object({ name: SshHostNameSchema }).strict();
const HostResult = z.object({ host: SshHostInfoSchema });

/** method → { feature, params, result, allowed client kinds } */
export const SSH_METHODS = {
  /** Discovered aliases (with config problems), hosts added by hand, and waiting prompts. */
  'host/ssh/list': { feature: 'ssh', params: NoParams, result: SshListResultSchema, allowed: ADMINS },
  /** Reads the ssh config again (never contacts a host). */
  'host/ssh/refresh': { feature: 'ssh', params: NoParams, result: SshListResultSchema, allowed: ADMINS },
  /** Enables the host: it connects now and at every start, and becomes environment `ssh:<alias>`. */
  'host/ssh/enable': { feature: 'ssh', params: HostOnly, result: HostResult, allowed: ADMINS },
  /** Disables it: its environment is removed (its clients closed) and its remote engine stopped. */
  'host/ssh/disable': { feature: 'ssh', params: HostOnly, result: HostResult, allowed: ADMINS },
  /** "Restart connection": stops and connects again (an enabled host). */
  'host/ssh/restart': { feature: 'ssh', params: HostOnly, result: HostResult, allowed: ADMINS },
  /** Trusts the unknown host key last shown, if `fingerprint` is exactly that key's; then connects. */
  'host/ssh/trust': {
    feature: 'ssh',
    params: z.object({ name: SshHostNameSchema, fingerprint: z.string().regex(/^SHA256:[A-Za-z0-9+/]{43}$/, 'must be a SHA256:… fingerprint as shown') }).strict(),
    result: HostResult,
    allowed: ADMINS,
  },
  /** Puts a discovered config alias on the user's list without connecting it (the discovered list's checkbox). */
  'host/ssh/pick': { feature: 'ssh', params: HostOnly, result: HostResult, allowed: ADMINS },
  /** Adds a host by hand (disabled until enabled). */
  'host/ssh/add': { feature: 'ssh', params: z.object({ name: displayNameSchema, ...ManualFields }).strict(), result: HostResult, allowed: ADMINS },
  /**
   * Replaces the settings of a host added by hand with these (an absent identity file means
   * none); `newName` renames it, and its projects follow. An enabled host reconnects.
   */
  'host/ssh/edit': {
    feature: 'ssh',
    params: z.object({ name: SshHostNameSchema, newName: displayNameSchema.optional(), ...ManualFields }).strict(),
    result: HostResult,
    allowed: ADMINS,
  },
  /**
   * Removes a host from the list: disables it, forgets its projects; a host added by hand is
   * deleted with its trusted key, a config alias stays in the ssh config (and discovered).
   */
  'host/ssh/remove': { feature: 'ssh', params: HostOnly, result: z.object({ removed: z.literal(true), source: z.enum(['config', 'manual']) }), allowed: ADMINS },
  /** Answers a prompt (one answer per question). The answers are used once and never kept. */
  'host/ssh/prompt/answer': {
    feature: 'ssh',
    params: z.object({ promptId: z.string().regex(/^[0-9a-f]{16}$/), answers: z.array(z.string().max(4096)).max(16) }).strict(),
    result: z.object({ answered: z.literal(true) }),
    allowed: ADMINS,
  },
  /** Cancels a prompt (the connection ends in "Password required — … cancelled"). */
  'host/ssh/prompt/cancel': {
    feature: 'ssh',
    params: z.object({ promptId: z.string().regex(/^[0-9a-f]{16}$/) }).strict(),
    result: z.object({ cancelled: z.boolean() }),
    allowed: ADMINS,
  },
  /** The sub-folders of a folder on a connected host (the folder picker); default the remote home. */
  'host/ssh/browse': {
    feature: 'ssh',
    params: z.object({ host: SshHostNameSchema, path: RemotePathSchema.optional() }).strict(),
    result: RemoteFolderSchema,
    allowed: ADMINS,
  },
  /** The remote projects remembered (of one host, or of all). */
  'host/ssh/projects/list': {
    feature: 'ssh',
    params: z.union([z.object({ host: SshHostNameSchema.optional() }).strict(), z.undefined(), z.null()]),
    result: z.object({ projects: z.array(RemoteProjectSchema), problem: z.string().max(1000).optional() }),
    allowed: EVERYONE,
  },
  /** Remembers a folder of a connected host as a project (checked to be a folder there). */
  'host/ssh/projects/add': {
    feature: 'ssh',
    params: z.object({ host: SshHostNameSchema, path: RemotePathSchema, name: displayNameSchema.optional() }).strict(),
    result: z.object({ project: RemoteProjectSchema }),
    allowed: ADMINS,
  },
  'host/ssh/projects/remove': {
    feature: 'ssh',
    params: z.object({ host: SshHostNameSchema, path: z.string().min(1).max(4096) }).strict(),
    result: z.object({ removed: z.boolean() }),
    allowed: ADMINS,
  },
} as const satisfies Record<string, { feature: HostFeature; params: z.ZodType; result: z.ZodType; allowed: readonly ClientKind[] }>;

/** notification → { feature, params schema, client kinds that may receive it } */
export const SSH_NOTIFICATIONS = {
  /** A host was added, changed state, phase or last error, or was removed (`host` absent). */
  'host/ssh/changed': { feature: 'ssh', params: z.object({ name: z.string().max(255), host: SshHostInfoSchema.optional() }), allowed: ADMINS },
  /** A connection asks for a password, passphrase or keyboard-interactive answers. */
  'host/ssh/prompt': { feature: 'ssh', params: SshPromptSchema, allowed: ADMINS },
  /** A prompt is no longer waiting (answered, cancelled, timed out, or its connection ended). */
  'host/ssh/prompt/closed': { feature: 'ssh', params: z.object({ promptId: z.string().regex(/^[0-9a-f]{16}$/), host: z.string().max(255) }), allowed: ADMINS },
  /** The remote projects changed. */
  'host/ssh/projects/changed': { feature: 'ssh', params: z.object({ projects: z.array(RemoteProjectSchema) }), allowed: EVERYONE },
} as const satisfies Record<string, { feature: HostFeature; params: z.ZodType; allowed: readonly ClientKind[] }>;
