/**
 * Runs one script on the SSH host through an exec channel (loginShell.ts says how) and returns
 * its marked output lines. Bounded: output size, and one deadline for the whole run, so a login
 * shell that waits for input or `exec`s another program ends in a clear error, not a hang.
 */
import { errorMessage } from '../../shared/util/errors.js';
import type { SshSession } from './ssh2Client.js';
import type { LoginInvocation } from './loginShell.js';
import { markedLines } from './remoteScripts.js';
import { SshError, type SshErrorCode } from './sshErrors.js';

const MAX_STDOUT = 1024 * 1024;
const MAX_STDERR = 16 * 1024;

export interface ScriptResult {
  readonly lines: readonly [string, string][];
  readonly stderr: string;
  readonly code: number | null;
}

export interface RunScriptOptions {
  readonly invocation: LoginInvocation;
  readonly script: string;
  readonly marker: string;
  readonly timeoutMs: number;
  /** Code of the error thrown on a timeout or a lost channel. */
  readonly failCode: SshErrorCode;
  /** What the script does, for messages ("checking codex"). */
  readonly what: string;
}

export async function runRemoteScript(session: SshSession, o: RunScriptOptions): Promise<ScriptResult> {
  const ch = await session.exec(o.invocation.command);
  let stdout = '';
  let stderr = '';
  let onReady: (() => void) | undefined;
  ch.stdout.on('data', (c: Buffer) => {
    if (stdout.length < MAX_STDOUT) stdout += c.toString('utf8');
    if (onReady && stdout.includes(`${o.marker} ready`)) onReady();
  });
  ch.stderr.on('data', (c: Buffer) => {
    if (stderr.length < MAX_STDERR) stderr += c.toString('utf8');
  });
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      ch.close();
      reject(
        new SshError(
          o.failCode,
          `${o.what}: the login shell did not finish within ${Math.round(o.timeoutMs / 1000)} s (does a startup file wait for input or start another program, such as exec zsh or tmux?)`,
        ),
      );
    }, o.timeoutMs);
  });
  try {
    if (o.invocation.preamble) {
      const ready = new Promise<void>((resolve) => (onReady = resolve));
      ch.stdin.write(o.invocation.preamble);
      await Promise.race([ready, deadline, ch.exit.then(() => Promise.reject(new SshError(o.failCode, `${o.what}: the login shell exited before it was ready${tail(stderr)}`)))]);
      onReady = undefined;
    }
    ch.stdin.end(o.script);
    const { code } = await Promise.race([ch.exit, deadline]);
    return { lines: markedLines(stdout, o.marker), stderr, code };
  } catch (err) {
    if (err instanceof SshError) throw err;
    throw new SshError(o.failCode, `${o.what}: ${errorMessage(err)}`);
  } finally {
    clearTimeout(timer);
  }
}

/** The last lines of stderr, for an error message. */
export function tail(stderr: string): string {
  const lines = stderr
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !/no job control|cannot set terminal process group|Inappropriate ioctl/i.test(l));
  return lines.length ? ` (${lines.slice(-2).join('; ').slice(0, 300)})` : '';
}
