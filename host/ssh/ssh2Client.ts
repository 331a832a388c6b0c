/**
 * The ssh2 adapter (style.md G6): the only file besides ssh2Auth.ts that imports `ssh2`. It opens
 * one SSH connection (directly or over a stream, for ProxyJump) and exposes the small
 * `SshSession` the rest of host/ssh uses: exec channels, direct-tcpip forwarding, close.
 */
import type { Duplex, Readable, Writable } from 'node:stream';
import ssh2 from 'ssh2';
import type { AnyAuthMethod, AuthenticationType, ClientChannel, ConnectConfig } from 'ssh2';
import { Emitter, type Disposable } from '../../shared/util/lifecycle.js';
import { errorMessage } from '../../shared/util/errors.js';
import { SshError } from './sshErrors.js';

const { Client } = ssh2;

/** One exec channel: the remote command's stdin, stdout and stderr, and how it ended. */
export interface ExecChannel {
  readonly stdin: Writable;
  readonly stdout: Readable;
  readonly stderr: Readable;
  /** The channel as one duplex stream (stdin + stdout), e.g. for a WebSocket over it. */
  readonly duplex: Duplex;
  /** Resolves when the channel closes: the exit code (null when killed by a signal or lost). */
  readonly exit: Promise<{ readonly code: number | null; readonly signal: string | undefined }>;
  close(): void;
}

export interface SshSession {
  exec(command: string): Promise<ExecChannel>;
  /** A direct-tcpip channel to `host:port` as seen from the server (ProxyJump). */
  forwardOut(host: string, port: number): Promise<Duplex>;
  /** Fired once when the connection ends, with why. */
  onClose(listener: (reason: string) => void): Disposable;
  readonly isClosed: boolean;
  close(): void;
}

/** The next authentication to try, given what the server still accepts (undefined: give up). */
export type NextAuth = (methodsLeft: readonly AuthenticationType[] | null) => Promise<AnyAuthMethod | undefined>;

export interface OpenSessionOptions {
  readonly host: string;
  readonly port: number;
  readonly username: string;
  /** A stream to speak SSH over instead of a new TCP connection (ProxyJump). */
  readonly sock?: Duplex;
  /** Throws (an `SshError`) to refuse the host key. */
  readonly verifyHostKey: (key: Buffer) => Promise<void>;
  readonly nextAuth: NextAuth;
  /** Host key algorithms to prefer (the types already known for this host). */
  readonly preferredHostKeyTypes?: readonly string[];
  readonly keepaliveIntervalMs: number;
  readonly keepaliveCountMax: number;
  /** Bound on TCP connect + key exchange + authentication (prompts included). */
  readonly readyTimeoutMs: number;
}

const DEFAULT_HOST_KEY_ORDER = ['ssh-ed25519', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521', 'rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'];

/** Connects and authenticates; rejects with an `SshError`. */
export function openSsh2Session(options: OpenSessionOptions): Promise<SshSession> {
  return new Promise((resolve, reject) => {
    const client = new Client();
    let refusal: unknown;
    let settled = false;
    const fail = (err: unknown) => {
      if (settled) return;
      settled = true;
      client.end();
      reject(refusal ?? toSshError(err, options));
    };
    const config: ConnectConfig = {
      host: options.host,
      port: options.port,
      username: options.username,
      ...(options.sock ? { sock: options.sock } : {}),
      keepaliveInterval: options.keepaliveIntervalMs,
      keepaliveCountMax: options.keepaliveCountMax,
      readyTimeout: options.readyTimeoutMs,
      algorithms: { serverHostKey: hostKeyOrder(options.preferredHostKeyTypes ?? []) as never },
      hostVerifier: (key: Buffer, verify: (ok: boolean) => void) => {
        options.verifyHostKey(key).then(
          () => verify(true),
          (err: unknown) => {
            refusal = err;
            verify(false);
          },
        );
      },
      authHandler: (methodsLeft, _partial, next) => {
        options.nextAuth(methodsLeft).then(
          (m) => next((m ?? false) as never),
          (err: unknown) => {
            refusal = err;
            next(false as never);
          },
        );
      },
    };
    client.once('ready', () => {
      settled = true;
      resolve(new Ssh2Session(client));
    });
    client.once('error', fail);
    client.once('close', () => fail(new Error('the connection closed during the handshake')));
    try {
      client.connect(config);
    } catch (err) {
      fail(err);
    }
  });
}

class Ssh2Session implements SshSession {
  readonly #client: InstanceType<typeof Client>;
  readonly #closed = new Emitter<string>();
  #closeReason: string | undefined;

  constructor(client: InstanceType<typeof Client>) {
    this.#client = client;
    let lastError = '';
    client.on('error', (err: Error) => {
      lastError = keepaliveAware(err);
    });
    client.on('close', () => {
      if (this.#closeReason !== undefined) return;
      this.#closeReason = lastError || 'the SSH connection closed';
      this.#closed.fire(this.#closeReason);
      this.#closed.clear();
    });
  }

  get isClosed(): boolean {
    return this.#closeReason !== undefined;
  }

  exec(command: string): Promise<ExecChannel> {
    return new Promise((resolve, reject) => {
      if (this.isClosed) return reject(new SshError('disconnected', `the SSH connection is closed (${this.#closeReason})`));
      this.#client.exec(command, (err, channel) => {
        if (err) return reject(new SshError('disconnected', `cannot open an SSH channel: ${err.message}`));
        resolve(wrapChannel(channel));
      });
    });
  }

  forwardOut(host: string, port: number): Promise<Duplex> {
    return new Promise((resolve, reject) => {
      this.#client.forwardOut('127.0.0.1', 0, host, port, (err, stream) => {
        if (err) return reject(new SshError('connect', `the jump host cannot reach ${host}:${port}: ${err.message}`));
        resolve(stream);
      });
    });
  }

  onClose(listener: (reason: string) => void): Disposable {
    if (this.#closeReason !== undefined) {
      const reason = this.#closeReason;
      queueMicrotask(() => listener(reason));
      return { dispose() {} };
    }
    return this.#closed.on(listener);
  }

  close(): void {
    this.#client.end();
  }
}

function wrapChannel(channel: ClientChannel): ExecChannel {
  const exit = new Promise<{ code: number | null; signal: string | undefined }>((resolve) => {
    let code: number | null = null;
    let signal: string | undefined;
    channel.on('exit', (c: number | null, s?: string) => {
      code = typeof c === 'number' ? c : null;
      signal = s;
    });
    channel.on('close', () => resolve({ code, signal }));
  });
  channel.on('error', () => {
    // 'close' follows; the exit promise carries the outcome.
  });
  return { stdin: channel, stdout: channel, stderr: channel.stderr, duplex: channel, exit, close: () => channel.close() };
}

function hostKeyOrder(preferred: readonly string[]): string[] {
  const expand = (t: string) => (t === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : [t]);
  const first = preferred.flatMap(expand).filter((t) => DEFAULT_HOST_KEY_ORDER.includes(t));
  return [...new Set([...first, ...DEFAULT_HOST_KEY_ORDER])];
}

function keepaliveAware(err: Error): string {
  return /keepalive/i.test(err.message) ? 'the host stopped answering keep-alives (12 missed, 15 s apart)' : err.message;
}

function toSshError(err: unknown, o: OpenSessionOptions): SshError {
  if (err instanceof SshError) return err;
  const msg = errorMessage(err);
  if (/All configured authentication methods failed/i.test(msg)) return new SshError('auth', `${o.username}@${o.host} refused every key and password offered; check the user, IdentityFile and the agent`);
  if (/Timed out while waiting for handshake/i.test(msg)) return new SshError('connect', `${o.host}:${o.port} did not complete the SSH handshake within ${Math.round(o.readyTimeoutMs / 1000)} s`);
  if (/ECONNREFUSED/.test(msg)) return new SshError('connect', `${o.host}:${o.port} refused the connection (is sshd running there?)`);
  if (/ENOTFOUND|EAI_AGAIN/.test(msg)) return new SshError('connect', `cannot resolve the host name ${o.host}`);
  if (/EHOSTUNREACH|ENETUNREACH|ETIMEDOUT/.test(msg)) return new SshError('connect', `${o.host}:${o.port} is not reachable (${msg})`);
  return new SshError('connect', `cannot connect to ${o.host}:${o.port}: ${msg}`);
}
