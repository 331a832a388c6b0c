/** `codex-host relay --listen ws://IP:PORT`: a standalone relay server until SIGINT/SIGTERM. */
import { createLineLogger, type LogLevel } from '../../../shared/util/logger.js';
import { startRelayFromListenUrl } from '../../../relay/startRelayFromListenUrl.js';
import { CliError } from './cliError.js';

export async function relayCommand(flags: { listen: string; maxSessionsPerHost?: number; logLevel?: string }, out: (s: string) => void): Promise<void> {
  const logger = createLineLogger((line) => process.stderr.write(`${line}\n`), (flags.logLevel ?? 'info') as LogLevel).child('relay');
  let relay;
  try {
    relay = await startRelayFromListenUrl(flags.listen, { logger, ...(flags.maxSessionsPerHost !== undefined ? { maxSessionsPerHost: flags.maxSessionsPerHost } : {}) });
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
