/**
 * The settings a connection uses, from OpenSSH's resolved view of an alias (`ssh -G`) or the
 * parser's fallback computation. Both produce lowercase keyword → values; this module turns
 * that into a checked `ResolvedSshHost`: `~` and `%` tokens expanded, ProxyJump split into
 * hops, and the settings we cannot honour refused with an explanation (`RemoteCommand`,
 * `RequestTTY force`, `ProxyCommand`).
 */
import path from 'node:path';
import { z } from 'zod';
import { parseUnknown } from '../../shared/util/schema.js';
import { REMOTE_COMMAND_MESSAGE, SshError } from './sshErrors.js';

/** One `ProxyJump` hop (`[user@]host[:port]`, or `ssh://…`). */
export interface JumpHop {
  readonly user?: string;
  readonly host: string;
  readonly port?: number;
}

export interface ResolvedSshHost {
  /** The alias the user picked (or the manual host's name). */
  readonly alias: string;
  readonly hostName: string;
  readonly port: number;
  readonly user: string;
  /** Candidate private keys, absolute, in order (missing files are skipped at connect time). */
  readonly identityFiles: readonly string[];
  readonly identitiesOnly: boolean;
  /** The agent socket, or undefined for none. */
  readonly agentSocket: string | undefined;
  readonly proxyJump: readonly JumpHop[];
  /** known_hosts files, read only (user ones first). */
  readonly knownHostsFiles: readonly string[];
  /** `HostKeyAlias`: the name host keys are looked up and stored under. */
  readonly hostKeyAlias: string | undefined;
  readonly connectTimeoutMs: number | undefined;
  readonly passwordAuthentication: boolean;
  readonly kbdInteractiveAuthentication: boolean;
  readonly pubkeyAuthentication: boolean;
  /** Where the settings came from. */
  readonly source: 'openssh' | 'parser' | 'manual';
  /** Why the parser answered although an OpenSSH client exists (a broken config line). */
  readonly note?: string;
}

/** Keyword → every value given for it (lowercase keywords, as `ssh -G` prints them). */
export type SshOptions = ReadonlyMap<string, readonly string[]>;

export interface ResolveContext {
  readonly home: string;
  readonly localUser: string;
  /** Local host name (for `%l`). */
  readonly localHost: string;
  /** `SSH_AUTH_SOCK` of the host process (the agent used unless IdentityAgent says otherwise). */
  readonly authSock: string | undefined;
  /** Environment for `IdentityAgent $VAR`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** OpenSSH's default identity files (`ssh -G` lists them when none is configured). */
export const DEFAULT_IDENTITY_FILES = ['~/.ssh/id_rsa', '~/.ssh/id_ecdsa', '~/.ssh/id_ecdsa_sk', '~/.ssh/id_ed25519', '~/.ssh/id_ed25519_sk', '~/.ssh/id_xmss', '~/.ssh/id_dsa'];
export const DEFAULT_USER_KNOWN_HOSTS = ['~/.ssh/known_hosts', '~/.ssh/known_hosts2'];
export const DEFAULT_GLOBAL_KNOWN_HOSTS = ['/etc/ssh/ssh_known_hosts', '/etc/ssh/ssh_known_hosts2'];

/** Parses `ssh -G` output: one `keyword value…` per line. */
export function parseSshGOutput(text: string): SshOptions {
  const out = new Map<string, string[]>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line) continue;
    const sp = line.search(/\s/);
    const key = (sp === -1 ? line : line.slice(0, sp)).toLowerCase();
    const value = sp === -1 ? '' : line.slice(sp + 1).trim();
    const list = out.get(key);
    if (list) list.push(value);
    else out.set(key, [value]);
  }
  return out;
}

const resolvedSchema = z.object({
  hostName: z.string().min(1).max(255).regex(/^[^\s'"`$;&|<>\\]+$/, 'contains characters a host name cannot have'),
  port: z.number().int().min(1).max(65535),
  user: z.string().min(1).max(256).regex(/^[^\s:/'"`$\\]+$/, 'contains characters a user name cannot have'),
});

/**
 * Builds the connection settings from resolved options. Throws `SshError` `remote-command`
 * or `unsupported-config` for what we refuse, `resolve` for values that make no sense.
 */
export function toResolvedHost(alias: string, options: SshOptions, source: 'openssh' | 'parser', ctx: ResolveContext): ResolvedSshHost {
  const first = (k: string): string | undefined => options.get(k)?.[0];
  const remoteCommand = first('remotecommand');
  if (remoteCommand !== undefined && remoteCommand !== '' && remoteCommand.toLowerCase() !== 'none') {
    throw new SshError('remote-command', `${REMOTE_COMMAND_MESSAGE}: Codex Host runs its own commands on the host; remove RemoteCommand from the Host block, or add a separate alias without it`);
  }
  if ((first('requesttty') ?? '').toLowerCase() === 'force') {
    throw new SshError('remote-command', `${REMOTE_COMMAND_MESSAGE} (RequestTTY force): Codex Host needs a plain channel; remove RequestTTY force, or add a separate alias without it`);
  }
  const proxyCommand = first('proxycommand');
  if (proxyCommand !== undefined && proxyCommand !== '' && proxyCommand.toLowerCase() !== 'none') {
    throw new SshError('unsupported-config', 'ProxyCommand in your config is not supported for this host; use ProxyJump instead');
  }
  const hostNameRaw = first('hostname') ?? alias;
  const portRaw = first('port') ?? '22';
  const user = first('user') ?? ctx.localUser;
  const tokens = { alias, hostName: expandTokens(hostNameRaw, { alias, hostName: alias, port: portRaw, user, ctx }), port: portRaw, user, ctx };
  let checked: z.output<typeof resolvedSchema>;
  try {
    checked = parseUnknown(resolvedSchema, { hostName: tokens.hostName, port: /^\d{1,5}$/.test(portRaw) ? Number(portRaw) : Number.NaN, user }, `the resolved settings of ${alias}`);
  } catch (err) {
    throw new SshError('resolve', (err as Error).message);
  }
  const t = { ...tokens, hostName: checked.hostName };
  // IdentityFile is one path per line (it may hold spaces); the known_hosts keywords are lists.
  const files = (key: string, defaults: readonly string[], list = true) =>
    (options.get(key)?.flatMap((v) => (list ? splitList(v) : [v])) ?? defaults).filter((f) => f.toLowerCase() !== 'none').map((f) => expandPath(expandTokens(f, t), ctx.home));
  const identityFiles = files('identityfile', source === 'parser' ? DEFAULT_IDENTITY_FILES : [], false);
  const knownHostsFiles = [...files('userknownhostsfile', DEFAULT_USER_KNOWN_HOSTS), ...files('globalknownhostsfile', DEFAULT_GLOBAL_KNOWN_HOSTS)];
  const connectTimeout = first('connecttimeout');
  return {
    alias,
    hostName: checked.hostName,
    port: checked.port,
    user: checked.user,
    identityFiles: [...new Set(identityFiles)],
    identitiesOnly: yes(first('identitiesonly')),
    agentSocket: agentSocket(first('identityagent'), t, ctx),
    proxyJump: parseProxyJump(first('proxyjump') ?? 'none'),
    knownHostsFiles: [...new Set(knownHostsFiles)],
    hostKeyAlias: nonEmpty(first('hostkeyalias')),
    connectTimeoutMs: connectTimeout && /^\d+$/.test(connectTimeout) ? Number(connectTimeout) * 1000 : undefined,
    passwordAuthentication: first('passwordauthentication') === undefined || yes(first('passwordauthentication')),
    kbdInteractiveAuthentication: first('kbdinteractiveauthentication') === undefined || yes(first('kbdinteractiveauthentication')),
    pubkeyAuthentication: first('pubkeyauthentication') === undefined || yes(first('pubkeyauthentication')),
    source,
  };
}

/** Splits `ProxyJump a@j1:23,j2` into hops; `none` is no hop. Throws `SshError` on a bad hop. */
export function parseProxyJump(value: string): JumpHop[] {
  const v = value.trim();
  if (v === '' || v.toLowerCase() === 'none') return [];
  return v.split(',').map((raw) => {
    const hop = raw.trim().replace(/^ssh:\/\//, '');
    const m = /^(?:([^@\s]+)@)?(\[[^\]]+\]|[^:@\s[\]]+)(?::(\d{1,5}))?$/.exec(hop);
    const port = m?.[3] === undefined ? undefined : Number(m[3]);
    if (!m || (port !== undefined && (port < 1 || port > 65535))) throw new SshError('resolve', `ProxyJump hop "${raw.trim().slice(0, 80)}" is not [user@]host[:port]`);
    return { ...(m[1] ? { user: m[1] } : {}), host: m[2]!.replace(/^\[|\]$/g, ''), ...(port !== undefined ? { port } : {}) };
  });
}

interface TokenValues {
  readonly alias: string;
  readonly hostName: string;
  readonly port: string;
  readonly user: string;
  readonly ctx: ResolveContext;
}

/** OpenSSH's `%` tokens (the ones that make sense without a connection). Unknown ones stay. */
export function expandTokens(s: string, t: TokenValues): string {
  return s.replace(/%([%dhlnpru])/g, (_m, c: string) => {
    switch (c) {
      case '%':
        return '%';
      case 'd':
        return t.ctx.home;
      case 'h':
        return t.hostName;
      case 'l':
        return t.ctx.localHost;
      case 'n':
        return t.alias;
      case 'p':
        return t.port;
      case 'r':
        return t.user;
      case 'u':
        return t.ctx.localUser;
      default:
        return `%${c}`;
    }
  });
}

/** `~` and relative paths of identity and known_hosts files (relative to `~/.ssh`, like OpenSSH). */
export function expandPath(p: string, home: string): string {
  if (p === '~' || p.startsWith('~/')) return path.join(home, p.slice(1));
  return path.isAbsolute(p) ? p : path.join(home, '.ssh', p);
}

function agentSocket(value: string | undefined, t: TokenValues, ctx: ResolveContext): string | undefined {
  if (value === undefined || value === '' || value === 'SSH_AUTH_SOCK') return nonEmpty(ctx.authSock);
  if (value.toLowerCase() === 'none') return undefined;
  if (value.startsWith('$')) return nonEmpty(ctx.env?.[value.slice(1)]);
  return expandPath(expandTokens(value, t), ctx.home);
}

function splitList(v: string): string[] {
  return v.split(/\s+/).filter((x) => x !== '');
}

function yes(v: string | undefined): boolean {
  return v !== undefined && /^(yes|true)$/i.test(v);
}

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v === '' ? undefined : v;
}
