/** `codex-host relay --listen ws://IP:PORT`: a standalone relay server until SIGINT/SIGTERM. */
import { createLineLogger, type LogLevel } from '../../../shared/util/logger.js';
import { startRelayFromListenUrl } from '../../../relay/startRelayFromListenUrl.js';
import { CliError } from './cliError.js';

/** The `relay` subcommand's flags, as commander parses them. */
export interface RelayFlags {
  listen: string;
  maxSessionsPerHost?: number;
  maxConnectionsPerAddress?: number;
  /** Key per-address limits on the last `X-Forwarded-For` entry (only behind a proxy that sets it). */
  trustProxy?: boolean;
  logLevel?: string;
}

export async function relayCommand(flags: RelayFlags, out: (s: string) => void): Promise<void> {
  const logger = createLineLogger((line) => process.stderr.write(`${line}\n`), (flags.logLevel ?? 'info') as LogLevel);
  let relay;
  try {
    relay = await startRelayFromListenUrl(flags.listen, {
      logger,
      ...(flags.maxSessionsPerHost !== undefined ? { maxSessionsPerHost: flags.maxSessionsPerHost } : {}),
      ...(flags.maxConnectionsPerAddress !== undefined ? { maxConnectionsPerAddress: flags.maxConnectionsPerAddress } : {}),
      ...(flags.trustProxy ? { trustProxy: true } : {}),
    });
  } catch (err) {
    throw new CliError(`relay: ${(err as Error).message}`);
  }
  out(`Codex Host relay listening on ${relay.url} (health: ${relay.httpUrl}/healthz). Press Ctrl+C to stop.`);
  await new Promise<void>((resolve) => {
    const stop = () => void relay.close().then(resolve, resolve);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  out('relay stopped.');
}
