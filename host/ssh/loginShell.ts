/**
 * Running a POSIX script in the remote user's login environment, whatever their login shell
 * (docs/ssh.md, docs/ssh.md). sshd runs every exec command as `$SHELL -c COMMAND`,
 * so COMMAND must parse in that shell; ours only re-executes the shell as a login shell that
 * then becomes `/bin/sh -s`, which reads our script from stdin. The script's output lines start
 * with a random marker, so whatever the shell and its rc files print (MOTD, banners, `echo` in
 * `.bashrc`) is skipped.
 *
 * - sh, dash, bash, zsh, ksh, mksh, ash, yash: `exec SHELL -l -i -c 'exec /bin/sh -s'` (login and
 *   interactive, so `.profile`/`.bash_profile`/`.zprofile` and `.bashrc`/`.zshrc` are read).
 * - fish: `exec fish -l -i -c 'exec /bin/sh -s'` (config.fish and the login paths).
 * - csh, tcsh: `-l` must be their only flag, so `exec csh -l` reads commands from stdin: we send
 *   one line, `echo MARKER ready; exec /bin/sh -s`, wait for the marker (csh has then read the
 *   whole line), and only then send the script, which the new `sh` reads.
 * - nu: `exec nu --login --interactive --commands 'exec /bin/sh -s'` (not tested here: Debian
 *   bookworm has no nushell package; see docs/ssh.md).
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';

export type ShellFamily = 'posix' | 'fish' | 'csh' | 'nu';

export interface LoginInvocation {
  /** The exec command (parsed by the login shell's `-c`). */
  readonly command: string;
  /** A line to send first, then wait for `<marker> ready` before sending the script (csh). */
  readonly preamble?: string;
}

/** A fresh marker: 16 random hex digits between underscores, nothing any shell expands. */
export function newMarker(): string {
  return `__codex_host_${randomBytes(8).toString('hex')}__`;
}

/** Which wrapper a login shell needs, from its path (`/usr/bin/fish` → fish). */
export function shellFamily(shellPath: string): ShellFamily {
  const name = path.posix.basename(shellPath);
  if (name === 'fish') return 'fish';
  if (name === 'csh' || name === 'tcsh' || name === 'bsd-csh') return 'csh';
  if (name === 'nu' || name === 'nushell') return 'nu';
  return 'posix';
}

/** Login shells that cannot run commands at all. */
export function isNoLoginShell(shellPath: string): boolean {
  return /\/(nologin|false)$/.test(shellPath);
}

/** Characters safe inside single quotes in every supported shell (no ', \, !, spaces, controls). */
export function isShellSafe(s: string): boolean {
  return /^[A-Za-z0-9_@%+=:,./~-]+$/.test(s);
}

/** How to run `/bin/sh -s` in the login environment of `shellPath`. */
export function loginInvocation(shellPath: string, marker: string): LoginInvocation {
  if (!isShellSafe(shellPath)) throw new Error(`the login shell path "${shellPath.slice(0, 100)}" has characters we cannot quote for every shell`);
  switch (shellFamily(shellPath)) {
    case 'fish':
      return { command: `exec '${shellPath}' -l -i -c 'exec /bin/sh -s'` };
    case 'csh':
      return { command: `exec '${shellPath}' -l`, preamble: `echo ${marker} ready; exec /bin/sh -s\n` };
    case 'nu':
      return { command: `exec '${shellPath}' --login --interactive --commands 'exec /bin/sh -s'` };
    case 'posix':
      return { command: `exec '${shellPath}' -l -i -c 'exec /bin/sh -s'` };
  }
}

/** A command that runs `/bin/sh -s` without a login environment (parses in every supported shell). */
export const PLAIN_SH_COMMAND = 'exec /bin/sh -s';
