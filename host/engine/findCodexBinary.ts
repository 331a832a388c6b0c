/**
 * Locating the `codex` executable the host runs as its engine: an explicit override
 * (`--codex-bin PATH`, then `CODEX_HOST_CODEX_BIN`), else the native binary shipped by the
 * `@openai/codex` dependency's platform package. We run the native binary directly, not the
 * package's `bin/codex.js` Node wrapper, so signals reach the engine itself.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';

/** The environment variable that overrides the engine binary (after `--codex-bin`). */
export const CODEX_BIN_ENV = 'CODEX_HOST_CODEX_BIN';

export interface CodexBinary {
  readonly path: string;
  /** Where the path came from (for logs and error messages). */
  readonly source: 'flag' | 'env' | 'package';
}

export interface FindCodexBinaryOptions {
  /** `--codex-bin PATH` from the command line. */
  override?: string | undefined;
  env: NodeJS.ProcessEnv;
  /** Defaults to `process.platform` / `process.arch` (injected in tests). */
  platform?: NodeJS.Platform;
  arch?: string;
  /**
   * Resolves a package's `package.json` path, or returns undefined when it is not installed.
   * Defaults to Node resolution from `@openai/codex`'s own location (where npm puts its
   * optional platform dependency), then from this module.
   */
  resolvePackageJson?: (spec: string) => string | undefined;
  /** Whether `path` is an executable regular file (injected in tests). */
  isExecutableFile?: (path: string) => boolean;
}

/** Target triple and npm package per platform, as in `@openai/codex/bin/codex.js`. */
const TARGETS: Readonly<Record<string, { triple: string; pkg: string }>> = {
  'linux-x64': { triple: 'x86_64-unknown-linux-musl', pkg: '@openai/codex-linux-x64' },
  'linux-arm64': { triple: 'aarch64-unknown-linux-musl', pkg: '@openai/codex-linux-arm64' },
  'android-x64': { triple: 'x86_64-unknown-linux-musl', pkg: '@openai/codex-linux-x64' },
  'android-arm64': { triple: 'aarch64-unknown-linux-musl', pkg: '@openai/codex-linux-arm64' },
  'darwin-x64': { triple: 'x86_64-apple-darwin', pkg: '@openai/codex-darwin-x64' },
  'darwin-arm64': { triple: 'aarch64-apple-darwin', pkg: '@openai/codex-darwin-arm64' },
  'win32-x64': { triple: 'x86_64-pc-windows-msvc', pkg: '@openai/codex-win32-x64' },
  'win32-arm64': { triple: 'aarch64-pc-windows-msvc', pkg: '@openai/codex-win32-arm64' },
};

/**
 * Returns the engine binary to run, or throws an Error whose message says what was tried and
 * how to fix it. An override that does not point at an executable file is an error (never a
 * silent fallback to the bundled binary).
 */
export function findCodexBinary(options: FindCodexBinaryOptions): CodexBinary {
  const isExec = options.isExecutableFile ?? isExecutableFile;
  const fromFlag = options.override?.trim();
  const fromEnv = options.env[CODEX_BIN_ENV]?.trim();
  if (fromFlag || fromEnv) {
    const source = fromFlag ? 'flag' : 'env';
    const path = resolve((fromFlag || fromEnv) as string);
    const what = source === 'flag' ? '--codex-bin' : CODEX_BIN_ENV;
    if (!isExec(path)) throw new Error(`findCodexBinary: ${what} points to "${path}", which is not an executable file`);
    return { path, source };
  }

  const platform = options.platform ?? process.platform;
  const arch = options.arch ?? process.arch;
  const target = TARGETS[`${platform}-${arch}`];
  if (!target) {
    throw new Error(`findCodexBinary: @openai/codex has no binary for ${platform}/${arch}; install codex yourself and pass --codex-bin PATH or set ${CODEX_BIN_ENV}`);
  }
  const exe = platform === 'win32' ? 'codex.exe' : 'codex';
  const resolvePkg = options.resolvePackageJson ?? defaultResolvePackageJson;
  const tried: string[] = [];
  const platformPkgJson = resolvePkg(`${target.pkg}/package.json`);
  if (platformPkgJson) tried.push(join(dirname(platformPkgJson), 'vendor', target.triple, 'bin', exe));
  // Older layouts shipped every vendor folder inside @openai/codex itself.
  const mainPkgJson = resolvePkg('@openai/codex/package.json');
  if (mainPkgJson) tried.push(join(dirname(mainPkgJson), 'vendor', target.triple, 'bin', exe));
  for (const candidate of tried) {
    if (isExec(candidate)) return { path: candidate, source: 'package' };
  }
  const detail = tried.length ? `not found at ${tried.map((p) => `"${p}"`).join(' or ')}` : `neither @openai/codex nor ${target.pkg} is installed`;
  throw new Error(`findCodexBinary: the bundled codex binary is missing (${detail}); reinstall dependencies (npm install) or pass --codex-bin PATH / set ${CODEX_BIN_ENV}`);
}

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, process.platform === 'win32' ? constants.F_OK : constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function defaultResolvePackageJson(spec: string): string | undefined {
  const here = createRequire(import.meta.url);
  const bases: NodeJS.Require[] = [];
  const main = tryResolve(here, '@openai/codex/package.json');
  if (main) bases.push(createRequire(main));
  bases.push(here);
  for (const req of bases) {
    const found = tryResolve(req, spec);
    if (found) return found;
  }
  return undefined;
}

function tryResolve(req: NodeJS.Require, spec: string): string | undefined {
  try {
    return req.resolve(spec);
  } catch {
    return undefined;
  }
}
