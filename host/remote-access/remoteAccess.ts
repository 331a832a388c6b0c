/**
 * Remote access as a host extension (docs/protocol.md): the host identity (OS secret store or 0600
 * file), the trusted-device list, pairing codes, the relay (embedded on loopback by default,
 * or `--relay URL`), the relay client that turns each welcomed controller into a hub client,
 * and the `remote` host feature (remoteFeature.ts: host/pairing and host/devices methods and
 * their notifications).
 */
import { HOST_VERSION } from '../version.js';
import type { HostExtension } from '../app/hostApp.js';
import { signerFromIdentity } from '../../shared/crypto/identity.js';
import { DeviceRegistry } from '../devices/deviceRegistry.js';
import { openHostIdentity } from '../identity/hostIdentity.js';
import type { SecretStoreChoice } from '../identity/secretStore.js';
import { PairingManager } from '../pairing/pairingManager.js';
import { HostRelayClient } from './hostRelayClient.js';
import { nodeAead } from './nodeAead.js';
import { startRelay } from '../../relay/server/relayServer.js';
import { parseListenUrl } from '../../relay/server/parseListenUrl.js';
import { relayAddressForBind, relayAddressFromUrl, type RelayAddress } from './relayAddress.js';
import { createSessionAdmission } from './sessionAdmission.js';
import { CLOSE_REVOKED, RemoteFeature } from './remoteFeature.js';

export interface RemoteAccessOptions {
  /** External relay (ws[s]://host[:port]); when absent an embedded relay is started. */
  readonly relayUrl?: string;
  /** Embedded relay bind address, `IP:PORT` (default 127.0.0.1:0). */
  readonly relayListen?: string;
  readonly secretStore: SecretStoreChoice;
}

export { CLOSE_REVOKED };

export function createRemoteAccess(o: RemoteAccessOptions): HostExtension {
  return {
    name: 'remote access',
    async start({ hub, dataDir, logger, hostName }) {
      const stops: (() => Promise<void>)[] = [];
      try {
        const host = await openHostIdentity(dataDir, o.secretStore, logger);
        logger.info(host.created ? 'created the host identity' : 'loaded the host identity', { hostId: host.hostId, store: host.store.kind });
        const devices = await DeviceRegistry.open(dataDir, logger.child('devices'));

        let address: RelayAddress;
        if (o.relayUrl) address = relayAddressFromUrl(o.relayUrl);
        else {
          const { host: bindHost, port } = parseListenUrl(`ws://${o.relayListen ?? '127.0.0.1:0'}`);
          const relay = await startRelay({ host: bindHost, port, logger: logger.child('relay') });
          stops.push(() => relay.close());
          address = relayAddressForBind(bindHost, new URL(relay.url).port ? Number(new URL(relay.url).port) : port);
        }

        const pairing = new PairingManager({ identity: host.identity, relay: () => address, hostName: () => hostName });
        const feature = new RemoteFeature({ hub, devices, pairing, relayUrl: address.wsUrl, logger });
        stops.push(async () => feature.dispose());
        const client = new HostRelayClient({
          relayUrl: address.wsUrl,
          host: signerFromIdentity(host.identity),
          aead: nodeAead,
          admission: feature.watchAdmission(createSessionAdmission(pairing, devices)),
          hostDescription: () => ({ name: hostName, platform: process.platform, version: HOST_VERSION }),
          attach: (transport, identity) => {
            // Re-checked at the last moment: a revoke that landed while this session was being
            // admitted must still win (remote-protocol.md §6).
            if (!devices.active().some((d) => d.deviceId === identity.id)) {
              transport.close(CLOSE_REVOKED, 'revoked');
              return;
            }
            hub.attach(transport, identity);
          },
          logger: logger.child('relay-client'),
        });
        feature.watchRelay(client);
        client.start();
        stops.push(() => client.stop());

        return {
          describe: () => ({ relay: address.wsUrl, hostId: host.hostId, remoteAccess: feature.status() }),
          features: { remote: feature.table() },
          async stop() {
            for (const s of stops.reverse()) await s().catch(() => {});
          },
        };
      } catch (err) {
        for (const s of stops.reverse()) await s().catch(() => {});
        throw err;
      }
    },
  };
}
