/**
 * Connecting to a resolved host (docs/ssh.md): through each ProxyJump hop in turn (each hop
 * resolved as its own alias, its host key checked under its own name), then to the target;
 * host keys checked against known_hosts and the trust store, authentication through the
 * agent, keys and prompts; keep-alive every 15 s, 12 misses. The result is one `SshSession`
 * that closes the whole chain.
 */
import type { Duplex } from 'node:stream';
import { Emitter, type Disposable } from '../../shared/util/lifecycle.js';
import { createAuthSequence } from './ssh2Auth.js';
import type { ExecChannel, OpenSessionOptions, SshSession } from './ssh2Client.js';
import { loadKnownHosts, preferredKeyTypes, verifyHostKey, type ReadKnownHosts } from './hostKeyPolicy.js';
import type { HostKeyTrustStore } from './hostKeyTrustStore.js';
import { knownHostsName } from './knownHosts.js';
import type { JumpHop, ResolvedSshHost } from './resolvedHost.js';
import type { SshPrompter } from './sshPrompt.js';

export const CONNECT_LIMITS = {
  keepaliveIntervalMs: 15_000,
  keepaliveCountMax: 12,
  connectTimeoutMs: 20_000,
  /** Auth may wait on the user: the handshake deadline grows by this many prompt timeouts. */
  promptsPerHandshake: 4,
  maxJumpHops: 8,
} as const;

export type ConnectPhase = 'connecting' | 'authenticating';

export interface ConnectDeps {
  readonly openSession: (options: OpenSessionOptions) => Promise<SshSession>;
  /** A TCP stream to the first hop (or the target when there is no hop). */
  readonly dial: (host: string, port: number, timeoutMs: number) => Promise<Duplex>;
  /** Resolves a jump hop as its own alias (its `user`/`port` from the hop win). */
  readonly resolveHop: (hop: JumpHop) => Promise<ResolvedSshHost>;
  readonly readKnownHosts: ReadKnownHosts;
  readonly trustStore: HostKeyTrustStore;
  readonly readKeyFile: (path: string) => Promise<Buffer | undefined>;
  readonly prompter: SshPrompter | undefined;
  readonly promptTimeoutMs: number;
  readonly keepaliveIntervalMs?: number;
  readonly keepaliveCountMax?: number;
}

/** Connects to `target` (through its jump hops). Rejects with an `SshError`. */
export async function connectSshHost(target: ResolvedSshHost, deps: ConnectDeps, onPhase: (phase: ConnectPhase, host: string) => void = () => {}): Promise<SshSession> {
  if (target.proxyJump.length > CONNECT_LIMITS.maxJumpHops) throw new Error(`more than ${CONNECT_LIMITS.maxJumpHops} ProxyJump hops`);
  const chain: ResolvedSshHost[] = [];
  for (const hop of target.proxyJump) chain.push(await deps.resolveHop(hop));
  chain.push(target);
  const sessions: SshSession[] = [];
  try {
    let stream: Duplex | undefined;
    for (const host of chain) {
      onPhase('connecting', host.alias);
      const timeout = host.connectTimeoutMs ?? CONNECT_LIMITS.connectTimeoutMs;
      stream = stream ?? (await deps.dial(host.hostName, host.port, timeout));
      const session = await openOne(host, stream, deps, timeout, () => onPhase('authenticating', host.alias));
      sessions.push(session);
      if (host !== target) {
        const next = chain[chain.indexOf(host) + 1]!;
        stream = await session.forwardOut(next.hostName, next.port);
      }
    }
  } catch (err) {
    for (const s of sessions.reverse()) s.close();
    throw err;
  }
  return sessions.length === 1 ? sessions[0]! : new ChainedSession(sessions);
}

async function openOne(host: ResolvedSshHost, sock: Duplex, deps: ConnectDeps, timeoutMs: number, onVerified: () => void): Promise<SshSession> {
  const check = { name: knownHostsName(host.hostKeyAlias ?? host.hostName, host.port), knownHostsFiles: host.knownHostsFiles, readFile: deps.readKnownHosts, trustStore: deps.trustStore };
  const entries = await loadKnownHosts(check.knownHostsFiles, check.readFile);
  return deps.openSession({
    host: host.hostName,
    port: host.port,
    username: host.user,
    sock,
    preferredHostKeyTypes: await preferredKeyTypes(check, entries),
    verifyHostKey: async (key) => {
      await verifyHostKey(check, entries, key);
      onVerified();
    },
    nextAuth: createAuthSequence(host, { readFile: deps.readKeyFile, prompter: deps.prompter, promptTimeoutMs: deps.promptTimeoutMs }),
    keepaliveIntervalMs: deps.keepaliveIntervalMs ?? CONNECT_LIMITS.keepaliveIntervalMs,
    keepaliveCountMax: deps.keepaliveCountMax ?? CONNECT_LIMITS.keepaliveCountMax,
    readyTimeoutMs: timeoutMs + CONNECT_LIMITS.promptsPerHandshake * deps.promptTimeoutMs,
  });
}

/** Target session over its jump sessions: closing it (or losing any hop) ends them all. */
class ChainedSession implements SshSession {
  readonly #sessions: readonly SshSession[];
  readonly #target: SshSession;
  readonly #closed = new Emitter<string>();
  #reason: string | undefined;

  constructor(sessions: readonly SshSession[]) {
    this.#sessions = sessions;
    this.#target = sessions[sessions.length - 1]!;
    for (const s of sessions) {
      s.onClose((why) => {
        if (this.#reason !== undefined) return;
        this.#reason = why;
        this.close();
        this.#closed.fire(why);
        this.#closed.clear();
      });
    }
  }

  get isClosed(): boolean {
    return this.#reason !== undefined || this.#target.isClosed;
  }

  exec(command: string): Promise<ExecChannel> {
    return this.#target.exec(command);
  }

  forwardOut(host: string, port: number): Promise<Duplex> {
    return this.#target.forwardOut(host, port);
  }

  onClose(listener: (reason: string) => void): Disposable {
    if (this.#reason !== undefined) {
      const r = this.#reason;
      queueMicrotask(() => listener(r));
      return { dispose() {} };
    }
    return this.#closed.on(listener);
  }

  close(): void {
    for (const s of [...this.#sessions].reverse()) s.close();
  }
}
