#!/usr/bin/env node
/**
 * `codex-relay`: the relay server on its own (docs/relay.md). It imports only `shared/` and the
 * relay's own files, so it runs and deploys without the host (no engine, no keyring).
 * `codex-host relay` is an alias that registers the same command (`addRelayCommand`).
 * Misuse ends with one line on stderr: exit 2 for usage errors, 1 for everything else.
 */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { createLineLogger, LOG_LEVELS, type LogLevel } from '../shared/util/logger.js';
import { startRelayFromListenUrl } from './server/startRelayFromListenUrl.js';
import { phoneAppHandlerFromFlags } from './server/phoneAppFlags.js';
import { errorMessage } from '../shared/util/errors.js';

/** The relay command's flags, as commander parses them. */
export interface RelayFlags {
  listen: string;
  maxSessionsPerHost?: number;
  maxConnectionsPerAddress?: number;
  /** Key per-address limits on the last `X-Forwarded-For` entry (only behind a proxy that sets it). */
  trustProxy?: boolean;
  /** Serve HTTPS/WSS with this certificate chain and key (PEM; reloaded when the files change). */
  tlsCert?: string;
  tlsKey?: string;
  /** `--no-app`: do not serve the phone web client. */
  app?: boolean;
  /** Serve the phone web client from this build instead of the bundled one. */
  appDir?: string;
  logLevel: LogLevel;
}

/** A relay failure the CLI prints as one line. */
export class RelayCliError extends Error {
  override readonly name = 'RelayCliError';
}

function positiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer');
  return n;
}

/** Declares the relay's flags on `cmd` and runs the relay as its action. */
export function defineRelayCommand(cmd: Command, out: (s: string) => void): Command {
  return cmd
    .option('--listen <url>', 'ws://IP:PORT to listen on', 'ws://127.0.0.1:8787')
    .option('--max-sessions-per-host <n>', 'open sessions per host', positiveInt)
    .option('--max-connections-per-address <n>', 'WebSocket connections open at once from one client address', positiveInt)
    .option(
      '--trust-proxy',
      'take client addresses from the last X-Forwarded-For entry; only behind a TLS reverse proxy that sets that header',
    )
    .option('--tls-cert <file>', 'serve HTTPS and WSS with this certificate chain (PEM; reloaded when it changes; needs --tls-key)')
    .option('--tls-key <file>', 'the private key of --tls-cert (PEM)')
    .option('--app-dir <dir>', 'serve the phone web client from this build (default: the one built into this package)')
    .option('--no-app', 'do not serve the phone web client at / and /pair')
    .addOption(new Option('--log-level <level>', 'log level').choices(LOG_LEVELS).default('info'))
    .action(async (flags: RelayFlags) => runRelay(flags, out));
}

/** Runs a relay until SIGINT/SIGTERM. Rejects with `RelayCliError` when it cannot start. */
export async function runRelay(flags: RelayFlags, out: (s: string) => void): Promise<void> {
  const logger = createLineLogger((line) => process.stderr.write(`${line}\n`), flags.logLevel);
  if ((flags.tlsCert === undefined) !== (flags.tlsKey === undefined)) throw new RelayCliError('relay: --tls-cert and --tls-key go together');
  let relay;
  let app: Awaited<ReturnType<typeof phoneAppHandlerFromFlags>>;
  try {
    app = await phoneAppHandlerFromFlags({ app: flags.app, appDir: flags.appDir }, logger);
    relay = await startRelayFromListenUrl(flags.listen, {
      logger,
      ...(flags.maxSessionsPerHost !== undefined ? { maxSessionsPerHost: flags.maxSessionsPerHost } : {}),
      ...(flags.maxConnectionsPerAddress !== undefined ? { maxConnectionsPerAddress: flags.maxConnectionsPerAddress } : {}),
      ...(flags.trustProxy ? { trustProxy: true } : {}),
      ...(flags.tlsCert && flags.tlsKey ? { tls: { certFile: flags.tlsCert, keyFile: flags.tlsKey } } : {}),
      ...(app ? { staticHandler: app } : {}),
    });
  } catch (err) {
    throw new RelayCliError(`relay: ${errorMessage(err)}`);
  }
  out(`Codex Host relay listening on ${relay.url} (health: ${relay.httpUrl}/healthz). Press Ctrl+C to stop.`);
  if (app) out(`  phone app: ${relay.httpUrl}/ (pairing links open ${relay.httpUrl}/pair)`);
  await new Promise<void>((resolve) => {
    const stop = () => void relay.dispose().then(resolve, resolve);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  out('relay stopped.');
}

/** `codex-relay …`: returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const out = (s: string) => process.stdout.write(`${s}\n`);
  const program = defineRelayCommand(
    new Command('codex-relay')
      .description('Run a Codex Host relay: forwards end-to-end encrypted sessions between hosts and their devices.')
      .showHelpAfterError('(run codex-relay --help for usage)')
      .exitOverride(),
    out,
  );
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    process.stderr.write(`codex-relay: ${errorMessage(err)}\n`);
    return 1;
  }
}

const invokedDirectly = process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (invokedDirectly || process.argv[1]?.endsWith('/codex-relay')) {
  void main(process.argv).then((code) => {
    if (code !== 0) process.exitCode = code;
  });
}
