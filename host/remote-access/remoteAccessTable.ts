/**
 * The run-time part of the `remote` feature's handler table (shared/protocol/features/remoteAccessApi.ts):
 * remote access on/off, the relay choice and the troubleshooting checks. The pairing and
 * device handlers are remoteFeature.ts; remoteAccess.ts joins the two into the complete table.
 */
import type { HostFeatureTable } from '../hub/hostFeatures.js';
import type { DeviceRegistry } from '../devices/deviceRegistry.js';
import type { RemoteAccessControl } from './remoteAccessControl.js';
import type { RelayRuntime } from './relayRuntime.js';
import type { RemoteFeature } from './remoteFeature.js';
import { computeChecks, type KeepAwakeInput } from './troubleshooting.js';

export type RemoteAccessMethod = 'host/remoteAccess/get' | 'host/remoteAccess/set' | 'host/relay/set' | 'host/remoteAccess/checks';

export interface RemoteAccessTableDeps {
  readonly control: RemoteAccessControl;
  readonly feature: RemoteFeature;
  readonly runtime: RelayRuntime;
  readonly devices: DeviceRegistry;
  /** Live sessions per device id (the hub's clients of kind phone/host). */
  readonly sessionsOf: (deviceId: string) => number;
  /** Keep-awake's state, when this host has it. */
  readonly keepAwake?: () => KeepAwakeInput | undefined;
  readonly now?: () => number;
}

export function remoteAccessTable(d: RemoteAccessTableDeps): Pick<HostFeatureTable<'remote'>, RemoteAccessMethod> {
  return {
    'host/remoteAccess/get': () => d.control.view(),
    'host/remoteAccess/set': ({ enabled }) => d.control.setEnabled(enabled),
    'host/relay/set': ({ relay }) => d.control.setRelay(relay),
    'host/remoteAccess/checks': () => {
      const now = d.now?.() ?? Date.now();
      const all = d.devices.list();
      const active = all.filter((x) => x.revokedAt === null);
      const lastCode = d.feature.lastCode;
      const lastRefused = d.feature.lastRefused;
      const keepAwake = d.keepAwake?.();
      const checks = computeChecks({
        remoteAccess: d.control.view(),
        reconnects: d.runtime.reconnects,
        devices: active.map((x) => ({ name: x.name, connected: d.sessionsOf(x.deviceId) })),
        revokedDevices: new Set(all.filter((x) => x.revokedAt !== null && !active.some((a) => a.deviceId === x.deviceId)).map((x) => x.deviceId)).size,
        ...(lastCode ? { lastCode } : {}),
        ...(lastRefused ? { lastRefused } : {}),
        ...(keepAwake ? { keepAwake } : {}),
        now,
      });
      return { checks, checkedAt: new Date(now).toISOString() };
    },
  };
}
