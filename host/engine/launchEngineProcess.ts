/**
 * One run of the engine: `codex app-server --listen ws://127.0.0.1:0 --ws-auth capability-token
 * --ws-token-sha256 <hex>` with a fresh 32-byte token, resolved once the bound address was
 * printed on stderr and `GET /readyz` answered 200 (docs/engine.md §3). Restarts
 * and state live in `EngineSupervisor`; this file only starts, watches and stops one process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes as nodeRandomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import type { Logger } from '../../shared/util/logger.js';
import { toB64u, toHex } from '../../shared/util/encoding.js';

/** Where a client opens its own engine connection: `Authorization: Bearer <token>` on the upgrade. */
export interface EngineEndpoint {
  /** `ws://127.0.0.1:PORT` */
  readonly url: string;
  /** Secret; never log it. */
  readonly token: string;
}

export interface EngineExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** Starts the engine child (injected in tests); stdio must be `['ignore', 'pipe', 'pipe']`. */
export type SpawnEngine = (bin: string, args: readonly string[], options: { env: NodeJS.ProcessEnv; cwd: string | undefined; detached: boolean }) => ChildProcess;

export interface LaunchEngineOptions {
  bin: string;
  /** Appended after the listener flags, e.g. `['-c', 'key=value']`. */
  extraArgs?: readonly string[];
  /** The engine's environment (default `process.env`; `CODEX_HOME` etc. pass through). */
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  logger: Logger;
  /** Bound on "printed its address" + "/readyz is 200" (default 30 s: startup is slow on a busy machine). */
  readyTimeoutMs?: number;
  spawnEngine?: SpawnEngine;
  /** True when `GET readyzUrl` answers 200 (default: node:http, no Origin header). */
  probeReady?: (readyzUrl: string) => Promise<boolean>;
  randomBytes?: (n: number) => Uint8Array;
}

/** A running engine process. */
export interface EngineProcess {
  readonly pid: number | undefined;
  readonly endpoint: EngineEndpoint;
  /** `Date.now()` when it became ready. */
  readonly readyAt: number;
  /** Resolves once the process has exited (for any reason). */
  readonly exited: Promise<EngineExit>;
  readonly hasExited: boolean;
  /** SIGTERM, wait up to `drainMs` for the engine's graceful drain, then SIGKILL its process group. */
  stop(drainMs: number): Promise<EngineExit>;
  /** Synchronous SIGKILL of the process group (for the host's `exit` hook). */
  killNow(): void;
  /** The last stderr lines (ANSI stripped, for error messages). */
  stderrTail(): string[];
}

const LISTENING_RE = /listening on: (ws:\/\/127\.0\.0\.1:(\d{1,5}))\b/;
const MAX_LINE_CHARS = 16 * 1024;
const TAIL_LINES = 20;
// Colour codes, in case NO_COLOR is ignored by some engine version.
const ANSI_RE = /\u001b\[[0-9;?]*[A-Za-z]/g;

/** Starts one engine and resolves when it is ready; on failure kills it and rejects with its last stderr lines. */
export async function launchEngineProcess(options: LaunchEngineOptions): Promise<EngineProcess> {
  const log = options.logger;
  const token = toB64u((options.randomBytes ?? defaultRandomBytes)(32));
  const tokenSha256 = toHex(createHash('sha256').update(token, 'utf8').digest());
  const args = ['app-server', '--listen', 'ws://127.0.0.1:0', '--ws-auth', 'capability-token', '--ws-token-sha256', tokenSha256, ...(options.extraArgs ?? [])];
  // Own process group on Unix: a terminal's Ctrl-C must reach the host (which stops the engine
  // in order), not the engine directly, and SIGKILL of the group also takes its helpers.
  const detached = process.platform !== 'win32';
  // NO_COLOR: the engine's tracing output is ANSI-coloured even on a pipe otherwise.
  const env = { ...(options.env ?? process.env), NO_COLOR: '1' };
  const child = (options.spawnEngine ?? defaultSpawn)(options.bin, args, { env, cwd: options.cwd, detached });
  log.info('engine starting', { bin: options.bin, pid: child.pid });

  const tail: string[] = [];
  let exitInfo: EngineExit | undefined;
  const exited = new Promise<EngineExit>((resolve) => {
    child.once('exit', (code, signal) => {
      exitInfo = { code, signal };
      resolve(exitInfo);
    });
  });
  let spawnError: Error | undefined;
  let markSpawnFailed: () => void = () => {};
  // A spawn failure (ENOENT, EACCES) emits 'error' and maybe never 'exit'.
  const failedToSpawn = new Promise<void>((resolve) => (markSpawnFailed = resolve));
  // `on`, not `once`: a later 'error' (e.g. a failed kill) must not become an uncaught exception.
  child.on('error', (err) => {
    spawnError ??= err;
    if (child.pid === undefined) markSpawnFailed();
    else log.warn('engine process error', { error: err.message });
  });

  let listeningUrl: string | undefined;
  let onListening: ((url: string) => void) | undefined;
  const onStderrLine = (raw: string) => {
    const line = raw.replace(ANSI_RE, '').trimEnd();
    if (!line) return;
    tail.push(line);
    if (tail.length > TAIL_LINES) tail.shift();
    const m = LISTENING_RE.exec(line);
    if (m?.[1] && !listeningUrl && Number(m[2]) > 0 && Number(m[2]) < 65536) {
      listeningUrl = m[1];
      onListening?.(m[1]);
    }
    logEngineLine(log, line);
  };
  if (child.stderr) splitLines(child.stderr, onStderrLine);
  if (child.stdout) splitLines(child.stdout, (line) => log.debug(`app-server stdout: ${line.replace(ANSI_RE, '').slice(0, 2000)}`));

  const killGroup = () => {
    if (exitInfo || child.pid === undefined) return;
    try {
      if (detached) process.kill(-child.pid, 'SIGKILL');
      else child.kill('SIGKILL');
    } catch {
      // Already gone (ESRCH).
    }
  };

  const readyTimeoutMs = options.readyTimeoutMs ?? 30_000;
  const deadline = Date.now() + readyTimeoutMs;
  const fail = async (why: string): Promise<never> => {
    killGroup();
    await Promise.race([exited, failedToSpawn]);
    // Skip Rust backtrace frames ("  3: <unknown>"): the `Error: …` line above them is what helps.
    const useful = tail.filter((l) => !/^\s*\d+: /.test(l) && !/^\s*at /.test(l) && l.trim() !== 'Stack backtrace:');
    const detail = useful.length ? `; last engine output:\n  ${useful.slice(-8).join('\n  ')}` : '';
    throw new Error(`launchEngineProcess: ${why}${detail}`);
  };

  // 1. The bound address from stderr.
  const url = await new Promise<string | 'exit' | 'timeout'>((resolve) => {
    if (listeningUrl) return resolve(listeningUrl);
    onListening = resolve;
    void exited.then(() => resolve('exit'));
    void failedToSpawn.then(() => resolve('exit'));
    setTimeout(() => resolve('timeout'), readyTimeoutMs).unref();
  });
  onListening = undefined;
  if (url === 'exit') return fail(spawnError ? `cannot start ${options.bin}: ${spawnError.message}` : `codex app-server exited (${describeExit(exitInfo)}) before listening`);
  if (url === 'timeout') return fail(`codex app-server did not print its address within ${readyTimeoutMs} ms`);

  // 2. /readyz (no auth needed).
  const probe = options.probeReady ?? probeReadyz;
  const readyzUrl = `${url.replace(/^ws:/, 'http:')}/readyz`;
  for (;;) {
    if (exitInfo) return fail(`codex app-server exited (${describeExit(exitInfo)}) before /readyz answered`);
    if (await probe(readyzUrl).catch(() => false)) break;
    if (Date.now() > deadline) return fail(`${readyzUrl} did not answer 200 within ${readyTimeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const readyAt = Date.now();
  log.info('engine ready', { url, pid: child.pid });

  return {
    pid: child.pid,
    endpoint: { url, token },
    readyAt,
    exited,
    get hasExited() {
      return exitInfo !== undefined;
    },
    stderrTail: () => [...tail],
    killNow: killGroup,
    stop: async (drainMs) => {
      if (exitInfo) return exitInfo;
      try {
        child.kill('SIGTERM');
      } catch {
        // Already gone.
      }
      let timer: NodeJS.Timeout | undefined;
      const drained = await Promise.race([exited, new Promise<undefined>((r) => (timer = setTimeout(() => r(undefined), drainMs)))]);
      clearTimeout(timer);
      if (drained) return drained;
      log.warn('engine did not exit after SIGTERM; killing it', { drainMs, pid: child.pid });
      killGroup();
      return exited;
    },
  };
}

function describeExit(e: EngineExit | undefined): string {
  if (!e) return 'unknown';
  return e.signal ? `signal ${e.signal}` : `code ${e.code}`;
}

/** Maps the engine's tracing lines (`<ts> ERROR target: msg`) to log levels; the rest is info. */
function logEngineLine(log: Logger, line: string): void {
  const text = line.length > 2000 ? `${line.slice(0, 2000)}…` : line;
  const level = /^\S+\s+(ERROR|WARN|INFO|DEBUG|TRACE)\s/.exec(text)?.[1];
  if (level === 'ERROR') log.error(`app-server: ${text}`);
  else if (level === 'WARN') log.warn(`app-server: ${text}`);
  else if (level === 'DEBUG' || level === 'TRACE') log.debug(`app-server: ${text}`);
  else log.info(`app-server: ${text}`);
}

/** Calls `onLine` per line; a line longer than MAX_LINE_CHARS is cut (bounded memory). */
function splitLines(stream: NodeJS.ReadableStream, onLine: (line: string) => void): void {
  let buf = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    buf += chunk;
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      onLine(buf.slice(0, nl));
      buf = buf.slice(nl + 1);
    }
    if (buf.length > MAX_LINE_CHARS) {
      onLine(buf.slice(0, MAX_LINE_CHARS));
      buf = '';
    }
  });
  stream.on('end', () => {
    if (buf) onLine(buf);
    buf = '';
  });
}

const defaultSpawn: SpawnEngine = (bin, args, { env, cwd, detached }) =>
  spawn(bin, [...args], { env, cwd, detached, stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });

function defaultRandomBytes(n: number): Uint8Array {
  return new Uint8Array(nodeRandomBytes(n));
}

/** `GET url` → true on 200. No Origin header: the engine answers 403 to any request carrying one. */
function probeReadyz(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = httpRequest(url, { method: 'GET', timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });
}
