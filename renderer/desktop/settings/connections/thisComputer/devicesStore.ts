/**
 * "Devices that can control this computer": the trusted devices as the host lists them, kept
 * live by `host/devices/changed` (paired, renamed, connected, disconnected, revoked). A
 * revoked device leaves the list at once. Rename and revoke answer with what the host did;
 * nothing is changed here before the host says so.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { TrustedDevice } from '../../../../../shared/protocol/hostSchemas';
import { errorMessage } from '../../../../../shared/util/errors';
import { callHost, type HostSessionLike } from '../hostCalls';

export interface DevicesState {
  readonly phase: 'loading' | 'ready' | 'error';
  /** Trusted (not revoked) devices, most recently paired first. */
  readonly devices: readonly TrustedDevice[];
  readonly error?: string;
  /** A problem the host reports with its device list (e.g. a file moved aside). */
  readonly problem?: string;
  load(): Promise<void>;
  applyChange(change: string, device: TrustedDevice): void;
  /** Renames on the host; resolves with the host's error text, or undefined when it worked. */
  rename(deviceId: string, name: string): Promise<string | undefined>;
  revoke(deviceId: string): Promise<string | undefined>;
}

export type DevicesStore = StoreApi<DevicesState>;

function sorted(devices: readonly TrustedDevice[]): TrustedDevice[] {
  return devices.filter((d) => d.revokedAt === null).sort((a, b) => Date.parse(b.pairedAt) - Date.parse(a.pairedAt));
}

export function createDevicesStore(session: Pick<HostSessionLike, 'requestHost'>): DevicesStore {
  let loadSeq = 0;
  return createStore<DevicesState>()((set, get) => ({
    phase: 'loading',
    devices: [],
    async load() {
      const seq = ++loadSeq;
      if (get().phase === 'error') set({ phase: 'loading', error: undefined });
      try {
        const r = await callHost(session, 'host/devices/list');
        if (seq !== loadSeq) return;
        set({ phase: 'ready', devices: sorted(r.devices), problem: r.problem, error: undefined });
      } catch (err) {
        if (seq !== loadSeq) return;
        set({ phase: 'error', error: errorMessage(err) });
      }
    },
    applyChange(change, device) {
      const rest = get().devices.filter((d) => d.deviceId !== device.deviceId);
      if (change === 'revoked' || device.revokedAt !== null) set({ devices: rest });
      else set({ devices: sorted([...rest, device]) });
    },
    async rename(deviceId, name) {
      try {
        const r = await callHost(session, 'host/devices/rename', { deviceId, name });
        get().applyChange('renamed', r.device);
        return undefined;
      } catch (err) {
        return errorMessage(err);
      }
    },
    async revoke(deviceId) {
      try {
        await callHost(session, 'host/devices/revoke', { deviceId });
        set({ devices: get().devices.filter((d) => d.deviceId !== deviceId) });
        return undefined;
      } catch (err) {
        return errorMessage(err);
      }
    },
  }));
}
