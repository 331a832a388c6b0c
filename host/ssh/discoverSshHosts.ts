/**
 * Discovery (docs/ssh.md, docs/ssh.md): the concrete `Host` aliases of the user's ssh config,
 * following `Include` (globs, `~`, paths relative to `~/.ssh`, absolute paths), cycle-safe and
 * depth-bounded, skipping patterns and `Match` blocks. A file or block that cannot be read or
 * parsed becomes a problem with its file, line and error; every other alias is still listed.
 * Nothing is contacted, resolved or executed here (`Match exec` is never run): the result is
 * only what the files say.
 */
import SSHConfig, { LineType } from 'ssh-config';
import { errorMessage } from '../../shared/util/errors.js';
import { nodeConfigFs, type ConfigFs } from './configFs.js';
import { expandInclude, type IncludeContext } from './includeGlob.js';
import { includePatternsOf, parseConfigText, patternsOf } from './sshConfigText.js';
import { aliasProblem, isConcreteAlias } from './sshHostAlias.js';

/** Discovery's bounds (one table, docs/architecture.md). */
export const DISCOVERY_LIMITS = {
  /** OpenSSH's READCONF_MAX_DEPTH. */
  maxIncludeDepth: 16,
  maxFiles: 256,
  maxFileBytes: 1024 * 1024,
  maxHosts: 2000,
} as const;

export interface DiscoveredHost {
  readonly alias: string;
  /** The file and 1-based line of its `Host` line. */
  readonly file: string;
  readonly line: number;
}

export interface DiscoveryProblem {
  readonly file: string;
  readonly line?: number;
  readonly alias?: string;
  readonly message: string;
}

export interface SshDiscovery {
  readonly configFile: string;
  readonly hosts: readonly DiscoveredHost[];
  readonly problems: readonly DiscoveryProblem[];
  /** Every readable block with the includes spliced in (the fallback resolver computes on it). */
  readonly config: SSHConfig;
}

export interface DiscoverOptions extends IncludeContext {
  /** The config file to read (`~/.ssh/config`, or the one the user chose). */
  readonly configFile: string;
  readonly fs?: ConfigFs;
  readonly limits?: Partial<typeof DISCOVERY_LIMITS>;
}

/** Reads the config tree; never throws on content or on unreadable files. */
export async function discoverSshHosts(options: DiscoverOptions): Promise<SshDiscovery> {
  const fs = options.fs ?? nodeConfigFs;
  const limits = { ...DISCOVERY_LIMITS, ...options.limits };
  const hosts: DiscoveredHost[] = [];
  const problems: DiscoveryProblem[] = [];
  const seen = new Set<string>();
  const merged = SSHConfig.parse('');
  let files = 0;

  const readFileTree = async (file: string, depth: number, stack: readonly string[], from?: { file: string; line: number | undefined }): Promise<void> => {
    const at = from ? { file: from.file, ...(from.line !== undefined ? { line: from.line } : {}) } : { file };
    if (depth > limits.maxIncludeDepth) {
      problems.push({ ...at, message: `Include of ${file} is nested deeper than ${limits.maxIncludeDepth} levels; not read` });
      return;
    }
    if (++files > limits.maxFiles) {
      if (files === limits.maxFiles + 1) problems.push({ ...at, message: `more than ${limits.maxFiles} config files; the rest were not read` });
      return;
    }
    let real: string;
    let text: string;
    try {
      real = await fs.realpath(file);
      if (stack.includes(real)) {
        problems.push({ ...at, message: `Include cycle: ${[...stack, real].join(' → ')}; not read again` });
        return;
      }
      const st = await fs.stat(real);
      if (st.isDirectory) throw new Error('is a directory');
      if (st.size > limits.maxFileBytes) throw new Error(`larger than ${limits.maxFileBytes} bytes`);
      text = await fs.readFile(real);
    } catch (err) {
      // A missing file is not an error for OpenSSH (no config, or an Include that matches nothing).
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      problems.push({ file, message: `cannot read ${file}: ${readError(err)}` });
      return;
    }
    const parsed = parseConfigText(text);
    for (const p of parsed.problems) problems.push({ file, line: p.line, ...(p.alias !== undefined ? { alias: p.alias } : {}), message: p.message });
    for (const el of parsed.config) {
      const line = parsed.lineOf.get(el);
      if (el.type !== LineType.DIRECTIVE) continue;
      if (/^include$/i.test(el.param)) {
        await includeAll(el.value, depth, [...stack, real], { file, line });
        continue;
      }
      merged.push(el);
      if (!('config' in el)) continue;
      if (/^host$/i.test(el.param)) collectAliases(patternsOf(el.value), file, line ?? 0);
      // An Include inside a Host/Match block: its hosts are listed like any others.
      for (const inner of (el as { config: SSHConfig }).config) {
        if (inner.type === LineType.DIRECTIVE && /^include$/i.test(inner.param)) await includeAll(inner.value, depth, [...stack, real], { file, line });
      }
    }
  };

  const includeAll = async (value: Parameters<typeof includePatternsOf>[0], depth: number, stack: readonly string[], from: { file: string; line: number | undefined }) => {
    for (const pattern of includePatternsOf(value)) {
      let paths: string[];
      try {
        paths = await expandInclude(pattern, options, fs, limits.maxFiles);
      } catch (err) {
        problems.push({ file: from.file, ...(from.line === undefined ? {} : { line: from.line }), message: `Include ${pattern}: ${errorMessage(err)}` });
        continue;
      }
      for (const p of paths) await readFileTree(p, depth + 1, stack, from);
    }
  };

  const collectAliases = (patterns: string[], file: string, line: number) => {
    for (const alias of patterns) {
      if (!isConcreteAlias(alias) || seen.has(alias)) continue;
      const bad = aliasProblem(alias);
      if (bad) {
        problems.push({ file, line, alias, message: `line ${line}: ${bad}` });
        continue;
      }
      if (hosts.length >= limits.maxHosts) {
        if (!seen.has('\u0000limit')) problems.push({ file, line, message: `more than ${limits.maxHosts} hosts; the rest are not listed` });
        seen.add('\u0000limit');
        return;
      }
      seen.add(alias);
      hosts.push({ alias, file, line });
    }
  };

  await readFileTree(options.configFile, 0, []);
  return { configFile: options.configFile, hosts, problems, config: merged };
}

function readError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory';
  return errorMessage(err).replace(/^[A-Z]+: /, '');
}
