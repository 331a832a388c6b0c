/**
 * The POSIX scripts the host runs on an SSH host (through `/bin/sh -s`, see loginShell.ts), and
 * the parsing of what they print. Every line we care about starts with the marker; anything
 * else is shell noise and ignored. Values substituted into a script are checked with
 * `isShellSafe` first and single-quoted.
 *
 * The remote engine's files: one folder per start, `${TMPDIR:-/tmp}/codex-host-TAG-XXXXXX`
 * (mode 0700, from mktemp -d), holding `engine.sock` (the app-server's unix socket),
 * `engine.pid` and `engine.log`. TAG identifies this host + alias, so a start first removes
 * what an earlier run of the same host left behind (after a crash), and stop removes the folder.
 */
import { isShellSafe } from './loginShell.js';

// csh leaves copies of the channel's stdio open on fds 3-5 across exec: close them, or a
// background engine would hold the channel open and the script would never finish.
const SAY = (marker: string) => ['exec 3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&-', `M='${marker}'`, `say() { printf '%s %s\\n' "$M" "$*"; }`];
/** The Codex App also adds ~/.local/bin (where the standalone installer puts codex). */
const LOCAL_BIN = `case ":$PATH:" in *":$HOME/.local/bin:"*) ;; *) PATH="$PATH:$HOME/.local/bin"; export PATH ;; esac`;

/** Plain (non-login) facts: which login shell to wrap. */
export function detectScript(marker: string): string {
  return [...SAY(marker), 'say shell "${SHELL:-/bin/sh}"', 'say user "$(id -un 2>/dev/null)"', ''].join('\n');
}

/** In the login environment: the PATH, CODEX_HOME, where codex is and its version. */
export function probeScript(marker: string): string {
  return [
    ...SAY(marker),
    LOCAL_BIN,
    'say path "$PATH"',
    'say home "$HOME"',
    'say codexhome "${CODEX_HOME:-}"',
    'c=$(command -v codex 2>/dev/null)',
    'if [ -z "$c" ]; then say nocodex; exit 0; fi',
    'say codex "$c"',
    // the version line, not a warning codex may print first (it does when installed under /tmp);
    // the first line otherwise, so a wrong binary is named in the error
    'o=$("$c" --version </dev/null 2>&1)',
    'v=$(printf "%s\\n" "$o" | grep -m 1 -E "^codex(-cli)? " || printf "%s\\n" "$o" | head -n 1)',
    'say version "$v"',
    '',
  ].join('\n');
}

export interface StartScriptOptions {
  readonly marker: string;
  readonly codexPath: string;
  /** Identifies this host + alias (8+ hex digits). */
  readonly tag: string;
  /** How long to wait for the socket, in tenths of a second. */
  readonly waitTenths: number;
}

/** In the login environment: a fresh 0700 folder and `codex app-server --listen unix://…` detached in it. */
export function startScript(o: StartScriptOptions): string {
  assertSafe(o.codexPath, 'the codex path');
  if (!/^[0-9a-f]{8,32}$/.test(o.tag)) throw new Error('startScript: bad tag');
  return [
    ...SAY(o.marker),
    LOCAL_BIN,
    'umask 077',
    `c='${o.codexPath}'`,
    `tag='${o.tag}'`,
    'base="${TMPDIR:-/tmp}"; base="${base%/}"',
    // What an earlier run of this host left behind (it crashed, or the link died before stop).
    'for old in "$base"/codex-host-"$tag"-*; do',
    '  [ -d "$old" ] || continue',
    '  if [ -f "$old/engine.pid" ]; then kill "$(cat "$old/engine.pid")" 2>/dev/null; fi',
    '  rm -rf "$old"',
    'done',
    'd=$(mktemp -d "$base/codex-host-$tag-XXXXXX") || { say error "cannot create a private folder in $base"; exit 0; }',
    'chmod 700 "$d"',
    'cd "$HOME" 2>/dev/null || cd /',
    'if command -v setsid >/dev/null 2>&1; then',
    '  setsid "$c" app-server --listen "unix://$d/engine.sock" </dev/null >"$d/engine.log" 2>&1 &',
    'else',
    '  nohup "$c" app-server --listen "unix://$d/engine.sock" </dev/null >"$d/engine.log" 2>&1 &',
    'fi',
    'pid=$!',
    'echo "$pid" >"$d/engine.pid"',
    'i=0',
    `while [ "$i" -lt ${o.waitTenths} ]; do`,
    '  [ -S "$d/engine.sock" ] && break',
    '  kill -0 "$pid" 2>/dev/null || break',
    '  sleep 0.1 2>/dev/null || sleep 1',
    '  i=$((i+1))',
    'done',
    'if [ -S "$d/engine.sock" ]; then say started "$pid" "$d"; exit 0; fi',
    'say failed "$d"',
    'tail -n 8 "$d/engine.log" 2>/dev/null | while IFS= read -r l; do say log "$l"; done',
    'kill "$pid" 2>/dev/null; rm -rf "$d"',
    '',
  ].join('\n');
}

/** Whether the engine started in `dir` is still there (after a reconnect). */
export function aliveScript(marker: string, dir: string): string {
  assertSafe(dir, 'the engine folder');
  return [...SAY(marker), `d='${dir}'`, 'pid=$(cat "$d/engine.pid" 2>/dev/null)', 'if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && [ -S "$d/engine.sock" ]; then say alive; else say dead; fi', ''].join('\n');
}

/** Stops the engine started in `dir` (TERM, then KILL after 5 s) and removes the folder. */
export function stopScript(marker: string, dir: string): string {
  assertSafe(dir, 'the engine folder');
  if (!/\/codex-host-[0-9a-f]+-[A-Za-z0-9]+$/.test(dir)) throw new Error('stopScript: not an engine folder');
  return [
    ...SAY(marker),
    `d='${dir}'`,
    'pid=$(cat "$d/engine.pid" 2>/dev/null)',
    'if [ -n "$pid" ]; then',
    '  kill "$pid" 2>/dev/null',
    '  i=0; while kill -0 "$pid" 2>/dev/null && [ "$i" -lt 50 ]; do sleep 0.1 2>/dev/null || sleep 1; i=$((i+1)); done',
    '  kill -9 "$pid" 2>/dev/null',
    'fi',
    'rm -rf "$d"',
    'say stopped',
    '',
  ].join('\n');
}

/** One proxy channel: the exec command (one line, parsed by the user's shell) that bridges stdio to the engine socket. */
export function proxyCommand(o: { marker: string; codexPath: string; socketPath: string; pathEnv: string; codexHome: string | undefined }): string {
  assertSafe(o.codexPath, 'the codex path');
  assertSafe(o.socketPath, 'the engine socket path');
  const env = [`PATH="${safePath(o.pathEnv)}"`, 'export PATH', ...(o.codexHome && isShellSafe(o.codexHome) ? [`CODEX_HOME="${o.codexHome}"`, 'export CODEX_HOME'] : [])];
  return `exec /bin/sh -c 'echo ${o.marker}; ${env.join('; ')}; exec "${o.codexPath}" app-server proxy --sock "${o.socketPath}"'`;
}

/** The marked lines of a script's output as [key, value] pairs, in order. */
export function markedLines(output: string, marker: string): [string, string][] {
  const out: [string, string][] = [];
  for (const raw of output.split(/\r?\n/)) {
    const at = raw.indexOf(`${marker} `);
    if (at === -1) continue;
    const rest = raw.slice(at + marker.length + 1);
    const sp = rest.indexOf(' ');
    out.push(sp === -1 ? [rest, ''] : [rest.slice(0, sp), rest.slice(sp + 1)]);
  }
  return out;
}

/** PATH entries that can be quoted everywhere (others are dropped rather than mis-quoted). */
function safePath(p: string): string {
  return p
    .split(':')
    .filter((e) => e !== '' && isShellSafe(e))
    .join(':');
}

function assertSafe(s: string, what: string): void {
  if (!isShellSafe(s)) throw new Error(`${what} "${s.slice(0, 100)}" has characters that cannot be passed safely to the remote shell`);
}
