/**
 * `codex-host ssh …` (docs/ssh.md, "CLI"): list, enable, disable, restart, trust, add and
 * remove SSH hosts of the running host, through its control endpoint as a `cli` client.
 * `enable`, `restart` and `trust` follow the connection until it is connected or stops with an
 * error, printing each phase; a password or passphrase is asked at the terminal without echo,
 * and without a terminal the command says where to answer it instead of waiting. Every
 * failure is one line, and nothing waits longer than `SSH_CLI_LIMITS.connectWaitMs`.
 */
import { access } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import type { SshHostInfo, SshPrompt } from '../../shared/protocol/features/sshApi.js';
import type { HostClient } from '../../shared/protocol/hostClient.js';
import type { HostCallParams, HostCallResult, HostMethod } from '../../shared/protocol/hostMethods.js';
import { RpcError } from '../../shared/rpc/rpcError.js';
import type { Disposable } from '../../shared/util/lifecycle.js';
import { defaultDataDir } from '../storage/dataDir.js';
import { CliError } from './cliError.js';
import { runHostCommand } from './hostCommand.js';
import { connectedLine, errorLine, listText, phaseLine, promptElsewhereLine, stateText } from './sshCommandFormat.js';
import { askLine, confirm, isInteractive, PromptCancelledError, type TerminalIo } from './sshCommandPrompt.js';

export const SSH_CLI_LIMITS = {
  /** How long `enable`/`trust`/`restart` follow a connection before giving up (the host keeps trying). */
  connectWaitMs: 180_000,
  /** Calls that may stop a remote engine (disable, restart, remove) take longer than the default. */
  callTimeoutMs: 90_000,
} as const;

type Out = (s: string) => void;

export interface SshCliContext {
  readonly out: Out;
  readonly io: TerminalIo;
  readonly now?: () => number;
}

const defaultIo = (): TerminalIo => ({ input: process.stdin, output: process.stdout });

/** Registers `codex-host ssh` and its subcommands. */
export function defineSshCommand(program: Command, out: Out): void {
  const dataDirOption = ['--data-dir <dir>', 'where the host keeps its state', defaultDataDir()] as const;
  const ssh = program
    .command('ssh')
    .description('SSH hosts: run the engine on another machine (list them with no subcommand)')
    .option(...dataDirOption)
    .option('--json', 'print JSON')
    .action(async (opts: { dataDir: string; json?: boolean }) => sshListCommand({ dataDir: opts.dataDir, json: !!opts.json }, { out, io: defaultIo() }));
  // `ssh --data-dir X enable A` and `ssh enable A --data-dir X` both work.
  const dirOf = (opts: { dataDir: string }) => (opts.dataDir !== defaultDataDir() ? opts.dataDir : (ssh.opts() as { dataDir: string }).dataDir);
  ssh
    .command('list')
    .description('list the SSH hosts: the aliases of ~/.ssh/config and the hosts added by hand, with their state')
    .option(...dataDirOption)
    .option('--json', 'print JSON')
    .action(async (opts: { dataDir: string; json?: boolean }) => sshListCommand({ dataDir: dirOf(opts), json: !!opts.json || !!(ssh.opts() as { json?: boolean }).json }, { out, io: defaultIo() }));
  ssh
    .command('enable <alias>')
    .description('connect to a host now and at every start; it becomes the environment ssh:<alias>')
    .option(...dataDirOption)
    .action(async (alias: string, opts: { dataDir: string }) => sshEnableCommand({ dataDir: dirOf(opts), name: alias }, { out, io: defaultIo() }));
  ssh
    .command('disable <alias>')
    .description('disconnect a host and stop its remote engine')
    .option(...dataDirOption)
    .action(async (alias: string, opts: { dataDir: string }) => sshDisableCommand({ dataDir: dirOf(opts), name: alias }, { out, io: defaultIo() }));
  ssh
    .command('restart <alias>')
    .description('restart the connection of an enabled host')
    .option(...dataDirOption)
    .action(async (alias: string, opts: { dataDir: string }) => sshRestartCommand({ dataDir: dirOf(opts), name: alias }, { out, io: defaultIo() }));
  ssh
    .command('trust <alias>')
    .description('trust the host key a host presented (shows its fingerprint and asks first)')
    .option(...dataDirOption)
    .option('--yes', 'trust it without asking')
    .action(async (alias: string, opts: { dataDir: string; yes?: boolean }) => sshTrustCommand({ dataDir: dirOf(opts), name: alias, yes: !!opts.yes }, { out, io: defaultIo() }));
  ssh
    .command('add <name> <destination>')
    .description('add a host by hand: NAME user@host[:port] (it stays disabled until `ssh enable NAME`)')
    .option(...dataDirOption)
    .option('--identity <file>', 'the private key to use (else the agent and ~/.ssh/id_*)')
    .action(async (name: string, destination: string, opts: { dataDir: string; identity?: string }) =>
      sshAddCommand({ dataDir: dirOf(opts), name, destination, ...(opts.identity !== undefined ? { identity: opts.identity } : {}) }, { out, io: defaultIo() }),
    );
  ssh
    .command('remove <name>')
    .description('remove a host: disable it and forget it (an alias of the ssh config stays there)')
    .option(...dataDirOption)
    .action(async (name: string, opts: { dataDir: string }) => sshRemoveCommand({ dataDir: dirOf(opts), name }, { out, io: defaultIo() }));
}

export async function sshListCommand(opts: { dataDir: string; json: boolean }, ctx: SshCliContext): Promise<void> {
  const list = await runHostCommand('ssh list', opts.dataDir, (host) => call(host, 'ssh list', 'host/ssh/list'));
  if (opts.json) {
    ctx.out(JSON.stringify(list, null, 2));
    return;
  }
  for (const line of listText(list)) ctx.out(line);
}

export async function sshEnableCommand(opts: { dataDir: string; name: string }, ctx: SshCliContext): Promise<void> {
  await runHostCommand('ssh enable', opts.dataDir, (host) =>
    followConnection(host, 'ssh enable', opts.name, ctx, `${opts.name}: connecting…`, () => call(host, 'ssh enable', 'host/ssh/enable', { name: opts.name })),
  );
}

export async function sshRestartCommand(opts: { dataDir: string; name: string }, ctx: SshCliContext): Promise<void> {
  await runHostCommand('ssh restart', opts.dataDir, (host) =>
    followConnection(host, 'ssh restart', opts.name, ctx, `${opts.name}: restarting the connection…`, () => call(host, 'ssh restart', 'host/ssh/restart', { name: opts.name }, SSH_CLI_LIMITS.callTimeoutMs)),
  );
}

export async function sshDisableCommand(opts: { dataDir: string; name: string }, ctx: SshCliContext): Promise<void> {
  const r = await runHostCommand('ssh disable', opts.dataDir, (host) => call(host, 'ssh disable', 'host/ssh/disable', { name: opts.name }, SSH_CLI_LIMITS.callTimeoutMs));
  ctx.out(`${r.host.name}: disabled; its remote engine was stopped and it no longer connects at start.`);
}

export async function sshTrustCommand(opts: { dataDir: string; name: string; yes: boolean }, ctx: SshCliContext): Promise<void> {
  await runHostCommand('ssh trust', opts.dataDir, async (host) => {
    const list = await call(host, 'ssh trust', 'host/ssh/list');
    const h = list.hosts.find((x) => x.name === opts.name);
    if (!h) throw new CliError(`ssh trust: there is no host ${opts.name} (see \`codex-host ssh list\`)`);
    const e = h.lastError;
    if (e?.code !== 'host-key-unknown' || !e.fingerprint) {
      if (h.state === 'connected') throw new CliError(`ssh trust: ${opts.name} is connected: its host key is trusted already`);
      throw new CliError(`ssh trust: no unknown host key is waiting to be trusted for ${opts.name} (it is ${stateText(h)}); run \`codex-host ssh enable ${opts.name}\` first`);
    }
    ctx.out(`${opts.name} presented this host key:`);
    ctx.out(`  ${e.fingerprint}${e.keyType ? ` (${e.keyType})` : ''}`);
    ctx.out(`Compare it with the host's own (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub there).`);
    if (!opts.yes) {
      if (!isInteractive(ctx.io)) throw new CliError(`ssh trust: standard input is not a terminal, so it cannot ask; run \`codex-host ssh trust ${opts.name} --yes\` to trust ${e.fingerprint}`);
      let yes: boolean;
      try {
        yes = await confirm(ctx.io, 'Trust this key?');
      } catch (err) {
        if (err instanceof PromptCancelledError) throw new CliError('ssh trust: cancelled; nothing was trusted');
        throw err;
      }
      if (!yes) throw new CliError('ssh trust: not trusted; nothing changed');
    }
    const fingerprint = e.fingerprint;
    await followConnection(host, 'ssh trust', opts.name, ctx, `${opts.name}: trusting ${fingerprint} and connecting…`, () =>
      call(host, 'ssh trust', 'host/ssh/trust', { name: opts.name, fingerprint }, SSH_CLI_LIMITS.callTimeoutMs),
    );
  });
}

export async function sshAddCommand(opts: { dataDir: string; name: string; destination: string; identity?: string }, ctx: SshCliContext): Promise<void> {
  let identityFile: string | undefined;
  if (opts.identity !== undefined) {
    const raw = opts.identity.trim();
    identityFile = raw === '~' || raw.startsWith('~/') ? raw : path.resolve(raw);
    if (!identityFile.startsWith('~')) {
      try {
        await access(identityFile);
      } catch {
        throw new CliError(`ssh add: the identity file ${identityFile} does not exist`);
      }
    }
  }
  const r = await runHostCommand('ssh add', opts.dataDir, (host) =>
    call(host, 'ssh add', 'host/ssh/add', { name: opts.name, destination: opts.destination, ...(identityFile !== undefined ? { identityFile } : {}) }),
  );
  ctx.out(`Added ${r.host.name} (${r.host.details.user}@${r.host.details.hostName}:${r.host.details.port}${r.host.details.identityFiles[0] ? `, key ${r.host.details.identityFiles[0]}` : ''}).`);
  ctx.out(`Connect it with \`codex-host ssh enable ${r.host.name}\`.`);
}

export async function sshRemoveCommand(opts: { dataDir: string; name: string }, ctx: SshCliContext): Promise<void> {
  const r = await runHostCommand('ssh remove', opts.dataDir, async (host) => {
    const removed = await call(host, 'ssh remove', 'host/ssh/remove', { name: opts.name }, SSH_CLI_LIMITS.callTimeoutMs);
    return { ...removed, configFile: removed.source === 'config' ? (await call(host, 'ssh remove', 'host/ssh/list')).configFile : undefined };
  });
  if (r.source === 'manual') ctx.out(`Removed ${opts.name}, with its trusted host key and its remote projects.`);
  else ctx.out(`Disabled ${opts.name} and took it off your list, with its remote projects; the alias stays in ${r.configFile}.`);
}

/**
 * Calls a host/ssh method; the host's refusal becomes one line naming the command, with the
 * bare reason the host gave (`data.reason`) rather than the method's own prefix.
 */
async function call<M extends HostMethod>(host: HostClient, command: string, method: M, params?: HostCallParams<M>, timeoutMs?: number): Promise<HostCallResult<M>> {
  try {
    return await (host.call as (m: M, p?: HostCallParams<M>, o?: { timeoutMs?: number }) => Promise<HostCallResult<M>>)(method, params, timeoutMs ? { timeoutMs } : undefined);
  } catch (err) {
    const reason = err instanceof RpcError && typeof err.data === 'object' && err.data !== null ? (err.data as { reason?: unknown }).reason : undefined;
    if (typeof reason === 'string') throw new CliError(`${command}: ${reason}`);
    throw err;
  }
}

/**
 * Subscribes to the host's changes and prompts, runs `start` (enable / restart / trust), then
 * prints each phase until the host is connected (resolves) or stops with an error (one line).
 */
async function followConnection(host: HostClient, command: string, name: string, ctx: SshCliContext, intro: string, start: () => Promise<{ host: SshHostInfo }>): Promise<void> {
  const now = ctx.now ?? Date.now;
  const subs: Disposable[] = [];
  let settle!: (outcome: { ok: true; host: SshHostInfo } | { ok: false; error: Error }) => void;
  const outcome = new Promise<{ ok: true; host: SshHostInfo } | { ok: false; error: Error }>((r) => (settle = r));
  let lastPhase: string | undefined;
  let attempted = false;
  let current: SshHostInfo | undefined;
  const asked = new Set<string>();
  // Withdraws a question still on the terminal once the outcome is known (e.g. the host gave up waiting).
  const questions = new AbortController();
  const onHost = (h: SshHostInfo) => {
    current = h;
    if (h.state === 'connecting') attempted = true;
    if (h.phase && h.phase !== lastPhase && h.phase !== 'ready') ctx.out(phaseLine(h.phase));
    lastPhase = h.phase;
    if (h.state === 'connected') settle({ ok: true, host: h });
    else if (h.state === 'error') settle({ ok: false, error: new CliError(`${command}: ${errorLine(h)}`) });
    else if (h.state === 'disabled' && !h.enabled) settle({ ok: false, error: new CliError(`${command}: ${name} was disabled meanwhile`) });
    else if (h.state === 'disconnected' && attempted) {
      settle({ ok: false, error: new CliError(`${command}: ${name} is not connected yet: ${h.lastError?.message ?? 'disconnected'}; the host keeps trying (${stateText(h)}); see \`codex-host ssh list\``) });
    }
  };
  const onPrompt = (p: SshPrompt) => {
    if (p.host !== name || asked.has(p.promptId)) return;
    asked.add(p.promptId);
    if (!isInteractive(ctx.io)) {
      settle({ ok: false, error: new CliError(`${command}: ${promptElsewhereLine(p, now())}`) });
      return;
    }
    void answerAtTerminal(host, p, ctx, questions.signal).catch((err: unknown) => settle({ ok: false, error: err instanceof Error ? err : new Error(String(err)) }));
  };
  subs.push(
    host.on('host/ssh/changed', (c) => {
      if (c.name === name && c.host) onHost(c.host);
      else if (c.name === name) settle({ ok: false, error: new CliError(`${command}: ${name} was removed meanwhile`) });
    }),
    host.on('host/ssh/prompt', onPrompt),
  );
  const timer = setTimeout(() => {
    settle({ ok: false, error: new CliError(`${command}: ${name} is still ${current ? stateText(current) : 'connecting'} after ${Math.round(SSH_CLI_LIMITS.connectWaitMs / 1000)} s; the host keeps trying (see \`codex-host ssh list\`)`) });
  }, SSH_CLI_LIMITS.connectWaitMs);
  try {
    await host.subscribe(['host/ssh/changed', 'host/ssh/prompt']);
    ctx.out(intro);
    const started = await start();
    // Every change is notified; the result only matters when nothing changed (e.g. already connected).
    if (!current) onHost(started.host);
    // A question asked before we subscribed (e.g. by an earlier run without a terminal).
    for (const p of (await call(host, command, 'host/ssh/list')).prompts) onPrompt(p);
    const r = await outcome;
    if (!r.ok) throw r.error;
    ctx.out(connectedLine(r.host));
  } finally {
    clearTimeout(timer);
    questions.abort();
    for (const s of subs) s.dispose();
  }
}

/** Asks each question of a prompt at the terminal (hidden unless it echoes) and sends the answers. */
async function answerAtTerminal(host: HostClient, p: SshPrompt, ctx: SshCliContext, signal: AbortSignal): Promise<void> {
  ctx.out(`${p.host}: ${p.title}`);
  if (p.instructions) ctx.out(p.instructions);
  const answers: string[] = [];
  try {
    for (const q of p.prompts) answers.push(await askLine(ctx.io, `${q.text.trimEnd()} `, q.echo, signal));
  } catch (err) {
    if (signal.aborted) return;
    if (err instanceof PromptCancelledError) {
      await host.call('host/ssh/prompt/cancel', { promptId: p.promptId }).catch(() => undefined);
      throw new CliError(`${p.host}: cancelled at the terminal; the connection was not completed`);
    }
    throw err;
  }
  try {
    await host.call('host/ssh/prompt/answer', { promptId: p.promptId, answers });
  } finally {
    answers.fill('');
  }
}
