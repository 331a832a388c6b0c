/**
 * `codex-host remotes …` (docs/remotes.md): the hosts this host controls, through the running
 * host's control endpoint.
 *
 *   remotes [--json]                 list (id, name, state, last seen)
 *   remotes add [LINK | -]           pair with another host's link (`-` or nothing: read it from stdin)
 *   remotes rename ID NAME           this host's name for it
 *   remotes remove ID                forget it (works offline)
 *   remotes connect ID [--listen …]  connection toggle on; with --listen, a local endpoint for `codex --remote`
 *   remotes disconnect ID            connection toggle off
 *
 * IDs are host ids; a unique prefix of at least 4 characters is accepted.
 */
import type { Command } from 'commander';
import type { RemoteInfo } from '../../shared/protocol/features/remotesApi.js';
import type { HostClient } from '../../shared/protocol/hostClient.js';
import { errorMessage } from '../../shared/util/errors.js';
import { ListenerConfigError, parseListenerOptions, type RawListenerOptions } from '../listener/listenerOptions.js';
import { CliError } from './cliError.js';
import { runHostCommand } from './hostCommand.js';

type Out = (s: string) => void;
const MAX_LINK_CHARS = 4096;
/** How long `remotes connect` (without --listen) waits to see the connection up. */
const CONNECT_WAIT_MS = 30_000;

/** Registers `remotes` and its subcommands on `program` (one line in main.ts). */
export function defineRemotesCommand(program: Command, dataDirOption: readonly [string, string, string], out: Out): void {
  const remotes = program
    .command('remotes')
    .description('the other hosts this host controls (Control other devices)')
    .option(...dataDirOption)
    .option('--json', 'print JSON')
    .action(async (opts: { dataDir: string; json?: boolean }) => remotesListCommand({ dataDir: opts.dataDir, json: !!opts.json }, out));
  // `remotes --data-dir X add …` and `remotes add … --data-dir X` both work.
  const dirOf = (opts: { dataDir: string }) => (opts.dataDir !== dataDirOption[2] ? opts.dataDir : (remotes.opts() as { dataDir: string }).dataDir);

  remotes
    .command('add [link]')
    .description('control another host: paste the link `codex-host pair` shows there (or pass - to read it from stdin, which keeps it out of the process list)')
    .option(...dataDirOption)
    .action(async (link: string | undefined, opts: { dataDir: string }) => remotesAddCommand({ dataDir: dirOf(opts), link }, out));
  remotes
    .command('rename <id> <name>')
    .description("change this host's name for a controlled host")
    .option(...dataDirOption)
    .action(async (id: string, name: string, opts: { dataDir: string }) => remotesRenameCommand({ dataDir: dirOf(opts), id, name }, out));
  remotes
    .command('remove <id>')
    .description('stop controlling a host and forget it (works while it is offline)')
    .option(...dataDirOption)
    .action(async (id: string, opts: { dataDir: string }) => remotesRemoveCommand({ dataDir: dirOf(opts), id }, out));
  remotes
    .command('connect <id>')
    .description('turn the connection on (kept across restarts); with --listen, serve it to `codex --remote` until Ctrl+C')
    .option(...dataDirOption)
    .option('--listen <url>', 'local endpoint for the Codex TUI, ws://IP:PORT (e.g. ws://127.0.0.1:4600)')
    .option('--ws-auth <mode>', 'endpoint auth: capability-token | signed-bearer-token')
    .option('--ws-token-file <path>', 'capability token file (absolute path)')
    .option('--ws-token-sha256 <hex>', 'SHA-256 of the capability token (64 hex characters)')
    .option('--ws-shared-secret-file <path>', 'HS256 secret file for signed bearer tokens (absolute path, >= 32 bytes)')
    .option('--ws-issuer <iss>', 'required JWT issuer')
    .option('--ws-audience <aud>', 'required JWT audience')
    .option('--ws-max-clock-skew-seconds <n>', 'JWT clock skew allowance (default 30)')
    .option('--allow-unauthenticated-non-loopback-ws', 'allow a non-loopback endpoint without auth (dangerous)')
    .action(async (id: string, opts: { dataDir: string } & RawListenerOptions) => {
      const { dataDir, ...raw } = opts;
      await remotesConnectCommand({ dataDir: dirOf({ dataDir }), id, listener: raw }, out);
    });
  remotes
    .command('disconnect <id>')
    .description('turn the connection off (kept across restarts)')
    .option(...dataDirOption)
    .action(async (id: string, opts: { dataDir: string }) => remotesDisconnectCommand({ dataDir: dirOf(opts), id }, out));
}

export async function remotesListCommand(opts: { dataDir: string; json: boolean }, out: Out): Promise<void> {
  const r = await runHostCommand('remotes', opts.dataDir, (host) => host.call('host/remotes/list'));
  if (opts.json) {
    out(JSON.stringify(r, null, 2));
    return;
  }
  if (r.problem) out(`warning: ${r.problem}`);
  if (!r.remotes.length) {
    out('This host controls no other host. Show a link on the other host with `codex-host pair`, then run `codex-host remotes add -` here and paste it.');
    return;
  }
  out('Hosts this host controls:');
  for (const x of r.remotes) out(`  ${x.id}  ${x.name}  ${x.label}  ${x.lastSeen ? `last seen ${x.lastSeen}` : 'never seen'}`);
}

export async function remotesAddCommand(opts: { dataDir: string; link: string | undefined }, out: Out, stdin: NodeJS.ReadableStream = process.stdin): Promise<void> {
  const link = opts.link === undefined || opts.link === '-' ? await readLink(stdin) : opts.link;
  if (!link.trim()) throw new CliError('remotes add: no pairing link given (paste the link `codex-host pair` shows on the other host)', 2);
  const r = await runHostCommand('remotes add', opts.dataDir, (host) => host.call('host/remotes/add', { link: link.trim() }, { timeoutMs: 60_000 }));
  out(`Added ${r.remote.name} (${r.remote.id}): ${r.remote.label}.`);
  out(`Its threads are environment ${r.remote.environmentId}; drive it from the Codex TUI with \`codex-host remotes connect ${r.remote.id.slice(0, 8)} --listen ws://127.0.0.1:PORT\`.`);
}

export async function remotesRenameCommand(opts: { dataDir: string; id: string; name: string }, out: Out): Promise<void> {
  idArgument('remotes rename', opts.id);
  const r = await runHostCommand('remotes rename', opts.dataDir, async (host) => host.call('host/remotes/rename', { remoteId: await resolveId(host, 'remotes rename', opts.id), name: opts.name }));
  out(`Renamed ${r.remote.id} to "${r.remote.name}".`);
}

export async function remotesRemoveCommand(opts: { dataDir: string; id: string }, out: Out): Promise<void> {
  idArgument('remotes remove', opts.id);
  await runHostCommand('remotes remove', opts.dataDir, async (host) => {
    const id = await resolveId(host, 'remotes remove', opts.id);
    const r = await host.call('host/remotes/remove', { remoteId: id });
    if (!r.removed) throw new CliError(`remotes remove: no controlled host with id ${id}`);
    out(`Removed ${id}. It still lists this host among its devices until it revokes it there (codex-host devices revoke).`);
  });
}

export async function remotesDisconnectCommand(opts: { dataDir: string; id: string }, out: Out): Promise<void> {
  idArgument('remotes disconnect', opts.id);
  const r = await runHostCommand('remotes disconnect', opts.dataDir, async (host) => host.call('host/remotes/disconnect', { remoteId: await resolveId(host, 'remotes disconnect', opts.id) }));
  out(`${r.remote.name}: ${r.remote.label}.`);
}

/** `remotes connect ID`: the toggle on, then wait to see it connected; with `--listen`, serve the TUI endpoint until a signal. */
export async function remotesConnectCommand(opts: { dataDir: string; id: string; listener: RawListenerOptions }, out: Out): Promise<void> {
  idArgument('remotes connect', opts.id);
  const raw = opts.listener;
  const authGiven = [raw.wsAuth, raw.wsTokenFile, raw.wsTokenSha256, raw.wsSharedSecretFile, raw.wsIssuer, raw.wsAudience, raw.wsMaxClockSkewSeconds].some((v) => v !== undefined);
  if (!raw.listen && (authGiven || raw.allowUnauthenticatedNonLoopbackWs)) throw new CliError('websocket auth flags require --listen ws://IP:PORT', 2);
  if (raw.listen) {
    // Checked here first, so a bad flag is a usage error with upstream's words (the host checks again).
    try {
      parseListenerOptions(raw);
    } catch (err) {
      if (err instanceof ListenerConfigError) throw new CliError(err.hint ? `${err.message}\n${err.hint}` : err.message, 2);
      throw err;
    }
  }
  await runHostCommand('remotes connect', opts.dataDir, async (host) => {
    const remoteId = await resolveId(host, 'remotes connect', opts.id);
    const changes: RemoteInfo[] = [];
    let wake: (() => void) | undefined;
    host.on('host/remotes/changed', ({ remote }) => {
      if (remote.id !== remoteId) return;
      changes.push(remote);
      wake?.();
    });
    await host.subscribe(['host/remotes/changed']);
    const first = (await host.call('host/remotes/connect', { remoteId })).remote;
    if (!raw.listen) {
      const seen = await waitForState(host, remoteId, first, changes, (w) => (wake = w), CONNECT_WAIT_MS);
      if (seen.state !== 'connected') throw new CliError(`remotes connect: ${seen.name}: ${seen.label}${seen.state === 'removed' ? '' : '; this host keeps trying in the background'}`);
      out(`${seen.name}: Connected. Its threads are environment ${seen.environmentId}.`);
      return;
    }
    const listenParams = { remoteId, ...definedOnly(raw), listen: raw.listen };
    const ep = await host.call('host/remotes/listen', listenParams);
    for (const w of ep.warnings) process.stderr.write(`${w}\n`);
    for (const line of ep.banner) out(line);
    out(`Point the Codex TUI at it: codex --remote ${ep.url}`);
    out(`${first.name}: ${first.label}. Press Ctrl+C to stop.`);
    await serveUntilStopped(host, remoteId, changes, (w) => (wake = w));
  });
}

/** Waits for a signal (exit 0) or for the host to end the connection or the remote (exit 1), reporting state changes. */
async function serveUntilStopped(host: HostClient, remoteId: string, changes: RemoteInfo[], setWake: (w: () => void) => void): Promise<void> {
  let last = '';
  let failure: string | undefined;
  let stop!: () => void;
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  const onSignal = () => stop();
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const s of signals) process.on(s, onSignal);
  const closed = host.connection.onClose((info) => {
    failure = `remotes connect: the host closed the connection (${info.code}${info.reason ? `: ${info.reason}` : ''}); the endpoint is gone`;
    stop();
  });
  setWake(() => {
    for (const r of changes.splice(0)) {
      if (r.id !== remoteId) continue;
      if (r.label !== last) process.stderr.write(`${r.name}: ${r.label}\n`);
      last = r.label;
      if (r.state === 'removed' || r.state === 'disconnected') {
        failure = `remotes connect: ${r.name}: ${r.label}; the endpoint is closed`;
        stop();
      }
    }
  });
  try {
    await stopped;
  } finally {
    for (const s of signals) process.off(s, onSignal);
    closed.dispose();
  }
  if (failure) throw new CliError(failure);
  process.stderr.write('Stopped the endpoint.\n');
}

/** Resolves when the remote is connected or in a state that will not pass by itself, or at the deadline. */
async function waitForState(host: HostClient, remoteId: string, first: RemoteInfo, changes: RemoteInfo[], setWake: (w: () => void) => void, ms: number): Promise<RemoteInfo> {
  const settled = (r: RemoteInfo) => r.state === 'connected' || r.state === 'removed' || r.state === 'updateRequired' || r.state === 'disconnected';
  let latest = first;
  const deadline = Date.now() + ms;
  while (!settled(latest) && Date.now() < deadline) {
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, Math.min(1000, Math.max(0, deadline - Date.now())));
      setWake(() => {
        clearTimeout(t);
        resolve();
      });
    });
    const fromChanges = changes.splice(0).filter((r) => r.id === remoteId).at(-1);
    latest = fromChanges ?? (await host.call('host/remotes/list')).remotes.find((r) => r.id === remoteId) ?? latest;
  }
  return latest;
}

/** A full host id, or a unique prefix of at least 4 characters, to the full id (usage errors exit 2). */
async function resolveId(host: HostClient, command: string, raw: string): Promise<string> {
  const id = idArgument(command, raw);
  if (id.length === 32) return id;
  const { remotes } = await host.call('host/remotes/list');
  const matches = remotes.filter((r) => r.id.startsWith(id));
  if (matches.length === 1) return matches[0]!.id;
  if (!matches.length) throw new CliError(`${command}: no controlled host with an id starting with ${id} (see \`codex-host remotes\`)`);
  throw new CliError(`${command}: ${id} matches ${matches.length} hosts (${matches.map((m) => m.id).join(', ')}); give more characters`, 2);
}

/** The id as typed (any case, spaces around it), or a usage error (exit 2) before the host is asked anything. */
function idArgument(command: string, raw: string): string {
  const id = raw.trim().toLowerCase();
  if (!/^[0-9a-f]{4,32}$/.test(id)) throw new CliError(`${command}: "${raw}" is not a host id (4 to 32 hex characters; see \`codex-host remotes\`)`, 2);
  return id;
}

function definedOnly(raw: RawListenerOptions): RawListenerOptions {
  return Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined)) as RawListenerOptions;
}

/** Reads the link from stdin: the first non-empty line, bounded. */
async function readLink(stdin: NodeJS.ReadableStream): Promise<string> {
  if ((stdin as { isTTY?: boolean }).isTTY) process.stderr.write('Paste the pairing link and press Enter: ');
  let text = '';
  try {
    for await (const chunk of stdin) {
      text += typeof chunk === 'string' ? chunk : (chunk as Buffer).toString('utf8');
      if (text.length > MAX_LINK_CHARS) throw new CliError(`remotes add: the input is longer than a pairing link (${MAX_LINK_CHARS} characters)`, 2);
      const line = text.split('\n').slice(0, -1).find((l) => l.trim());
      if (line !== undefined) return line;
    }
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw new CliError(`remotes add: cannot read the link from stdin (${errorMessage(err)})`);
  }
  return text.split('\n').find((l) => l.trim()) ?? '';
}
