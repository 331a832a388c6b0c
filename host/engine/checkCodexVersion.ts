/**
 * The engine's version gate. MIN_CODEX_VERSION is the oldest engine whose protocol has
 * everything the host and its front ends use (docs/engine.md §1: the WebSocket listener with
 * `--ws-auth capability-token` and `--ws-token-sha256`, `/readyz`, the v2 thread/turn protocol,
 * and the methods and fields listed there). It can be older than the pinned `@openai/codex`;
 * raising it is a decision recorded in that doc. Older engines are refused.
 */
import { execFile } from 'node:child_process';
import { errorMessage } from '../../shared/util/errors.js';

/** The oldest `codex` the host accepts. */
export const MIN_CODEX_VERSION = '0.169.0';

export interface CodexVersion {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  /** Pre-release tag (`alpha.3` in `0.170.0-alpha.3`), '' for releases. */
  readonly prerelease: string;
  /** The version as printed, e.g. `0.169.0`. */
  readonly text: string;
}

const VERSION_RE = /(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?/;

/** Parses a bare version (`0.169.0`, `0.170.0-alpha.3`); undefined when it is not one. */
export function parseVersion(text: string): CodexVersion | undefined {
  const m = new RegExp(`^${VERSION_RE.source}$`).exec(text.trim());
  if (!m) return undefined;
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]), prerelease: m[4] ?? '', text: m[0] };
}

/**
 * Parses the output of `codex --version` (`codex-cli 0.169.0`). Throws when the output is not
 * a codex version line (e.g. a different program was configured).
 */
export function parseCodexVersionOutput(output: string): CodexVersion {
  const lines = output.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '');
  // codex may print warnings before its version (e.g. "WARNING: proceeding, even though we could
  // not create PATH aliases…" when it lives under a temporary directory): take the version line.
  const re = new RegExp(`^codex(?:-cli)?\\s+(${VERSION_RE.source})\\s*$`);
  for (const line of lines) {
    const m = re.exec(line);
    const v = m?.[1] ? parseVersion(m[1]) : undefined;
    if (v) return v;
  }
  throw new Error(`parseCodexVersionOutput: expected "codex-cli X.Y.Z", got "${(lines[0] ?? '').slice(0, 120)}"`);
}

/** Semver-style order: negative when a < b; a pre-release sorts before its release. */
export function compareVersions(a: CodexVersion, b: CodexVersion): number {
  if (a.major !== b.major) return a.major - b.major;
  if (a.minor !== b.minor) return a.minor - b.minor;
  if (a.patch !== b.patch) return a.patch - b.patch;
  if (a.prerelease === b.prerelease) return 0;
  if (a.prerelease === '') return 1;
  if (b.prerelease === '') return -1;
  return comparePrerelease(a.prerelease, b.prerelease);
}

function comparePrerelease(a: string, b: string): number {
  const pa = a.split('.');
  const pb = b.split('.');
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i];
    const y = pb[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const nx = /^\d+$/.test(x) ? Number(x) : undefined;
    const ny = /^\d+$/.test(y) ? Number(y) : undefined;
    if (nx !== undefined && ny !== undefined) {
      if (nx !== ny) return nx - ny;
    } else if (nx !== undefined) return -1;
    else if (ny !== undefined) return 1;
    else if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** Throws when `version` is older than `minimum` (default {@link MIN_CODEX_VERSION}). */
export function assertMinimumVersion(version: CodexVersion, bin: string, minimum: string = MIN_CODEX_VERSION): void {
  const min = parseVersion(minimum);
  if (!min) throw new Error(`assertMinimumVersion: bad minimum version "${minimum}"`);
  if (compareVersions(version, min) < 0) {
    throw new Error(`checkCodexVersion: ${bin} is codex ${version.text}, but Codex Host needs ${minimum} or newer; update codex (npm install -g @openai/codex@latest) or pass --codex-bin PATH`);
  }
}

/** Runs a program and returns its stdout (injected in tests). */
export type RunVersionCommand = (bin: string, args: readonly string[], timeoutMs: number) => Promise<string>;

export interface CheckCodexVersionOptions {
  minimum?: string;
  timeoutMs?: number;
  run?: RunVersionCommand;
}

/**
 * Runs `bin --version`, parses it and enforces the minimum. Resolves with the version;
 * rejects with an Error that names the binary and says what to do.
 */
export async function checkCodexVersion(bin: string, options: CheckCodexVersionOptions = {}): Promise<CodexVersion> {
  const run = options.run ?? runVersionCommand;
  let out: string;
  try {
    out = await run(bin, ['--version'], options.timeoutMs ?? 15_000);
  } catch (err) {
    throw new Error(`checkCodexVersion: cannot run "${bin} --version": ${errorMessage(err)}`);
  }
  let version: CodexVersion;
  try {
    version = parseCodexVersionOutput(out);
  } catch (err) {
    throw new Error(`checkCodexVersion: "${bin}" does not look like codex: ${errorMessage(err)}`);
  }
  assertMinimumVersion(version, bin, options.minimum);
  return version;
}

const runVersionCommand: RunVersionCommand = (bin, args, timeoutMs) =>
  new Promise((resolve, reject) => {
    execFile(bin, [...args], { timeout: timeoutMs, maxBuffer: 64 * 1024, windowsHide: true, env: { ...process.env, NO_COLOR: '1' } }, (err, stdout) => {
      if (err) reject(err);
      else resolve(stdout);
    });
  });
