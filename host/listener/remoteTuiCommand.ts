/**
 * The command that connects the Codex TUI to this host's listener (docs/connections.md), for
 * the host's own platform: `codex --remote ws://…`, with the token passed through an environment
 * variable (`--remote-auth-token-env`), never on the command line. A capability token read from
 * a file is read by the shell (`$(cat FILE)` / `Get-Content`), so the command can be copied
 * without copying the secret.
 */
import os from 'node:os';
import type { ListenerAuthMode } from '../../shared/protocol/features/listenerApi.js';

export const TOKEN_ENV = 'CODEX_TOKEN';

export interface RemoteTuiCommandInput {
  /** The listener's bound URL. */
  readonly url: string;
  readonly auth: ListenerAuthMode;
  /** capability-token: the token file, when the listener reads one. */
  readonly tokenFile?: string;
  readonly platform: NodeJS.Platform;
}

export function remoteTuiCommand(i: RemoteTuiCommandInput): string {
  const url = connectableUrl(i.url);
  const remote = `codex --remote ${url}`;
  if (i.auth === 'none') return remote;
  const withEnv = `${remote} --remote-auth-token-env ${TOKEN_ENV}`;
  if (i.platform === 'win32') {
    const value = i.auth === 'capability-token' && i.tokenFile ? `Get-Content -Raw ${psQuote(i.tokenFile)}` : i.auth === 'capability-token' ? "'YOUR_TOKEN'" : "'YOUR_SIGNED_JWT'";
    return `$env:${TOKEN_ENV} = ${value}; ${withEnv}`;
  }
  const value = i.auth === 'capability-token' && i.tokenFile ? `$(cat ${shQuote(i.tokenFile)})` : i.auth === 'capability-token' ? 'YOUR_TOKEN' : 'YOUR_SIGNED_JWT';
  return `${TOKEN_ENV}=${value} ${withEnv}`;
}

/** A listener bound to every address (0.0.0.0, ::) is reached at this machine's first network address. */
export function connectableUrl(url: string, interfaces = os.networkInterfaces()): string {
  const m = /^ws:\/\/(0\.0\.0\.0|\[::\]):(\d+)$/.exec(url);
  if (!m) return url;
  const nets = Object.values(interfaces).flat();
  const v4 = nets.find((n) => n && n.family === 'IPv4' && !n.internal)?.address ?? '127.0.0.1';
  return `ws://${v4}:${m[2]}`;
}

function shQuote(s: string): string {
  return /^[A-Za-z0-9_./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

function psQuote(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}
