/**
 * The SSH hosts service behind the `ssh` host feature (sshFeature.ts, docs/ssh.md): list
 * (discovered aliases with their entry errors, and hosts added by hand), pick an alias onto the
 * user's list, enable / disable / restart, trust an unknown host key, add / edit / remove
 * manual hosts, answer password prompts, and one `SshEnginePort` per enabled host. Which hosts
 * are enabled or picked and the manual hosts live in `ssh-hosts.json` in the data dir (written
 * atomically); nothing is contacted or resolved until a host is enabled, and only enabled
 * hosts connect at startup.
 */
import { randomBytes, createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import { z } from 'zod';
import { errorMessage } from '../../shared/util/errors.js';
import { Emitter, type Disposable } from '../../shared/util/lifecycle.js';
import { silentLogger, type Logger } from '../../shared/util/logger.js';
import { readJsonFile, writeJsonAtomic } from '../storage/atomicFile.js';
import type { ConfigFs } from './configFs.js';
import { dialTcp } from './dialTcp.js';
import { discoverSshHosts, type DiscoveryProblem, type SshDiscovery } from './discoverSshHosts.js';
import { HostKeyTrustStore } from './hostKeyTrustStore.js';
import { manualHostSchema, manualToResolved, parseManualHost, type ManualHost, type ManualHostInput } from './manualHost.js';
import { RemoteEngine } from './remoteEngine.js';
import { knownHostsName } from './knownHosts.js';
import type { ResolveContext, ResolvedSshHost } from './resolvedHost.js';
import { resolveSshHost } from './resolveSshHost.js';
import type { RunProgram } from './runProgram.js';
import { openSsh2Session, type OpenSessionOptions, type SshSession } from './ssh2Client.js';
import { connectSshHost } from './sshConnect.js';
import { SshEnginePort } from './sshEnginePort.js';
import { SshHostConnection, type SshHostStatus } from './sshHostConnection.js';
import { SshError } from './sshErrors.js';
import { SSH_HOSTS_FILE, SSH_KNOWN_HOSTS_FILE } from './sshStateFiles.js';
import { DEFAULT_PROMPT_TIMEOUT_MS, type SshPrompter, type SshPromptRequest } from './sshPrompt.js';

const stateSchema = z.object({
  version: z.literal(1),
  instanceId: z.string().regex(/^[0-9a-f]{16}$/),
  enabled: z.array(z.string().min(1).max(255)).max(1000),
  manual: z.array(manualHostSchema).max(1000),
  /** Config aliases the user picked from the discovered list (added with version 1; optional). */
  listed: z.array(z.string().min(1).max(255)).max(2000).optional(),
});
type State = z.output<typeof stateSchema>;

export interface SshHostView {
  readonly name: string;
  readonly source: 'config' | 'manual';
  /** Where a config alias is defined. */
  readonly file?: string;
  readonly line?: number;
  /** For manual hosts: what was entered. */
  readonly manual?: ManualHost;
  readonly enabled: boolean;
  /** Picked by the user: added by hand, or a config alias added from the discovered list (or enabled once). */
  readonly listed: boolean;
  readonly status: SshHostStatus;
}

export interface SshHostList {
  readonly hosts: readonly SshHostView[];
  /** Config entries that could not be read (with their error), listed beside the hosts. */
  readonly problems: readonly DiscoveryProblem[];
  readonly configFile: string;
}

/** A question waiting for the user (the UI/CLI answers with `answerPrompt`). */
export interface PendingPrompt {
  readonly id: string;
  readonly request: SshPromptRequest;
  /** When the connection stops waiting for the answer (ms since the epoch). */
  readonly expiresAt: number;
}

/** A manual host's new settings (`ssh edit`, Settings > Edit): replaces all of them. */
export interface ManualHostEdit extends Omit<ManualHostInput, 'name'> {
  /** Renames the host (its enabled flag follows). */
  readonly newName?: string;
}

export interface SshHostsOptions {
  readonly dataDir: string;
  readonly home: string;
  /** The ssh config to read; default `~/.ssh/config` (anything else is passed to `ssh -G -F`). */
  readonly configFile?: string;
  readonly context: ResolveContext;
  readonly logger?: Logger;
  readonly promptTimeoutMs?: number;
  /** Injected I/O (tests); the defaults are the real ones. */
  readonly fs?: ConfigFs;
  readonly run?: RunProgram;
  readonly sshBinary?: string;
  readonly openSession?: (o: OpenSessionOptions) => Promise<SshSession>;
  readonly dial?: (host: string, port: number, timeoutMs: number) => Promise<Duplex>;
  readonly startEngine?: ConstructorParameters<typeof SshHostConnection>[0]['startEngine'];
  readonly backoff?: { initialMs?: number; maxMs?: number };
  readonly now?: () => number;
}

export class SshHosts implements Disposable {
  readonly #o: SshHostsOptions;
  readonly #stateFile: string;
  readonly #trust: HostKeyTrustStore;
  readonly #logger: Logger;
  /** A host's name when only that host changed, undefined when the list did. */
  readonly #changed = new Emitter<string | undefined>();
  readonly #prompts = new Emitter<PendingPrompt>();
  readonly #promptsClosed = new Emitter<PendingPrompt>();
  readonly #pending = new Map<string, { prompt: PendingPrompt; resolve: (a: readonly string[] | undefined) => void }>();
  readonly #connections = new Map<string, { conn: SshHostConnection; port: SshEnginePort; subs: Disposable[] }>();
  #state: State;
  #discovery: SshDiscovery | undefined;
  #writes: Promise<unknown> = Promise.resolve();

  private constructor(o: SshHostsOptions, state: State) {
    this.#o = o;
    this.#state = state;
    this.#stateFile = path.join(o.dataDir, SSH_HOSTS_FILE);
    this.#trust = new HostKeyTrustStore({ file: path.join(o.dataDir, SSH_KNOWN_HOSTS_FILE) });
    this.#logger = o.logger ?? silentLogger;
  }

  /** Loads the state file and connects the hosts the user enabled earlier. */
  static async open(o: SshHostsOptions): Promise<SshHosts> {
    const file = path.join(o.dataDir, SSH_HOSTS_FILE);
    let state: State | undefined;
    try {
      state = await readJsonFile(file, stateSchema);
    } catch (err) {
      throw new Error(`the SSH hosts file ${file} cannot be read (${errorMessage(err)}); fix or remove it`);
    }
    const hosts = new SshHosts(o, state ?? { version: 1, instanceId: randomBytes(8).toString('hex'), enabled: [], manual: [] });
    if (!state) await hosts.#save();
    for (const name of hosts.#state.enabled) hosts.#connection(name).conn.start();
    return hosts;
  }

  get configFile(): string {
    return this.#o.configFile ?? path.join(this.#o.home, '.ssh', 'config');
  }

  /** Discovered + manual hosts with their status (discovers on first use; `refresh` re-reads). */
  async list(): Promise<SshHostList> {
    const d = this.#discovery ?? (await this.refresh());
    const manualNames = new Set(this.#state.manual.map((m) => m.name));
    const discovered = new Set(d.hosts.map((h) => h.alias));
    // Picked aliases that left the ssh config stay visible, so they can be disabled and removed.
    const gone = [...new Set([...this.#state.enabled, ...(this.#state.listed ?? [])])].filter((n) => !discovered.has(n) && !manualNames.has(n));
    return {
      configFile: d.configFile,
      problems: d.problems,
      hosts: [
        ...d.hosts.filter((h) => !manualNames.has(h.alias)).map((h) => this.#view(h.alias, { source: 'config', file: h.file, line: h.line })),
        ...gone.map((n) => this.#view(n, { source: 'config' })),
        ...this.#state.manual.map((m) => this.#view(m.name, { source: 'manual', manual: m })),
      ],
    };
  }

  /** One host as `list` shows it, from what is known now (undefined: no such host, or not discovered yet). */
  view(name: string): SshHostView | undefined {
    const manual = this.#state.manual.find((m) => m.name === name);
    if (manual) return this.#view(name, { source: 'manual', manual });
    const found = this.#discovery?.hosts.find((h) => h.alias === name);
    if (found) return this.#view(name, { source: 'config', file: found.file, line: found.line });
    return this.#picked(name) ? this.#view(name, { source: 'config' }) : undefined;
  }

  #view(name: string, rest: Omit<SshHostView, 'name' | 'enabled' | 'listed' | 'status'>): SshHostView {
    const enabled = this.#state.enabled.includes(name);
    return {
      name,
      ...rest,
      enabled,
      listed: rest.source === 'manual' || enabled || (this.#state.listed ?? []).includes(name),
      status: this.#connections.get(name)?.conn.status ?? { state: 'disabled', phase: undefined, lastError: undefined, target: undefined, remote: undefined, disconnects: 0, retryInMs: undefined },
    };
  }

  /** Reads the ssh config again (never contacts a host). */
  async refresh(): Promise<SshDiscovery> {
    this.#discovery = await discoverSshHosts({ configFile: this.configFile, home: this.#o.home, sshDir: path.join(this.#o.home, '.ssh'), ...(this.#o.fs ? { fs: this.#o.fs } : {}) });
    this.#changed.fire(undefined);
    return this.#discovery;
  }

  async enable(name: string): Promise<void> {
    await this.#known(name);
    if (!this.#state.enabled.includes(name)) {
      this.#state = { ...this.#state, enabled: [...this.#state.enabled, name], ...this.#listedWith(name) };
      await this.#save();
    }
    this.#connection(name).conn.start();
    this.#changed.fire(name);
  }

  async disable(name: string): Promise<void> {
    if (this.#state.enabled.includes(name)) {
      this.#state = { ...this.#state, enabled: this.#state.enabled.filter((n) => n !== name) };
      await this.#save();
    }
    await this.#stopConnection(name);
    this.#changed.fire(name);
  }

  async restart(name: string): Promise<void> {
    const c = this.#connections.get(name);
    if (!c || !this.#state.enabled.includes(name)) throw new SshError('config', `${name} is not enabled`);
    await this.#stopConnection(name);
    c.conn.start();
  }

  /**
   * Trusts the host key the last connection attempt refused as unknown, if its fingerprint is
   * exactly `fingerprint` (what the user was shown), then reconnects.
   */
  async trust(name: string, fingerprint: string): Promise<void> {
    const c = this.#connections.get(name);
    const err = c?.conn.status.lastError;
    if (!c || err?.code !== 'host-key-unknown' || !err.details.key || !err.details.host) throw new SshError('config', `no unknown host key is waiting to be trusted for ${name}; connect it first`);
    if (err.details.fingerprint !== fingerprint) throw new SshError('host-key-unknown', `${name} presented ${err.details.fingerprint}, not ${fingerprint}; nothing was trusted`);
    await this.#trust.trust(err.details.host, Buffer.from(err.details.key, 'base64'));
    await c.conn.restart();
  }

  /** Puts a config alias on the user's list (the SSH tab's rows) without connecting it. */
  async pick(name: string): Promise<void> {
    if (this.#state.manual.some((m) => m.name === name)) return;
    await this.#known(name);
    if ((this.#state.listed ?? []).includes(name)) return;
    this.#state = { ...this.#state, ...this.#listedWith(name) };
    await this.#save();
    this.#changed.fire(name);
  }

  /** Adds a host by hand (checked; the name must not clash with a config alias or another manual host). */
  async add(input: ManualHostInput): Promise<ManualHost> {
    const host = parseManualHost(input, this.#o.home);
    const d = this.#discovery ?? (await this.refresh());
    if (d.hosts.some((h) => h.alias === host.name) || this.#state.manual.some((m) => m.name === host.name)) throw new SshError('config', `a host named ${host.name} exists already`);
    this.#state = { ...this.#state, manual: [...this.#state.manual, host] };
    await this.#save();
    this.#changed.fire(undefined);
    return host;
  }

  /**
   * Replaces a manual host's settings (and renames it with `newName`). An enabled host is
   * stopped and connects again with the new settings; a changed address forgets the key
   * trusted for the old one.
   */
  async edit(name: string, edit: ManualHostEdit): Promise<ManualHost> {
    const old = this.#state.manual.find((m) => m.name === name);
    if (!old) throw new SshError('config', `${name} is not a host added by hand (change config hosts in ${this.configFile})`);
    const host = parseManualHost({ ...edit, name: edit.newName ?? name }, this.#o.home);
    if (host.name !== name) {
      const d = this.#discovery ?? (await this.refresh());
      if (d.hosts.some((h) => h.alias === host.name) || this.#state.manual.some((m) => m.name === host.name)) throw new SshError('config', `a host named ${host.name} exists already`);
    }
    const wasEnabled = this.#state.enabled.includes(name);
    await this.#stopConnection(name);
    this.#disposeConnection(name);
    this.#state = {
      ...this.#state,
      manual: this.#state.manual.map((m) => (m.name === name ? host : m)),
      enabled: this.#state.enabled.map((n) => (n === name ? host.name : n)),
    };
    await this.#save();
    const oldKey = keyNameOf(old);
    if (oldKey !== keyNameOf(host)) await this.#forgetKeyUnlessShared(oldKey);
    if (wasEnabled) this.#connection(host.name).conn.start();
    this.#changed.fire(undefined);
    return host;
  }

  /**
   * Removes a manual host (and disables it), forgetting its trusted host key unless another host
   * still uses it (#forgetKeyUnlessShared); a config alias is
   * disabled and taken off the user's list (it stays in the ssh config, and stays discovered).
   */
  async remove(name: string): Promise<void> {
    const m = this.#state.manual.find((x) => x.name === name);
    if (!m) {
      if (!this.#picked(name)) await this.#known(name);
      await this.disable(name);
      this.#state = { ...this.#state, listed: (this.#state.listed ?? []).filter((n) => n !== name) };
      await this.#save();
      this.#disposeConnection(name);
      this.#changed.fire(name);
      return;
    }
    await this.disable(name);
    this.#state = { ...this.#state, manual: this.#state.manual.filter((x) => x.name !== name) };
    await this.#save();
    await this.#forgetKeyUnlessShared(keyNameOf(m));
    this.#disposeConnection(name);
    this.#changed.fire(undefined);
  }

  /** The engine port of a host (created on first enable); undefined for unknown names. */
  enginePort(name: string): SshEnginePort | undefined {
    return this.#connections.get(name)?.port;
  }

  status(name: string): SshHostStatus | undefined {
    return this.#connections.get(name)?.conn.status;
  }

  /** The enabled hosts, in the order they were enabled. */
  enabledNames(): readonly string[] {
    return this.#state.enabled;
  }

  /** The manual host named `name`, if there is one. */
  manualHost(name: string): ManualHost | undefined {
    return this.#state.manual.find((m) => m.name === name);
  }

  /** The SSH connection of a connected host (to run a listing over it), else undefined. */
  session(name: string): SshSession | undefined {
    return this.#connections.get(name)?.conn.session;
  }

  /** Any change of the list (no name) or of one host's status (its name). */
  onChange(listener: (name: string | undefined) => void): Disposable {
    return this.#changed.on(listener);
  }

  /** A password / passphrase / keyboard-interactive question for the user. */
  onPrompt(listener: (p: PendingPrompt) => void): Disposable {
    return this.#prompts.on(listener);
  }

  /** A prompt stopped waiting: answered, cancelled, timed out, or its connection attempt ended. */
  onPromptClosed(listener: (p: PendingPrompt) => void): Disposable {
    return this.#promptsClosed.on(listener);
  }

  pendingPrompts(): PendingPrompt[] {
    return [...this.#pending.values()].map((p) => p.prompt);
  }

  answerPrompt(id: string, answers: readonly string[]): void {
    const p = this.#pending.get(id);
    if (!p) throw new SshError('prompt-timeout', 'that prompt is no longer waiting (it was answered, cancelled or timed out)');
    p.resolve(answers);
  }

  /** Cancels a waiting prompt; false when it was no longer waiting. */
  cancelPrompt(id: string): boolean {
    const p = this.#pending.get(id);
    p?.resolve(undefined);
    return p !== undefined;
  }

  /** Stops every connection and its remote engine. */
  async dispose(): Promise<void> {
    await Promise.all([...this.#connections.keys()].map((name) => this.#stopConnection(name)));
    for (const name of [...this.#connections.keys()]) this.#disposeConnection(name);
    this.#changed.clear();
    this.#prompts.clear();
    this.#promptsClosed.clear();
    await this.#writes;
  }

  readonly #prompter: SshPrompter = {
    prompt: (request, signal) =>
      new Promise((resolve) => {
        const id = randomBytes(8).toString('hex');
        const done = (a: readonly string[] | undefined) => {
          if (!this.#pending.delete(id)) return;
          signal.removeEventListener('abort', onAbort);
          resolve(a);
          this.#promptsClosed.fire(prompt);
          this.#changed.fire(request.host);
        };
        const onAbort = () => done(undefined);
        signal.addEventListener('abort', onAbort, { once: true });
        const prompt: PendingPrompt = { id, request, expiresAt: (this.#o.now?.() ?? Date.now()) + (this.#o.promptTimeoutMs ?? DEFAULT_PROMPT_TIMEOUT_MS) };
        this.#pending.set(id, { prompt, resolve: done });
        this.#prompts.fire(prompt);
        this.#changed.fire(request.host);
      }),
  };

  /** Enabled or put on the list by the user (a config alias may have left the config since). */
  #picked(name: string): boolean {
    return this.#state.enabled.includes(name) || (this.#state.listed ?? []).includes(name);
  }

  /** `listed` with a config alias added (manual hosts are always listed). */
  #listedWith(name: string): Pick<State, 'listed'> {
    const listed = this.#state.listed ?? [];
    return this.#state.manual.some((m) => m.name === name) || listed.includes(name) ? {} : { listed: [...listed, name] };
  }

  /**
   * Stops a connection; the questions of its attempt are no longer wanted, so they are
   * withdrawn once the attempt is stale (it then ends quietly instead of reporting a cancel).
   */
  async #stopConnection(name: string): Promise<void> {
    const stopping = this.#connections.get(name)?.conn.stop();
    for (const p of [...this.#pending.values()]) if (p.prompt.request.host === name) p.resolve(undefined);
    await stopping;
  }

  async #known(name: string): Promise<void> {
    if (this.#state.manual.some((m) => m.name === name)) return;
    const d = this.#discovery ?? (await this.refresh());
    if (!d.hosts.some((h) => h.alias === name)) throw new SshError('config', `there is no host ${name} in ${d.configFile} or among the hosts added by hand`);
  }

  /** What a host name means for ssh: a host added by hand as given, a config alias as ssh resolves it. */
  #resolveAlias(alias: string): Promise<ResolvedSshHost> {
    const o = this.#o;
    const manual = this.#state.manual.find((m) => m.name === alias);
    if (manual) return Promise.resolve(manualToResolved(manual, o.context));
    return resolveSshHost({
      alias,
      ...(o.configFile ? { configFile: o.configFile } : {}),
      context: o.context,
      fallbackConfig: async () => (this.#discovery ?? (await this.refresh())).config,
      ...(o.run ? { run: o.run } : {}),
      ...(o.sshBinary ? { sshBinary: o.sshBinary } : {}),
    });
  }

  /**
   * Forgets the key trusted under `keyName` unless another host still connects under that name:
   * a host added by hand for the same address, or a config alias that resolves to it (an alias
   * ssh cannot resolve right now does not count).
   */
  async #forgetKeyUnlessShared(keyName: string): Promise<void> {
    if (this.#state.manual.some((m) => keyNameOf(m) === keyName)) return;
    const d = this.#discovery ?? (await this.refresh().catch(() => undefined));
    for (const h of d?.hosts ?? []) {
      const r = await this.#resolveAlias(h.alias).catch(() => undefined);
      if (r && knownHostsName(r.hostKeyAlias ?? r.hostName, r.port) === keyName) return;
    }
    await this.#trust.forget(keyName);
  }

  #connection(name: string): { conn: SshHostConnection; port: SshEnginePort } {
    const existing = this.#connections.get(name);
    if (existing) return existing;
    const o = this.#o;
    const promptTimeoutMs = o.promptTimeoutMs ?? DEFAULT_PROMPT_TIMEOUT_MS;
    const readKeyFile = (p: string) => readFile(p).catch(() => undefined);
    const resolveAlias = (alias: string) => this.#resolveAlias(alias);
    const tag = createHash('sha256').update(`${this.#state.instanceId}\u0000${name}`).digest('hex').slice(0, 12);
    const conn = new SshHostConnection({
      alias: name,
      resolve: () => resolveAlias(name),
      connect: (host, onPhase) =>
        connectSshHost(
          host,
          {
            openSession: o.openSession ?? openSsh2Session,
            dial: o.dial ?? dialTcp,
            resolveHop: async (hop) => {
              const r = await resolveAlias(hop.host).catch(() => undefined);
              const base = r ?? manualToResolved({ name: hop.host, user: hop.user ?? o.context.localUser, hostName: hop.host, port: hop.port ?? 22 }, o.context);
              // The hop's own ProxyJump is not followed (one chain per host: docs/ssh.md, Limits).
              return { ...base, ...(hop.user ? { user: hop.user } : {}), ...(hop.port ? { port: hop.port } : {}), proxyJump: [] };
            },
            readKnownHosts: (f) => readFile(f, 'utf8').catch(() => undefined),
            trustStore: this.#trust,
            readKeyFile,
            // Questions of a ProxyJump hop belong to this host too: that is the connection the user enabled.
            prompter: { prompt: (request, signal) => this.#prompter.prompt({ ...request, host: name }, signal) },
            promptTimeoutMs,
          },
          (p) => onPhase(p),
        ),
      startEngine: o.startEngine ?? ((session, previous, onPhase) => RemoteEngine.start(session, { tag, ...(previous ? { previous } : {}), onPhase })),
      ...(o.backoff ? { backoff: o.backoff } : {}),
      logger: this.#logger.child(`ssh:${name}`),
    });
    const port = new SshEnginePort(conn);
    const subs = [conn.onStatus(() => this.#changed.fire(name))];
    const entry = { conn, port, subs };
    this.#connections.set(name, entry);
    return entry;
  }

  #disposeConnection(name: string): void {
    const c = this.#connections.get(name);
    if (!c) return;
    for (const s of c.subs) s.dispose();
    c.port.dispose();
    this.#connections.delete(name);
  }

  #save(): Promise<void> {
    const snapshot = this.#state;
    const run = this.#writes.then(() => writeJsonAtomic(this.#stateFile, snapshot));
    this.#writes = run.catch(() => undefined);
    return run;
  }
}

/** The name a manual host's key is trusted under (known_hosts style). */
function keyNameOf(m: ManualHost): string {
  return m.port === 22 ? m.hostName : `[${m.hostName}]:${m.port}`;
}
