/**
 * Notifications (Web Push) as the host's `push` feature reports them to an admin
 * (`host/push/settings/get|set`, `host/push/subject/set`, `host/push/changed`;
 * docs/notifications.md): the required contact subject and each device's on/off setting and
 * whether its phone has subscribed. Nothing flips here before the host answers: a switch
 * shows the host's state, marked busy while a change is on its way, with the host's refusal
 * beside it when it fails.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { PushDeviceStatus, PushSettingsView } from '../../../../../shared/protocol/features/pushApi';
import { errorMessage } from '../../../../../shared/util/errors';
import { callHost, type HostSessionLike } from '../hostCalls';

export type { PushDeviceStatus, PushSettingsView };

export interface PushState {
  readonly view?: PushSettingsView;
  readonly loadError?: string;
  /** Devices whose on/off change the host has not answered yet. */
  readonly pending: ReadonlySet<string>;
  /** The host's refusal of the last on/off change, per device. */
  readonly deviceErrors: Readonly<Record<string, string>>;
  readonly subjectPending: boolean;
  load(): Promise<void>;
  /** The device's status as the host reports it; a device the host has no record of yet is on and not subscribed. */
  device(deviceId: string): PushDeviceStatus;
  setEnabled(deviceId: string, enabled: boolean): Promise<void>;
  dismissError(deviceId: string): void;
  /** Sets the contact subject; resolves with the host's refusal (one line), or undefined when it took it. */
  setSubject(subject: string): Promise<string | undefined>;
  /** A `host/push/changed` notification's (parsed) params. */
  changed(status: PushDeviceStatus): void;
}

export type PushStore = StoreApi<PushState>;

/** The host's message without the `host/push/…: push:` prefixes it puts before the reason. */
export function pushRefusal(err: unknown): string {
  return errorMessage(err).replace(/^host\/push\/[\w/]+: (push: )?/, '');
}

function withDevice(view: PushSettingsView, status: PushDeviceStatus): PushSettingsView {
  const rest = view.devices.filter((d) => d.deviceId !== status.deviceId);
  return { ...view, devices: [...rest, status] };
}

export function createPushStore(session: Pick<HostSessionLike, 'requestHost'>): PushStore {
  let loadSeq = 0;
  return createStore<PushState>()((set, get) => ({
    pending: new Set(),
    deviceErrors: {},
    subjectPending: false,
    async load() {
      const seq = ++loadSeq;
      try {
        const view = await callHost(session, 'host/push/settings/get', {});
        if (seq === loadSeq) set({ view, loadError: undefined });
      } catch (err) {
        if (seq === loadSeq) set({ loadError: errorMessage(err) });
      }
    },
    device(deviceId) {
      return get().view?.devices.find((d) => d.deviceId === deviceId) ?? { deviceId, enabled: true, subscribed: false };
    },
    async setEnabled(deviceId, enabled) {
      const { [deviceId]: _dropped, ...others } = get().deviceErrors;
      set({ pending: new Set([...get().pending, deviceId]), deviceErrors: others });
      try {
        const status = await callHost(session, 'host/push/settings/set', { deviceId, enabled });
        get().changed(status);
      } catch (err) {
        set({ deviceErrors: { ...get().deviceErrors, [deviceId]: `Couldn't turn notifications ${enabled ? 'on' : 'off'}: ${pushRefusal(err)}` } });
      } finally {
        const pending = new Set(get().pending);
        pending.delete(deviceId);
        set({ pending });
      }
    },
    dismissError(deviceId) {
      const { [deviceId]: _dropped, ...others } = get().deviceErrors;
      set({ deviceErrors: others });
    },
    async setSubject(subject) {
      set({ subjectPending: true });
      try {
        set({ view: await callHost(session, 'host/push/subject/set', { subject }) });
        return undefined;
      } catch (err) {
        return pushRefusal(err);
      } finally {
        set({ subjectPending: false });
      }
    },
    changed(status) {
      const view = get().view;
      // Before the first load there is nothing to merge into; the load brings it.
      if (view) set({ view: withDevice(view, status) });
    },
  }));
}
