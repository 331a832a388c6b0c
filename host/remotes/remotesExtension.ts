/**
 * Controlling other devices as a host extension (docs/remotes.md), started by `createHost`:
 * the trust records (`remotes.json`), this host's controller key (created on the first add),
 * the links to the remotes whose toggle is on (each an environment of the hub), and the
 * `remotes` feature. On Windows it starts nothing but the statement that the feature is
 * unavailable, and why (the Windows rule, windowsRule.ts).
 */
import type { BackoffOptions } from '../../shared/util/backoff.js';
import type { HostExtension } from '../app/hostApp.js';
import { MIN_CODEX_VERSION } from '../engine/checkCodexVersion.js';
import type { SecretStoreChoice, SecretStores } from '../identity/secretStore.js';
import { nodeAead } from '../remote-access/nodeAead.js';
import { nodeWebSocket } from './nodeWebSocket.js';
import { loadControllerDevice, loadOrCreateControllerDevice } from './controllerDevice.js';
import { remotesFeature } from './remotesFeature.js';
import { RemotesService } from './remotesService.js';
import { RemotesStore } from './remotesStore.js';
import { controlOtherDevicesProblem } from './windowsRule.js';

export interface RemotesOptions {
  /** The platform the rule is checked for (createHost's `platform`, default `process.platform`). */
  readonly platform: NodeJS.Platform;
  /** Where the controller key goes when it is created (as `--secret-store`). */
  readonly secretStore: SecretStoreChoice;
  readonly secretStores?: SecretStores;
  /** Reconnect backoff of the links (tests shorten it). */
  readonly backoff?: BackoffOptions;
}

export function createRemotes(o: RemotesOptions): HostExtension {
  return {
    name: 'controlling other devices',
    async start({ hub, dataDir, logger, hostName }) {
      const refusal = controlOtherDevicesProblem(o.platform);
      if (refusal) {
        logger.info(refusal);
        const statement = hub.markFeatureUnavailable('remotes', refusal);
        return { dispose: async () => statement.dispose() };
      }
      const records = await RemotesStore.open(dataDir, logger.child('store'));
      const keyOptions = { dataDir, records, choice: o.secretStore, logger, ...(o.secretStores ? { stores: o.secretStores } : {}) };
      const service = new RemotesService({
        hub,
        records,
        device: (create) => (create ? loadOrCreateControllerDevice(keyOptions) : loadControllerDevice(keyOptions)),
        deviceName: hostName,
        platform: o.platform,
        aead: nodeAead,
        webSocket: nodeWebSocket,
        minCodexVersion: MIN_CODEX_VERSION,
        logger,
        ...(o.backoff ? { backoff: o.backoff } : {}),
      });
      try {
        await service.start();
      } catch (err) {
        await service.dispose();
        throw err;
      }
      return {
        features: { remotes: remotesFeature(service) },
        describe: () => {
          const problem = service.problem;
          return problem ? { warnings: [problem] } : {};
        },
        dispose: () => service.dispose(),
      };
    },
  };
}
