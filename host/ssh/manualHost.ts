/**
 * Hosts added by hand (docs/connections-ui.md "Add manually"; CLI `ssh add NAME user@host[:port]
 * [--identity FILE]`): the destination is parsed and checked here, with a clear error for each
 * way it can be wrong, and becomes the same `ResolvedSshHost` a config alias resolves to.
 */
import path from 'node:path';
import { z } from 'zod';
import { displayNameSchema } from '../../shared/protocol/displayName.js';
import { DEFAULT_GLOBAL_KNOWN_HOSTS, DEFAULT_USER_KNOWN_HOSTS, expandPath, type ResolveContext, type ResolvedSshHost } from './resolvedHost.js';
import { SshError } from './sshErrors.js';

export interface ManualHostInput {
  readonly name: string;
  /** `user@host`, `user@host:port`, `user@[v6]:port`. */
  readonly destination: string;
  /** A port given separately (the UI's field); wins over `:port` only when that is absent. */
  readonly port?: number;
  readonly identityFile?: string;
}

export interface ManualHost {
  readonly name: string;
  readonly user: string;
  readonly hostName: string;
  readonly port: number;
  readonly identityFile?: string;
}

/** What the stored form of a manual host looks like (the SshHosts state file). */
export const manualHostSchema = z.object({
  name: z.string().min(1).max(64),
  user: z.string().min(1).max(256),
  hostName: z.string().min(1).max(255),
  port: z.number().int().min(1).max(65535),
  identityFile: z.string().min(1).max(4096).optional(),
});

/** Parses and checks a manual host; throws `SshError('config')` naming what is wrong. */
export function parseManualHost(input: ManualHostInput, home: string): ManualHost {
  const name = displayNameSchema.safeParse(input.name);
  if (!name.success) throw new SshError('config', 'the name must be 1–64 printable characters');
  if (!/^[A-Za-z0-9._-]+$/.test(input.name)) throw new SshError('config', 'the name may only contain letters, digits, ".", "_" and "-" (it is used like an alias)');
  const dest = input.destination.trim();
  const at = dest.lastIndexOf('@');
  if (at <= 0) throw new SshError('config', `"${clip(dest)}" needs a user: write it as user@host or user@host:port`);
  const user = dest.slice(0, at);
  const rest = dest.slice(at + 1);
  if (!/^[A-Za-z0-9._][A-Za-z0-9._-]*$/.test(user) || user.length > 256) throw new SshError('config', `"${clip(user)}" is not a valid user name`);
  let hostName: string;
  let portText: string | undefined;
  const v6 = /^\[([0-9A-Fa-f:.]+)\](?::(.*))?$/.exec(rest);
  if (v6) {
    hostName = v6[1]!;
    portText = v6[2];
  } else {
    const parts = rest.split(':');
    if (parts.length > 2) throw new SshError('config', `"${clip(rest)}": write an IPv6 address in brackets, like user@[::1]:22`);
    hostName = parts[0] ?? '';
    portText = parts[1];
  }
  if (!hostName) throw new SshError('config', `"${clip(dest)}" has no host after the @`);
  if (!v6 && !/^[A-Za-z0-9]([A-Za-z0-9.-]{0,253}[A-Za-z0-9])?$/.test(hostName)) throw new SshError('config', `"${clip(hostName)}" is not a valid host name or address`);
  let port = input.port ?? 22;
  if (portText !== undefined) {
    if (!/^\d{1,5}$/.test(portText) || Number(portText) < 1 || Number(portText) > 65535) throw new SshError('config', `the port "${clip(portText)}" must be a number from 1 to 65535`);
    port = Number(portText);
  } else if (input.port !== undefined && (!Number.isInteger(input.port) || input.port < 1 || input.port > 65535)) {
    throw new SshError('config', `the port ${input.port} must be a number from 1 to 65535`);
  }
  let identityFile: string | undefined;
  if (input.identityFile !== undefined && input.identityFile.trim() !== '') {
    const f = input.identityFile.trim();
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u001f]/.test(f)) throw new SshError('config', 'the identity file path contains control characters');
    identityFile = expandPath(f, home);
    if (!path.isAbsolute(identityFile)) throw new SshError('config', 'the identity file must be an absolute path or start with ~/');
  }
  return { name: input.name, user, hostName, port, ...(identityFile ? { identityFile } : {}) };
}

/** The connection settings of a manual host (OpenSSH defaults for everything not given). */
export function manualToResolved(host: ManualHost, ctx: ResolveContext): ResolvedSshHost {
  return {
    alias: host.name,
    hostName: host.hostName,
    port: host.port,
    user: host.user,
    identityFiles: host.identityFile ? [host.identityFile] : ['id_rsa', 'id_ecdsa', 'id_ed25519'].map((f) => path.join(ctx.home, '.ssh', f)),
    identitiesOnly: host.identityFile !== undefined,
    agentSocket: ctx.authSock || undefined,
    proxyJump: [],
    knownHostsFiles: [...DEFAULT_USER_KNOWN_HOSTS.map((f) => expandPath(f, ctx.home)), ...DEFAULT_GLOBAL_KNOWN_HOSTS],
    hostKeyAlias: undefined,
    connectTimeoutMs: undefined,
    passwordAuthentication: true,
    kbdInteractiveAuthentication: true,
    pubkeyAuthentication: true,
    source: 'manual',
  };
}

function clip(s: string): string {
  return s.slice(0, 80);
}
