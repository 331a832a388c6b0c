/**
 * The engine on an SSH host (docs/ssh.md): find the login shell, check `codex` in its login
 * environment, start `codex app-server --listen unix://…` detached in a fresh 0700 folder, and
 * open one proxy channel per client. The engine outlives a dropped SSH connection (so a turn in
 * flight is not killed by a network blip) and is reused on reconnect when it is still alive;
 * `stop()` ends it and removes its folder.
 */
import { RpcConnection } from '../../shared/rpc/connection.js';
import type { Transport } from '../../shared/rpc/transport.js';
import { errorMessage } from '../../shared/util/errors.js';
import { compareVersions, MIN_CODEX_VERSION, parseCodexVersionOutput, parseVersion } from '../engine/checkCodexVersion.js';
import { isNoLoginShell, isShellSafe, loginInvocation, newMarker, PLAIN_SH_COMMAND, shellFamily } from './loginShell.js';
import { openProxyTransport } from './proxyTransport.js';
import { aliveScript, detectScript, probeScript, proxyCommand, startScript, stopScript } from './remoteScripts.js';
import { runRemoteScript, tail } from './runRemoteScript.js';
import type { SshSession } from './ssh2Client.js';
import { CODEX_MISSING_MESSAGE, SIGN_IN_MESSAGE, SshError } from './sshErrors.js';

export const REMOTE_ENGINE_LIMITS = {
  /** Detect / probe / stop scripts (login shells with heavy rc files can be slow). */
  scriptTimeoutMs: 30_000,
  /** How long the engine may take to create its socket. */
  startWaitMs: 20_000,
  accountCheckTimeoutMs: 30_000,
} as const;

export type EnginePhase = 'checking-codex' | 'starting-engine';

/** What the host learned about the remote (shown in Details; no secrets). */
export interface RemoteEngineInfo {
  readonly shell: string;
  readonly user: string;
  readonly codexPath: string;
  readonly codexVersion: string;
  /** The engine's folder and socket on the remote. */
  readonly dir: string;
  readonly socketPath: string;
  readonly pid: number;
  /** The login PATH (the proxy runs with it). */
  readonly pathEnv: string;
  readonly codexHome: string | undefined;
}

export interface RemoteEngineOptions {
  /** Hex tag of this host + alias (names the engine folder, so leftovers can be found). */
  readonly tag: string;
  readonly minVersion?: string;
  readonly scriptTimeoutMs?: number;
  /** The engine reused when it is still alive (after a reconnect). */
  readonly previous?: RemoteEngineInfo;
  readonly onPhase?: (phase: EnginePhase) => void;
  /** Check the account (`account/read`) once the engine runs (default true). */
  readonly checkAccount?: boolean;
}

export class RemoteEngine {
  readonly #session: SshSession;
  readonly info: RemoteEngineInfo;
  /** True when `start` found the previous engine alive and reused it. */
  readonly reused: boolean;

  private constructor(session: SshSession, info: RemoteEngineInfo, reused: boolean) {
    this.#session = session;
    this.info = info;
    this.reused = reused;
  }

  /** Checks codex and starts (or reuses) the remote engine. Rejects with an `SshError`. */
  static async start(session: SshSession, o: RemoteEngineOptions): Promise<RemoteEngine> {
    const timeoutMs = o.scriptTimeoutMs ?? REMOTE_ENGINE_LIMITS.scriptTimeoutMs;
    if (o.previous && (await isAlive(session, o.previous, timeoutMs))) return new RemoteEngine(session, o.previous, true);
    o.onPhase?.('checking-codex');
    const plain = { command: PLAIN_SH_COMMAND };
    let marker = newMarker();
    const detected = await runRemoteScript(session, { invocation: plain, script: detectScript(marker), marker, timeoutMs, failCode: 'codex-broken', what: 'finding the login shell' });
    const shell = value(detected.lines, 'shell');
    const user = value(detected.lines, 'user') ?? '';
    if (!shell) throw new SshError('codex-broken', `the host did not run a plain command through the login shell${tail(detected.stderr)}`);
    if (isNoLoginShell(shell)) throw new SshError('codex-broken', `the login shell of ${user || 'this user'} is ${shell}, which does not run commands; give the user a real shell`);
    if (!isShellSafe(shell)) throw new SshError('codex-broken', `the login shell path "${shell.slice(0, 100)}" has characters we cannot quote`);
    marker = newMarker();
    const probe = await runRemoteScript(session, { invocation: loginInvocation(shell, marker), script: probeScript(marker), marker, timeoutMs, failCode: 'codex-broken', what: 'checking codex' });
    if (!probe.lines.some(([k]) => k === 'path')) throw new SshError('codex-broken', `checking codex: the ${shellFamily(shell)} login shell (${shell}) did not run our command${tail(probe.stderr)}`);
    const codexPath = value(probe.lines, 'codex');
    if (probe.lines.some(([k]) => k === 'nocodex') || !codexPath) {
      throw new SshError('codex-missing', `${CODEX_MISSING_MESSAGE}: install it there (npm install -g @openai/codex), or add its folder to PATH in ${rcHint(shell)}`);
    }
    const versionText = value(probe.lines, 'version') ?? '';
    let version;
    try {
      version = parseCodexVersionOutput(versionText);
    } catch {
      throw new SshError('codex-broken', `${codexPath} --version printed "${versionText.slice(0, 120)}", which is not a codex version; is it codex?`);
    }
    const min = o.minVersion ?? MIN_CODEX_VERSION;
    if (compareVersions(version, parseVersion(min)!) < 0) {
      throw new SshError('codex-too-old', `Update Codex on this host (found ${version.text}, need ≥ ${min}): run npm install -g @openai/codex@latest there`, { found: version.text, need: min });
    }
    if (!isShellSafe(codexPath)) throw new SshError('codex-broken', `the codex path "${codexPath.slice(0, 100)}" has characters we cannot quote`);
    o.onPhase?.('starting-engine');
    marker = newMarker();
    const started = await runRemoteScript(session, {
      invocation: loginInvocation(shell, marker),
      script: startScript({ marker, codexPath, tag: o.tag, waitTenths: Math.ceil(REMOTE_ENGINE_LIMITS.startWaitMs / 100) }),
      marker,
      timeoutMs: timeoutMs + REMOTE_ENGINE_LIMITS.startWaitMs,
      failCode: 'engine-start',
      what: 'starting the remote engine',
    });
    const ok = value(started.lines, 'started');
    if (!ok) {
      const log = started.lines.filter(([k]) => k === 'log').map(([, v]) => v.trim()).filter(Boolean).slice(-3).join('; ');
      const err = value(started.lines, 'error');
      throw new SshError('engine-start', `the remote engine did not start: ${err ?? (log || 'no socket appeared')}`.slice(0, 500));
    }
    const [pidText, dir] = splitOnce(ok);
    const pid = Number(pidText);
    if (!Number.isInteger(pid) || pid <= 0 || !dir || !isShellSafe(dir)) throw new SshError('engine-start', 'the remote engine start printed something unexpected');
    const codexHome = value(probe.lines, 'codexhome');
    const engine = new RemoteEngine(
      session,
      { shell, user, codexPath, codexVersion: version.text, dir, socketPath: `${dir}/engine.sock`, pid, pathEnv: value(probe.lines, 'path') ?? '/usr/bin:/bin', codexHome: codexHome || undefined },
      false,
    );
    if (o.checkAccount !== false) {
      try {
        await engine.#checkAccount();
      } catch (err) {
        await engine.stop().catch(() => undefined);
        throw err;
      }
    }
    return engine;
  }

  /** A new connection to the engine for one client (its own exec channel). */
  openTransport(): Promise<Transport> {
    const marker = newMarker();
    return openProxyTransport(this.#session, proxyCommand({ marker, codexPath: this.info.codexPath, socketPath: this.info.socketPath, pathEnv: this.info.pathEnv, codexHome: this.info.codexHome }), marker);
  }

  /** Ends the engine and removes its folder (over this session, which must still be open). */
  async stop(): Promise<void> {
    const marker = newMarker();
    const r = await runRemoteScript(this.#session, {
      invocation: { command: PLAIN_SH_COMMAND },
      script: stopScript(marker, this.info.dir),
      marker,
      timeoutMs: REMOTE_ENGINE_LIMITS.scriptTimeoutMs,
      failCode: 'engine-start',
      what: 'stopping the remote engine',
    });
    if (!r.lines.some(([k]) => k === 'stopped')) throw new SshError('engine-start', `stopping the remote engine: no confirmation${tail(r.stderr)}`);
  }

  /** "Sign in to Codex on this host" when the engine has no account and its provider needs one. */
  async #checkAccount(): Promise<void> {
    let transport: Transport;
    try {
      transport = await this.openTransport();
    } catch (err) {
      throw err instanceof SshError ? err : new SshError('engine-start', errorMessage(err));
    }
    const rpc = new RpcConnection(transport, { requestTimeoutMs: REMOTE_ENGINE_LIMITS.accountCheckTimeoutMs });
    try {
      await rpc.request('initialize', { clientInfo: { name: 'codex-host-ssh-check', title: 'Codex Host', version: '0' }, capabilities: null });
      rpc.notify('initialized');
      const account = await rpc.request('account/read', { refreshToken: false });
      if (needsSignIn(account)) {
        throw new SshError('sign-in', `${SIGN_IN_MESSAGE}: run codex login there (as ${this.info.user || 'the SSH user'}), then restart the connection`);
      }
    } catch (err) {
      if (err instanceof SshError) throw err;
      throw new SshError('engine-start', `the remote engine did not answer: ${errorMessage(err)}`);
    } finally {
      rpc.close();
    }
  }
}

/** `account/read` says nobody is signed in although the provider needs an OpenAI account. */
export function needsSignIn(result: unknown): boolean {
  if (typeof result !== 'object' || result === null) return false;
  const r = result as { account?: unknown; requiresOpenaiAuth?: unknown };
  return r.requiresOpenaiAuth === true && (r.account === null || r.account === undefined);
}

async function isAlive(session: SshSession, info: RemoteEngineInfo, timeoutMs: number): Promise<boolean> {
  const marker = newMarker();
  try {
    const r = await runRemoteScript(session, { invocation: { command: PLAIN_SH_COMMAND }, script: aliveScript(marker, info.dir), marker, timeoutMs, failCode: 'engine-start', what: 'looking for the running engine' });
    return r.lines.some(([k]) => k === 'alive');
  } catch {
    return false;
  }
}

function value(lines: readonly [string, string][], key: string): string | undefined {
  return lines.find(([k]) => k === key)?.[1];
}

function splitOnce(s: string): [string, string] {
  const sp = s.indexOf(' ');
  return sp === -1 ? [s, ''] : [s.slice(0, sp), s.slice(sp + 1)];
}

function rcHint(shell: string): string {
  switch (shellFamily(shell)) {
    case 'fish':
      return '~/.config/fish/config.fish';
    case 'csh':
      return '~/.login or ~/.cshrc';
    case 'nu':
      return "nu's env.nu";
    default:
      return /zsh$/.test(shell) ? '~/.zprofile or ~/.zshrc' : /bash$/.test(shell) ? '~/.bash_profile, ~/.profile or ~/.bashrc' : '~/.profile';
  }
}
