/**
 * Remote access as a host extension (issue #3): the host identity (OS secret store or 0600
 * file), the trusted-device list, pairing codes, the relay (embedded on loopback by default,
 * or `--relay URL`), the relay client that turns each welcomed controller into a hub client,
 * and the host/pairing and host/devices methods.
 */
import { HOST_VERSION } from '../version.js';
import type { HostExtension } from '../app/hostApp.js';
import type { TrustedDevice } from '../../shared/protocol/hostMethods.js';
import { CLOSE } from '../../shared/protocol/closeCodes.js';
import { RpcError, RpcErrorCode } from '../../shared/rpc/rpcError.js';
import { signerFromIdentity } from '../../shared/crypto/identity.js';
import { PairingLinkError } from '../../shared/pairing/pairingLink.js';
import { DeviceRegistry, type DeviceRecord } from '../devices/deviceRegistry.js';
import { openHostIdentity } from '../identity/hostIdentity.js';
import type { SecretStoreChoice } from '../identity/secretStore.js';
import { PairingManager } from '../pairing/pairingManager.js';
import { renderPairingQr } from '../pairing/pairingQr.js';
import { HostRelayClient } from './hostRelayClient.js';
import { nodeAead } from './nodeAead.js';
import { EMBEDDED_RELAY_LIMITS } from '../../relay/server/limits.js';
import { startRelay } from '../../relay/server/relayServer.js';
import { parseRelayListen } from '../../relay/server/parseListenUrl.js';
import { relayAddressForBind, relayAddressFromUrl, type RelayAddress } from './relayAddress.js';
import { createSessionAdmission } from './sessionAdmission.js';

export interface RemoteAccessOptions {
  /** External relay (ws[s]://host[:port]); when absent an embedded relay is started. */
  readonly relayUrl?: string;
  /** Embedded relay bind address, `IP:PORT` (default 127.0.0.1:0). */
  readonly relayListen?: string;
  readonly secretStore: SecretStoreChoice;
}

/** Close code for sessions ended by revocation (remote-protocol.md §6). */
export const CLOSE_REVOKED = CLOSE.FORBIDDEN;

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
          const { host: bindHost, port } = parseRelayListen(o.relayListen ?? '127.0.0.1:0');
          const relay = await startRelay({ ...EMBEDDED_RELAY_LIMITS, host: bindHost, port, logger: logger.child('relay') });
          stops.push(() => relay.close());
          address = relayAddressForBind(bindHost, relay.port);
        }

        const pairing = new PairingManager({ identity: host.identity, relay: () => address, hostName: () => hostName });
        const client = new HostRelayClient({
          relayUrl: address.wsUrl,
          host: signerFromIdentity(host.identity),
          aead: nodeAead,
          admission: createSessionAdmission(pairing, devices),
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
        client.start();
        stops.push(() => client.stop());

        const connected = (deviceId: string) => hub.clients().filter((c) => c.id === deviceId && (c.kind === 'phone' || c.kind === 'host')).length;
        const view = (d: DeviceRecord): TrustedDevice => ({
          deviceId: d.deviceId,
          name: d.name,
          platform: d.platform,
          kind: d.kind,
          pairedAt: d.pairedAt,
          lastSeen: d.lastSeen,
          revokedAt: d.revokedAt,
          connected: d.revokedAt === null ? connected(d.deviceId) : 0,
        });

        return {
          describe: () => ({ relay: address.wsUrl, hostId: host.hostId }),
          handlers: {
            'host/pairing/start': async (params) => {
              let code;
              try {
                code = pairing.start(params?.replaces);
              } catch (err) {
                // e.g. a relay address a link may not carry: say so instead of "Internal error".
                if (err instanceof PairingLinkError) throw new RpcError(RpcErrorCode.InvalidRequest, `host/pairing/start: ${err.message}`);
                throw err;
              }
              return { ...code, qr: await renderPairingQr(code.link) };
            },
            'host/devices/list': () => ({ devices: devices.list().map(view), ...(devices.problem ? { problem: devices.problem } : {}) }),
            'host/devices/revoke': async ({ deviceId }) => {
              const rec = await devices.revoke(deviceId);
              if (!rec) return { revoked: false, closedSessions: 0 };
              const closedSessions = hub.closeClients((c) => c.id === deviceId && (c.kind === 'phone' || c.kind === 'host'), CLOSE_REVOKED, 'revoked');
              logger.info('device revoked', { deviceId: deviceId.slice(0, 8), closedSessions });
              return { revoked: true, closedSessions };
            },
            'host/devices/rename': async ({ deviceId, name }) => {
              const rec = await devices.rename(deviceId, name);
              if (!rec) throw new RpcError(RpcErrorCode.InvalidParams, `host/devices/rename: no trusted device with id ${deviceId}`);
              return { device: view(rec) };
            },
          },
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
