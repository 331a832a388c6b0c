/**
 * Stopping a relay, in the order clients should see it (docs/relay.md "Close codes"): stop
 * accepting, close every WebSocket with 1001 (controllers before hosts), wait for the sockets,
 * then release the router if the relay owns it. Runs once; later calls get the same promise.
 */
import type { Logger } from '../../shared/util/logger.js';
import type { SessionRouter } from '../router/router.js';
import type { RelayHttp } from './relayHttp.js';
import type { RelayUpgrades } from './relayUpgrades.js';

export class RelayShutdown {
  #done: Promise<void> | undefined;

  constructor(
    private readonly http: RelayHttp,
    private readonly upgrades: RelayUpgrades,
    /** Closed at the end when the relay created it; a router passed in stays the caller's. */
    private readonly ownedRouter: SessionRouter | undefined,
    private readonly logger: Logger,
  ) {}

  run(): Promise<void> {
    this.#done ??= (async () => {
      const serverClosed = this.http.stop();
      await this.upgrades.shutdown();
      await serverClosed;
      await this.ownedRouter?.close();
      this.logger.info('relay closed');
    })();
    return this.#done;
  }
}
