/**
 * Remote access as a host extension (docs/protocol.md, docs/connections.md): the host identity
 * (OS secret store or 0600 file), the trusted-device list, pairing codes, the relay (the embedded
 * one on this computer or on this network, on a port kept across restarts, or a relay URL), the
 * relay client that turns each welcomed controller into a hub client, and the `remote` host
 * feature: host/pairing and host/devices (remoteFeature.ts) and the run-time settings, "Allow
 * other devices to connect" and the relay choice, with the troubleshooting checks
 * (remoteAccessTable.ts). Settings live in `remote-access.json`; `--relay`/`--relay-listen` win
 * over them. Everything it starts is held in one `DisposableStore` and ended in reverse order.
 */
import { HOST_VERSION } from '../version.js';
import type { HostExtension } from '../app/hostApp.js';
import type { HostFeatureTable } from '../hub/hostFeatures.js';
import { DisposableStore } from '../../shared/util/lifecycle.js';
import { signerFromIdentity } from '../../shared/crypto/identity.js';
import { DeviceRegistry } from '../devices/deviceRegistry.js';
import { openHostIdentity } from '../identity/hostIdentity.js';
import type { SecretStoreChoice, SecretStores } from '../identity/secretStore.js';
import { PairingManager } from '../pairing/pairingManager.js';
import { HostRelayClient } from './hostRelayClient.js';
import { nodeAead } from './nodeAead.js';
import { startEmbeddedRelay } from './embeddedRelay.js';
import { RelayRuntime } from './relayRuntime.js';
import { RemoteAccessControl } from './remoteAccessControl.js';
import { loadRemoteAccessSettings, saveRemoteAccessSettings } from './remoteAccessSettings.js';
import { remoteAccessTable } from './remoteAccessTable.js';
import { createSessionAdmission } from './sessionAdmission.js';
import { CLOSE_REVOKED, RemoteFeature } from './remoteFeature.js';
import type { KeepAwakeInput } from './troubleshooting.js';
import { startPush } from '../push/startPush.js';
import { phoneAppHandlerFromFlags } from '../../relay/server/phoneAppFlags.js';

export interface RemoteAccessOptions {
  /** External relay (ws[s]://host[:port]); fixes the relay (the stored choice is not used). */
  readonly relayUrl?: string;
  /** Embedded relay bind address, `IP:PORT`; fixes the relay likewise. */
  readonly relayListen?: string;
  readonly secretStore: SecretStoreChoice;
  /** Where secrets can live (default: @napi-rs/keyring and the 0600 file; Electron passes safeStorage). */
  readonly secretStores?: SecretStores;
  /** Keep-awake's state for the troubleshooting checks, when the host has keep-awake. */
  readonly keepAwake?: () => KeepAwakeInput | undefined;
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
        // The embedded relay serves the phone app too (docs/mobile.md), over TLS when given a certificate.
        // Read from disk on the first embedded start only (a relay URL needs no app), then reused.
        let staticHandler: ReturnType<typeof phoneAppHandlerFromFlags> | undefined;

        const loaded = await loadRemoteAccessSettings(dataDir);
        if (loaded.problem) logger.warn(loaded.problem);

        // Created before the runtime: the relay clients' admission goes through the feature.
        let runtime: RelayRuntime | undefined;
        let control: RemoteAccessControl | undefined;
        const pairing = store.add(
          new PairingManager({
            identity: host.identity,
            relay: () => {
              const address = runtime?.address;
              if (!address) throw new Error('PairingManager.start: the relay is not running');
              return address;
            },
            hostName: () => hostName,
          }),
        );
        const feature = store.add(
          new RemoteFeature({
            hub,
            devices,
            pairing,
            relayUrl: () => runtime?.address?.wsUrl ?? control?.view().relayUrl,
            enabled: () => control?.enabled ?? true,
            pairingBlocked: () => {
              if (!control?.enabled) return 'remote access is off on this host; turn on Allow other devices to connect to pair a device';
              if (!runtime?.isRunning) return `the relay is not running${runtime?.lastError ? ` (${runtime.lastError})` : ''}; choose another relay in Settings > Connections`;
              return undefined;
            },
            logger,
          }),
        );
        const admission = feature.watchAdmission(createSessionAdmission(pairing, devices));
        runtime = store.add(
          new RelayRuntime({
            startEmbedded: async (listen) => {
              staticHandler ??= phoneAppHandlerFromFlags({}, logger.child('relay')).catch((err: unknown) => {
                staticHandler = undefined; // a failed read is retried on the next start
                throw err;
              });
              const relay = await startEmbeddedRelay({ dataDir, listen, logger: logger.child('relay'), staticHandler: await staticHandler, tls: o.relayTls });
              return { host: relay.host, port: relay.port, tls: o.relayTls !== undefined, dispose: () => relay.dispose() };
            },
            createClient: (relayUrl) =>
              new HostRelayClient({
                relayUrl,
                host: signerFromIdentity(host.identity),
                aead: nodeAead,
                admission,
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
              }),
            logger,
          }),
        );
        feature.watchRelay(runtime);
        control = new RemoteAccessControl({
          runtime,
          flags: { relayUrl: o.relayUrl, relayListen: o.relayListen },
          settings: loaded.settings,
          stored: !loaded.problem,
          save: (s) => saveRemoteAccessSettings(dataDir, s),
          onRelayChanged: () => feature.dropCodes(),
          onChanged: () => feature.announceStatus(),
          logger,
        });
        await control.boot();

        // Keep-awake (the `power` feature, started after this one) reports through its
        // notification; the checks use the latest report unless a getter was given.
        let power: KeepAwakeInput | undefined;
        store.add(
          hub.onNotification((n) => {
            if (n.method === 'host/power/changed') power = n.params;
          }),
        );
        const keepAwake = o.keepAwake ?? (() => power);
        const sessionsOf = (deviceId: string) => hub.clients().filter((c) => c.id === deviceId && (c.kind === 'phone' || c.kind === 'host')).length;
        const table: HostFeatureTable<'remote'> = {
          ...feature.table(),
          ...remoteAccessTable({ control, feature, runtime, devices, sessionsOf, keepAwake }),
        };
        const c = control;
        const rt = runtime;
        return {
          describe: () => {
            const warnings = [...devices.warnings, ...(loaded.problem ? [loaded.problem] : []), ...(c.bootProblem ? [c.bootProblem] : [])];
            return {
              ...(rt.address ? { relay: rt.address.wsUrl } : {}),
              hostId: host.hostId,
              remoteAccess: feature.status(),
              ...(warnings.length ? { warnings } : {}),
            };
          },
          features: { remote: table, push: push.table },
          dispose: () => store.dispose(),
        };
      } catch (err) {
        await store.dispose();
        throw err;
      }
    },
  };
}
