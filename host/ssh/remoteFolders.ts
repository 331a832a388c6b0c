/**
 * The folder picker of remote projects (docs/ssh.md, "Remote projects"): the sub-folders of
 * one folder on a connected SSH host, listed by a small POSIX script over the host's SSH
 * connection (an exec channel running `/bin/sh -s`, the same way as the engine's scripts).
 * The path reaches the script single-quoted for `sh` (which reads the script from stdin, so no
 * login shell ever parses it); bounded in entries and time; sorted, hidden folders last;
 * every failure is one sentence starting with "Can't open this folder".
 */
import type { RemoteFolder } from '../../shared/protocol/features/sshApi.js';
import { newMarker, PLAIN_SH_COMMAND } from './loginShell.js';
import { runRemoteScript } from './runRemoteScript.js';
import type { SshSession } from './ssh2Client.js';
import { SshError } from './sshErrors.js';

export const REMOTE_FOLDER_LIMITS = {
  /** Folders listed at most (the rest is reported as `truncated`). */
  maxEntries: 2000,
  timeoutMs: 15_000,
} as const;

/** A failure the picker shows as is ("Can't open this folder: …"). */
export class RemoteFolderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RemoteFolderError';
  }
}

/** `s` single-quoted for POSIX sh (works for any string without NUL). */
export function shQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * The listing script: resolves `~`, `~/x` and the folder itself (`pwd -P`), then prints each
 * sub-folder name (symlinks to folders count; names with a newline are skipped) up to `max`.
 */
export function listFoldersScript(marker: string, folder: string, max: number = REMOTE_FOLDER_LIMITS.maxEntries): string {
  return [
    // csh leaves copies of the channel's stdio on fds 3-5 (remoteScripts.ts): close them.
    'exec 3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&-',
    `M='${marker}'`,
    `say() { printf '%s %s\\n' "$M" "$*"; }`,
    `p=${shQuote(folder)}`,
    'case "$p" in "~") p="$HOME" ;; "~/"*) p="$HOME/${p#"~/"}" ;; esac',
    'if [ ! -e "$p" ]; then say error missing; exit 0; fi',
    'if [ ! -d "$p" ]; then say error notdir; exit 0; fi',
    'if [ ! -r "$p" ] || [ ! -x "$p" ]; then say error denied; exit 0; fi',
    'cd "$p" 2>/dev/null || { say error denied; exit 0; }',
    'say path "$(pwd -P)"',
    "nl='",
    "'",
    'n=0',
    'for e in * .*; do',
    '  case "$e" in .|..) continue ;; *"$nl"*) continue ;; esac',
    '  [ -d "$e" ] || continue',
    `  if [ "$n" -ge ${max} ]; then say truncated; break; fi`,
    '  n=$((n+1))',
    '  say dir "$e"',
    'done',
    'say end',
    '',
  ].join('\n');
}

/** Turns the script's marked lines into the folder listing (sorted, hidden ones last). */
export function parseFolderListing(host: string, asked: string, lines: readonly [string, string][]): RemoteFolder {
  const error = lines.find(([k]) => k === 'error')?.[1];
  if (error) {
    const why = error === 'missing' ? 'it does not exist' : error === 'notdir' ? 'it is not a folder' : 'permission denied';
    throw new RemoteFolderError(`Can't open this folder: ${asked}: ${why}`);
  }
  const folder = lines.find(([k]) => k === 'path')?.[1];
  if (!folder || !folder.startsWith('/') || !lines.some(([k]) => k === 'end')) throw new RemoteFolderError(`Can't open this folder: ${asked}: the host did not list it`);
  const names = lines.filter(([k]) => k === 'dir').map(([, v]) => v);
  const cmp = (a: string, b: string) => a.localeCompare(b, 'en', { sensitivity: 'base', numeric: true }) || (a < b ? -1 : a > b ? 1 : 0);
  const visible = names.filter((n) => !n.startsWith('.')).sort(cmp);
  const hidden = names.filter((n) => n.startsWith('.')).sort(cmp);
  const join = (name: string) => (folder === '/' ? `/${name}` : `${folder}/${name}`);
  return {
    host,
    path: folder,
    parent: folder === '/' ? null : folder.slice(0, folder.lastIndexOf('/')) || '/',
    entries: [...visible, ...hidden].map((name) => ({ name, path: join(name), hidden: name.startsWith('.') })),
    truncated: lines.some(([k]) => k === 'truncated'),
  };
}

/** Lists the sub-folders of `folder` (default the remote home) over `session`. */
export async function listRemoteFolders(session: SshSession, host: string, folder: string = '~', timeoutMs: number = REMOTE_FOLDER_LIMITS.timeoutMs): Promise<RemoteFolder> {
  const marker = newMarker();
  let lines: readonly [string, string][];
  try {
    ({ lines } = await runRemoteScript(session, { invocation: { command: PLAIN_SH_COMMAND }, script: listFoldersScript(marker, folder), marker, timeoutMs, failCode: 'disconnected', what: 'listing the folder' }));
  } catch (err) {
    if (err instanceof SshError) throw new RemoteFolderError(`Can't open this folder: ${folder}: ${err.message}`);
    throw err;
  }
  return parseFolderListing(host, folder, lines);
}
