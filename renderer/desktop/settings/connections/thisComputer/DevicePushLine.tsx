/**
 * A phone's **Notifications** switch on its device row (docs/notifications.md): the on/off
 * setting the host holds for that device, and in words what it means right now — whether the
 * phone has subscribed, and whether anything can be sent before the contact subject is set.
 * The switch shows the host's state (busy while a change is on its way, the refusal beside it
 * when it fails) and follows `host/push/changed`, so a phone turning itself off shows here.
 */
import { useStore } from 'zustand';
import { RowActionError } from '../RowActionError';
import { RowSwitch } from '../RowSwitch';
import type { PushDeviceStatus } from './pushStore';
import type { ThisComputerModel } from './thisComputerModel';

/** What the device's notifications do now, in one line. */
export function pushStateText(s: PushDeviceStatus, configured: boolean): string {
  if (!s.enabled) return s.subscribed ? 'Off · the phone is set up, but gets none' : 'Off';
  if (!s.subscribed) return 'On · not set up on the phone yet';
  if (!configured) return 'On · none sent until a contact is set below';
  const service = s.pushService ? hostOf(s.pushService) : undefined;
  return service ? `On · through ${service}` : 'On';
}

function hostOf(origin: string): string | undefined {
  try {
    return new URL(origin).hostname;
  } catch {
    return undefined;
  }
}

export function DevicePushLine({ model, deviceId, name }: { readonly model: ThisComputerModel; readonly deviceId: string; readonly name: string }) {
  const push = useStore(model.push);
  if (!push.view) return null;
  const status = push.device(deviceId);
  const busy = push.pending.has(deviceId);
  const error = push.deviceErrors[deviceId];
  return (
    <>
      <div className="device-push" data-testid="device-push">
        <RowSwitch
          label="Notifications"
          ariaLabel={`Notifications for ${name}`}
          title={status.enabled ? `Stop notifications to ${name}` : `Send notifications to ${name}`}
          checked={status.enabled}
          busy={busy}
          onChange={(on) => void model.push.getState().setEnabled(deviceId, on)}
        />
        <span className="device-push-state" data-testid="device-push-state" data-enabled={status.enabled} data-subscribed={status.subscribed}>
          {pushStateText(status, push.view.configured)}
        </span>
      </div>
      {error ? <RowActionError message={error} onDismiss={() => model.push.getState().dismissError(deviceId)} /> : null}
    </>
  );
}
