/**
 * The `remote` host feature (docs/host-api.md): the handler table of host/pairing/start and
 * host/devices/*, and the notifications a Settings > Connections screen needs without polling
 * (devices changed, pairing claimed or expired, the relay registration's state and last
 * error). Built by remote access once its identity, device list, pairing codes and relay
 * client exist.
 */
import type { ClientIdentity } from '../../shared/protocol/clientIdentity.js';
import type { RemoteAccessStatus, TrustedDevice } from '../../shared/protocol/hostMethods.js';
import type { HostNotificationParams } from '../../shared/protocol/hostNotifications.js';
import { PairingLinkError } from '../../shared/pairing/pairingLink.js';
import { RpcError, RpcErrorCode } from '../../shared/rpc/rpcError.js';
import { fromHex, toHex } from '../../shared/util/encoding.js';
import { DisposableStore, type Disposable } from '../../shared/util/lifecycle.js';
import type { Logger } from '../../shared/util/logger.js';
import type { DeviceRecord, DeviceRegistry } from '../devices/deviceRegistry.js';
import type { HostFeatureTable } from '../hub/hostFeatures.js';
import type { ClientChange } from '../hub/hub.js';
import type { PairingManager } from '../pairing/pairingManager.js';
import { renderPairingQr } from '../pairing/pairingQr.js';
import type { HostRelayState } from './hostRelayClient.js';
import type { SessionAdmission } from './sessionAdmission.js';
import type { LastPairingCode, RefusedDevice } from './troubleshooting.js';
import { CLOSE } from '../../shared/protocol/closeCodes.js';

/** Close code for sessions ended by revocation (remote-protocol.md §6). */
export const CLOSE_REVOKED = CLOSE.FORBIDDEN;

/** What the feature needs of the hub. */
export interface RemoteFeatureHub {
  clients(): readonly ClientIdentity[];
  closeClients(match: (identity: ClientIdentity) => boolean, code: number, reason: string): number;
  notify<N extends 'host/devices/changed' | 'host/pairing/claimed' | 'host/pairing/expired' | 'host/remoteAccess/changed'>(notification: N, params: HostNotificationParams<N>): void;
  onClientsChanged(listener: (change: ClientChange) => void): Disposable;
}

/** What the feature needs of the relay client. */
export interface RemoteFeatureRelay {
  readonly state: HostRelayState;
  readonly lastError: string | undefined;
  onStateChange(listener: (state: HostRelayState) => void): Disposable;
}

export interface RemoteFeatureDeps {
  readonly hub: RemoteFeatureHub;
  readonly devices: DeviceRegistry;
  readonly pairing: PairingManager;
  /** The relay URL controllers reach (as in pairing links), while the relay runs. */
  readonly relayUrl: () => string | undefined;
  /** "Allow other devices to connect" (default: always on). */
  readonly enabled?: () => boolean;
  /** Why no pairing code can be made right now (remote access off, no relay), or undefined. */
  readonly pairingBlocked?: () => string | undefined;
  readonly logger: Logger;
  readonly now?: () => number;
}

/** The methods this class answers; the rest of the `remote` feature is remoteAccessTable.ts. */
export type RemoteCoreMethod = 'host/pairing/start' | 'host/devices/list' | 'host/devices/revoke' | 'host/devices/rename';

const isDevice = (c: ClientIdentity) => c.kind === 'phone' || c.kind === 'host';

export class RemoteFeature {
  readonly #d: RemoteFeatureDeps;
  readonly #store = new DisposableStore();
  /** Pairing codes shown and not yet used, by pairId, with their expiry timers. */
  readonly #codes = new Map<string, ReturnType<typeof setTimeout>>();
  /** Devices that just used a code (deviceId → pairId), until their session is attached. */
  readonly #claims = new Map<string, string>();
  #relay: RemoteFeatureRelay | undefined;
  #lastCode: { pairId: string; code: LastPairingCode } | undefined;
  #lastRefused: RefusedDevice | undefined;

  constructor(deps: RemoteFeatureDeps) {
    this.#d = deps;
    this.#store.add(deps.hub.onClientsChanged((c) => this.#onClient(c)));
  }

  /**
   * Reports this relay client's registration (it is created after the feature, because its
   * session admission goes through `watchAdmission`).
   */
  watchRelay(relay: RemoteFeatureRelay): void {
    this.#relay = relay;
    this.#store.add(relay.onStateChange(() => this.#d.hub.notify('host/remoteAccess/changed', this.status())));
  }

  /** The relay registration as host/info and host/remoteAccess/changed report it. */
  status(): RemoteAccessStatus {
    const state = this.#relay?.state ?? 'stopped';
    const lastError = this.#relay?.lastError;
    return { enabled: this.#d.enabled?.() ?? true, state, relay: this.#d.relayUrl() ?? '', ...(lastError ? { lastError: lastError.slice(0, 500) } : {}) };
  }

  /** Announces the current status (after a setting changed). */
  announceStatus(): void {
    this.#d.hub.notify('host/remoteAccess/changed', this.status());
  }

  /** The last pairing code shown since the start (troubleshooting). */
  get lastCode(): LastPairingCode | undefined {
    return this.#lastCode?.code;
  }

  /** The last device refused at admission (troubleshooting). */
  get lastRefused(): RefusedDevice | undefined {
    return this.#lastRefused;
  }

  /** Ends every open pairing code (they name a relay that is no longer used), announcing each as replaced. */
  dropCodes(): void {
    this.#d.pairing.dropAll();
    for (const pairId of [...this.#codes.keys()]) {
      this.#forgetCode(pairId);
      this.#d.hub.notify('host/pairing/expired', { pairId, reason: 'replaced' });
    }
    if (this.#lastCode?.code.state === 'open') this.#setCode(this.#lastCode.pairId, 'replaced');
  }

  /** Wraps the session admission so a used pairing code is announced when its session attaches. */
  watchAdmission(inner: SessionAdmission): SessionAdmission {
    return {
      lookupPairingSecret: (pairId) => {
        const secret = inner.lookupPairingSecret(pairId);
        if (!secret) this.#refused('code-expired');
        return secret;
      },
      admit: async (device) => {
        const result = await inner.admit(device);
        if (!result.ok) {
          const known = this.#d.devices.list().find((d) => d.deviceId === device.deviceId);
          const reason = result.reason === 'revoked' ? 'revoked' : result.reason === 'used' ? 'code-used' : result.reason === 'unknown_device' ? 'unknown-device' : 'code-expired';
          this.#refused(reason, known?.name ?? device.name);
        }
        if (!result.ok || device.mode !== 'pair' || !device.pairId) return result;
        const pairId = toHex(device.pairId);
        this.#forgetCode(pairId);
        this.#claims.set(device.deviceId, pairId);
        const rollback = result.rollback;
        return {
          ...result,
          rollback: async () => {
            this.#claims.delete(device.deviceId);
            await rollback?.();
          },
        };
      },
    };
  }

  /** The pairing and device handlers of the `remote` feature. */
  table(): Pick<HostFeatureTable<'remote'>, RemoteCoreMethod> {
    const { devices, pairing, hub, logger } = this.#d;
    return {
      'host/pairing/start': async (params) => {
        const blocked = this.#d.pairingBlocked?.();
        if (blocked) throw new RpcError(RpcErrorCode.InvalidRequest, `host/pairing/start: ${blocked}`);
        let code;
        try {
          code = pairing.start(params?.replaces);
        } catch (err) {
          // e.g. a relay address a link may not carry: say so instead of "Internal error".
          if (err instanceof PairingLinkError) throw new RpcError(RpcErrorCode.InvalidRequest, `host/pairing/start: ${err.message}`);
          throw err;
        }
        this.#trackCode(code.pairId, code.exp * 1000);
        return { ...code, qr: await renderPairingQr(code.link) };
      },
      'host/devices/list': () => ({ devices: devices.list().map((d) => this.#view(d)), ...(devices.problem ? { problem: devices.problem } : {}) }),
      'host/devices/revoke': async ({ deviceId }) => {
        const rec = await devices.revoke(deviceId);
        if (!rec) return { revoked: false, closedSessions: 0 };
        const closedSessions = hub.closeClients((c) => c.id === deviceId && isDevice(c), CLOSE_REVOKED, 'revoked');
        logger.info('device revoked', { deviceId: deviceId.slice(0, 8), closedSessions });
        hub.notify('host/devices/changed', { change: 'revoked', device: this.#view(rec) });
        return { revoked: true, closedSessions };
      },
      'host/devices/rename': async ({ deviceId, name }) => {
        const rec = await devices.rename(deviceId, name);
        if (!rec) throw new RpcError(RpcErrorCode.InvalidParams, `host/devices/rename: no trusted device with id ${deviceId}`);
        const device = this.#view(rec);
        hub.notify('host/devices/changed', { change: 'renamed', device });
        return { device };
      },
    };
  }

  dispose(): void {
    for (const t of this.#codes.values()) clearTimeout(t);
    this.#codes.clear();
    void this.#store.dispose();
  }

  #view(d: DeviceRecord): TrustedDevice {
    const connected = d.revokedAt === null ? this.#d.hub.clients().filter((c) => c.id === d.deviceId && isDevice(c)).length : 0;
    return { deviceId: d.deviceId, name: d.name, platform: d.platform, kind: d.kind, pairedAt: d.pairedAt, lastSeen: d.lastSeen, revokedAt: d.revokedAt, connected };
  }

  #onClient({ change, client }: ClientChange): void {
    if (!isDevice(client)) return;
    const rec = this.#d.devices.list().find((d) => d.deviceId === client.id && d.revokedAt === null);
    if (!rec) return;
    const device = this.#view(rec);
    const pairId = change === 'attached' ? this.#claims.get(client.id) : undefined;
    if (pairId) {
      this.#claims.delete(client.id);
      if (this.#lastCode?.pairId === pairId) this.#lastCode = { pairId, code: { ...this.#lastCode.code, state: 'claimed', deviceName: device.name } };
      this.#d.hub.notify('host/pairing/claimed', { pairId, device });
      this.#d.hub.notify('host/devices/changed', { change: 'paired', device });
      return;
    }
    this.#d.hub.notify('host/devices/changed', { change: change === 'attached' ? 'connected' : 'disconnected', device });
  }

  /** Watches a new code; codes the pairing manager dropped for it (replaced, or over its limit) are announced. */
  #trackCode(pairId: string, expMs: number): void {
    for (const known of [...this.#codes.keys()]) {
      if (!this.#d.pairing.lookup(fromHex(known))) {
        this.#forgetCode(known);
        this.#d.hub.notify('host/pairing/expired', { pairId: known, reason: 'replaced' });
      }
    }
    const now = this.#d.now?.() ?? Date.now();
    if (this.#lastCode?.code.state === 'open') this.#setCode(this.#lastCode.pairId, 'replaced');
    this.#lastCode = { pairId, code: { state: 'open', expiresAt: expMs } };
    const timer = setTimeout(() => {
      if (!this.#codes.has(pairId)) return;
      this.#codes.delete(pairId);
      this.#setCode(pairId, 'expired');
      this.#d.hub.notify('host/pairing/expired', { pairId, reason: 'expired' });
    }, Math.max(0, expMs - now));
    timer.unref?.();
    this.#codes.set(pairId, timer);
  }

  #setCode(pairId: string, state: LastPairingCode['state']): void {
    if (this.#lastCode?.pairId === pairId && this.#lastCode.code.state === 'open') this.#lastCode = { pairId, code: { ...this.#lastCode.code, state } };
  }

  #refused(reason: RefusedDevice['reason'], name?: string): void {
    this.#lastRefused = { reason, ...(name ? { name } : {}), at: this.#d.now?.() ?? Date.now() };
  }

  #forgetCode(pairId: string): void {
    const t = this.#codes.get(pairId);
    if (t) clearTimeout(t);
    this.#codes.delete(pairId);
  }
}
