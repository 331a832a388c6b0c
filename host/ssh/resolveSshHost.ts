/**
 * Resolution, done only when the user enables a host (docs/ssh.md): OpenSSH's own answer
 * (`ssh -G alias`, stdin closed, bounded time, `-F` for a config other than `~/.ssh/config`),
 * so every `Host`/`Match`/`Include` rule means exactly what it means to `ssh`. Where no OpenSSH
 * client exists, the `ssh-config` package computes the settings from the discovered config
 * (its `Match exec` is never run; `Include` inside a block is applied unconditionally: see
 * docs/ssh.md "Limits").
 */
import type SSHConfig from 'ssh-config';
import { errorMessage } from '../../shared/util/errors.js';
import { runProgram as defaultRun, type RunProgram } from './runProgram.js';
import { parseSshGOutput, toResolvedHost, type ResolveContext, type ResolvedSshHost, type SshOptions } from './resolvedHost.js';
import { SshError } from './sshErrors.js';
import { aliasProblem } from './sshHostAlias.js';

export const RESOLVE_LIMITS = { timeoutMs: 5_000, maxOutputBytes: 256 * 1024 } as const;

export interface ResolveSshHostOptions {
  readonly alias: string;
  /** A config file other than the default `~/.ssh/config` (passed as `-F`). */
  readonly configFile?: string;
  readonly context: ResolveContext;
  /** The discovered config, for the parser fallback. */
  readonly fallbackConfig: () => Promise<SSHConfig>;
  readonly run?: RunProgram;
  /** The OpenSSH client (default `ssh` on PATH). */
  readonly sshBinary?: string;
  readonly timeoutMs?: number;
}

/** Resolves `alias`; throws `SshError` with a clear message. */
export async function resolveSshHost(options: ResolveSshHostOptions): Promise<ResolvedSshHost> {
  const bad = aliasProblem(options.alias);
  if (bad) throw new SshError('config', `cannot use this host: ${bad}`);
  const run = options.run ?? defaultRun;
  const args = ['-G', ...(options.configFile ? ['-F', options.configFile] : []), '--', options.alias];
  let result;
  try {
    result = await run(options.sshBinary ?? 'ssh', args, { timeoutMs: options.timeoutMs ?? RESOLVE_LIMITS.timeoutMs, maxBytes: RESOLVE_LIMITS.maxOutputBytes });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return resolveWithParser(options.alias, await options.fallbackConfig(), options.context);
    throw new SshError('resolve', `ssh -G ${options.alias} failed: ${errorMessage(err)}`);
  }
  if (result.code !== 0) {
    const why = result.stderr
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l && !/^Pseudo-terminal will not be allocated/.test(l))
      .join('; ')
      .slice(0, 300);
    // OpenSSH refuses the whole file over one bad line; discovery skipped that block, so the
    // parser can still resolve the others (the note says why the answer is not OpenSSH's).
    if (/bad configuration option|line \d+:/i.test(why)) {
      const r = resolveWithParser(options.alias, await options.fallbackConfig(), options.context);
      return { ...r, note: `ssh -G refused the config (${why}); resolved with Codex Host's parser, which skips the broken entry` };
    }
    throw new SshError('resolve', `ssh -G ${options.alias} failed: ${why || `exit code ${result.code}`}`);
  }
  return toResolvedHost(options.alias, parseSshGOutput(result.stdout), 'openssh', options.context);
}

/** The fallback: `ssh-config`'s `compute()` with OpenSSH's defaults filled in. */
export function resolveWithParser(alias: string, config: SSHConfig, context: ResolveContext): ResolvedSshHost {
  let computed: Record<string, string | string[]>;
  try {
    computed = config.compute(alias, { ignoreCase: true, matchExec: false });
  } catch (err) {
    throw new SshError('resolve', `cannot compute the settings of ${alias}: ${errorMessage(err)}`);
  }
  const options = new Map<string, string[]>();
  for (const [k, v] of Object.entries(computed)) options.set(k.toLowerCase(), Array.isArray(v) ? v.map(String) : [String(v)]);
  return toResolvedHost(alias, options as SshOptions, 'parser', context);
}
