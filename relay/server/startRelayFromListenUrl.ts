/**
 * The entry `codex-relay --listen ws://IP:PORT` calls: parse the address, start the relay.
 * The CLI owns flags, logging setup and signal handling.
 */
import { isLoopbackIp } from '../../shared/net/address.js';
import type { RelayOptions } from './limits.js';
import { parseListenUrl } from './parseListenUrl.js';
import { startRelay, type Relay } from './relayServer.js';

/**
 * Starts a relay bound to `listenUrl` (`ws://IP:PORT`); `options.host`/`options.port` are
 * ignored in favour of the URL. Logs a warning when binding beyond loopback.
 * Throws `parseListenUrl: …` on a bad URL; rejects when the address cannot be bound.
 */
export async function startRelayFromListenUrl(listenUrl: string, options: Omit<RelayOptions, 'host' | 'port'> = {}): Promise<Relay> {
  const { host, port } = parseListenUrl(listenUrl);
  if (!isLoopbackIp(host)) {
    options.logger?.warn('relay: listening beyond loopback; put TLS (wss://) in front of it for phones on the internet', {
      address: host,
    });
  }
  return startRelay({ ...options, host, port });
}
