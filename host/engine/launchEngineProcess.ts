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
  const watched = new WatchedChild(child, detached, log);

  const readyTimeoutMs = options.readyTimeoutMs ?? 30_000;
  const deadline = Date.now() + readyTimeoutMs;
  const fail = async (why: string): Promise<never> => {
    watched.killGroup();
    await Promise.race([watched.exited, watched.failedToSpawn]);
    throw new Error(`launchEngineProcess: ${why}${watched.outputDetail()}`);
  };

  // 1. The bound address from stderr.
  const url = await watched.listeningUrl(readyTimeoutMs);
  if (url === 'exit') return fail(watched.spawnError ? `cannot start ${options.bin}: ${watched.spawnError.message}` : `codex app-server exited (${describeExit(watched.exitInfo)}) before listening`);
  if (url === 'timeout') return fail(`codex app-server did not print its address within ${readyTimeoutMs} ms`);

  // 2. /readyz (no auth needed).
  const probe = options.probeReady ?? probeReadyz;
  const readyzUrl = `${url.replace(/^ws:/, 'http:')}/readyz`;
  for (;;) {
    if (watched.exitInfo) return fail(`codex app-server exited (${describeExit(watched.exitInfo)}) before /readyz answered`);
    if (await probe(readyzUrl).catch(() => false)) break;
    if (Date.now() > deadline) return fail(`${readyzUrl} did not answer 200 within ${readyTimeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
  log.info('engine ready', { url, pid: child.pid });
  return watched.asEngineProcess({ url, token }, Date.now());
}

/**
 * One spawned engine child, watched: its exit (or failure to spawn), its stderr as log lines
 * with a bounded tail for error messages, and the `listening on:` address it prints.
 */
class WatchedChild {
  readonly exited: Promise<EngineExit>;
  /** Resolves when the spawn itself failed (ENOENT, EACCES): 'error' without a pid, maybe no 'exit'. */
  readonly failedToSpawn: Promise<void>;
  exitInfo: EngineExit | undefined;
  spawnError: Error | undefined;
  readonly #child: ChildProcess;
  readonly #detached: boolean;
  readonly #log: Logger;
  readonly #tail: string[] = [];
  #listening: string | undefined;
  #onListening: ((url: string) => void) | undefined;

  constructor(child: ChildProcess, detached: boolean, log: Logger) {
    this.#child = child;
    this.#detached = detached;
    this.#log = log;
    this.exited = new Promise<EngineExit>((resolve) => {
      child.once('exit', (code, signal) => {
        this.exitInfo = { code, signal };
        resolve(this.exitInfo);
      });
    });
    let markSpawnFailed: () => void = () => {};
    this.failedToSpawn = new Promise<void>((resolve) => (markSpawnFailed = resolve));
    // `on`, not `once`: a later 'error' (e.g. a failed kill) must not become an uncaught exception.
    child.on('error', (err) => {
      this.spawnError ??= err;
      if (child.pid === undefined) markSpawnFailed();
      else log.warn('engine process error', { error: err.message });
    });
    if (child.stderr) splitLines(child.stderr, (line) => this.#onStderrLine(line));
    if (child.stdout) splitLines(child.stdout, (line) => log.debug(`app-server stdout: ${line.replace(ANSI_RE, '').slice(0, 2000)}`));
  }

  /** The printed address, or 'exit' / 'timeout' if the engine ended or stayed silent first. */
  listeningUrl(timeoutMs: number): Promise<string | 'exit' | 'timeout'> {
    return new Promise<string | 'exit' | 'timeout'>((resolve) => {
      if (this.#listening) return resolve(this.#listening);
      this.#onListening = resolve;
      void this.exited.then(() => resolve('exit'));
      void this.failedToSpawn.then(() => resolve('exit'));
      setTimeout(() => resolve('timeout'), timeoutMs).unref();
    }).finally(() => (this.#onListening = undefined));
  }

  /** SIGKILL of the whole process group (synchronous; for failures and the host's exit hook). */
  killGroup(): void {
    if (this.exitInfo || this.#child.pid === undefined) return;
    try {
      if (this.#detached) process.kill(-this.#child.pid, 'SIGKILL');
      else this.#child.kill('SIGKILL');
    } catch {
      // Already gone (ESRCH).
    }
  }

  /** "; last engine output: …" from the useful stderr lines, or '' when there were none. */
  outputDetail(): string {
    // Skip Rust backtrace frames ("  3: <unknown>"): the `Error: …` line above them is what helps.
    const useful = this.#tail.filter((l) => !/^\s*\d+: /.test(l) && !/^\s*at /.test(l) && l.trim() !== 'Stack backtrace:');
    return useful.length ? `; last engine output:\n  ${useful.slice(-8).join('\n  ')}` : '';
  }

  asEngineProcess(endpoint: EngineEndpoint, readyAt: number): EngineProcess {
    const self = this;
    return {
      pid: this.#child.pid,
      endpoint,
      readyAt,
      exited: this.exited,
      get hasExited() {
        return self.exitInfo !== undefined;
      },
      stderrTail: () => [...this.#tail],
      killNow: () => this.killGroup(),
      stop: (drainMs) => this.#stop(drainMs),
    };
  }

  /** SIGTERM, up to `drainMs` for the engine's graceful drain, then SIGKILL of the group. */
  async #stop(drainMs: number): Promise<EngineExit> {
    if (this.exitInfo) return this.exitInfo;
    try {
      this.#child.kill('SIGTERM');
    } catch {
      // Already gone.
    }
    let timer: NodeJS.Timeout | undefined;
    const drained = await Promise.race([this.exited, new Promise<undefined>((r) => (timer = setTimeout(() => r(undefined), drainMs)))]);
    clearTimeout(timer);
    if (drained) return drained;
    this.#log.warn('engine did not exit after SIGTERM; killing it', { drainMs, pid: this.#child.pid });
    this.killGroup();
    return this.exited;
  }

  #onStderrLine(raw: string): void {
    const line = raw.replace(ANSI_RE, '').trimEnd();
    if (!line) return;
    this.#tail.push(line);
    if (this.#tail.length > TAIL_LINES) this.#tail.shift();
    const m = LISTENING_RE.exec(line);
    if (m?.[1] && !this.#listening && Number(m[2]) > 0 && Number(m[2]) < 65536) {
      this.#listening = m[1];
      this.#onListening?.(m[1]);
    }
    logEngineLine(this.#log, line);
  }
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
