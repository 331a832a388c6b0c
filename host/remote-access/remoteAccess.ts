/**
 * Remote access as a host extension (docs/protocol.md): the host identity (OS secret store or 0600
 * file), the trusted-device list, pairing codes, the relay (embedded on loopback by default,
 * on a port kept across restarts, or `--relay URL`), the relay client that turns each welcomed
 * controller into a hub client, and the `remote` host feature (remoteFeature.ts: host/pairing
 * and host/devices methods and their notifications). Everything it starts is held in one
 * `DisposableStore` and ended in reverse order by `dispose()`.
 */
import { HOST_VERSION } from '../version.js';
import type { HostExtension } from '../app/hostApp.js';
import { DisposableStore } from '../../shared/util/lifecycle.js';
import { signerFromIdentity } from '../../shared/crypto/identity.js';
import { DeviceRegistry } from '../devices/deviceRegistry.js';
import { openHostIdentity } from '../identity/hostIdentity.js';
import type { SecretStoreChoice, SecretStores } from '../identity/secretStore.js';
import { PairingManager } from '../pairing/pairingManager.js';
import { HostRelayClient } from './hostRelayClient.js';
import { nodeAead } from './nodeAead.js';
import { startEmbeddedRelay } from './embeddedRelay.js';
import { relayAddressForBind, relayAddressFromUrl, type RelayAddress } from './relayAddress.js';
import { createSessionAdmission } from './sessionAdmission.js';
import { CLOSE_REVOKED, RemoteFeature } from './remoteFeature.js';
import { startPush } from '../push/startPush.js';
import { phoneAppHandlerFromFlags } from '../../relay/server/phoneAppFlags.js';

export interface RemoteAccessOptions {
  /** External relay (ws[s]://host[:port]); when absent an embedded relay is started. */
  readonly relayUrl?: string;
  /** Embedded relay bind address, `IP:PORT` (default 127.0.0.1:0). */
  readonly relayListen?: string;
  readonly secretStore: SecretStoreChoice;
  /** Where secrets can live (default: @napi-rs/keyring and the 0600 file; Electron passes safeStorage). */
  readonly secretStores?: SecretStores;
  /** The Web Push contact subject to store (`serve --push-subject`); docs/notifications.md. */
  readonly pushSubject?: string;
  /** The embedded relay serves HTTPS/WSS with this certificate (`serve --relay-tls-cert/--relay-tls-key`). */
  readonly relayTls?: { readonly certFile: string; readonly keyFile: string };
}

export { CLOSE_REVOKED };

export function createRemoteAccess(o: RemoteAccessOptions): HostExtension {
  return {
    name: 'remote access',
    async start({ hub, dataDir, logger, hostName }) {
      const store = new DisposableStore(logger);
      try {
        const host = await openHostIdentity(dataDir, o.secretStore, logger, o.secretStores);
        logger.info(host.created ? 'created the host identity' : 'loaded the host identity', { hostId: host.hostId, store: host.store.kind });
        const devices = store.add(await DeviceRegistry.open(dataDir, logger.child('devices')));
        const push = store.add(
          await startPush({ hub, devices, dataDir, secretStore: host.store, hostId: host.hostId, hostName, subject: o.pushSubject, logger: logger.child('push') }),
        );

        let address: RelayAddress;
        if (o.relayUrl) address = relayAddressFromUrl(o.relayUrl);
        else {
          // The embedded relay serves the phone app too (docs/mobile.md), over TLS when given a certificate.
          const staticHandler = await phoneAppHandlerFromFlags({}, logger.child('relay'));
          const relay = await startEmbeddedRelay({ dataDir, listen: o.relayListen, logger: logger.child('relay'), staticHandler, tls: o.relayTls });
          store.add(relay);
          address = relayAddressForBind(relay.host, relay.port, o.relayTls !== undefined);
        }

        const pairing = store.add(new PairingManager({ identity: host.identity, relay: () => address, hostName: () => hostName }));
        const feature = store.add(new RemoteFeature({ hub, devices, pairing, relayUrl: address.wsUrl, logger }));
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
        store.add(client);

        return {
          describe: () => ({
            relay: address.wsUrl,
            hostId: host.hostId,
            remoteAccess: feature.status(),
            ...(devices.warnings.length ? { warnings: [...devices.warnings] } : {}),
          }),
          features: { remote: feature.table(), push: push.table },
          dispose: () => store.dispose(),
        };
      } catch (err) {
        await store.dispose();
        throw err;
      }
    },
  };
}
