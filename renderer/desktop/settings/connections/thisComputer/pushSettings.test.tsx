// @vitest-environment jsdom
/**
 * Notifications in "Control this computer": a phone's Notifications switch on its device row
 * and the required contact subject, against the fake host session (shapes of
 * shared/protocol/features/pushApi.ts; the host's messages as host/push/pushFeature.ts words them).
 */
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { RpcError, RpcErrorCode } from '../../../../../shared/rpc/rpcError';
import type { FakeHostSession } from '../fakeHostSession';
import { ToastProvider } from '../toasts';
import { DevicesList } from './DevicesList';
import type { PushDeviceStatus, PushSettingsView } from './pushStore';
import { PushSubjectRow } from './PushSubjectRow';
import { device, fakeHost } from './thisComputerFixtures';
import { ThisComputerModel } from './thisComputerModel';

afterEach(cleanup);

const PHONE = 'a'.repeat(32);
const DESK = 'b'.repeat(32);

/** A host with the push feature: `subject` (null = not set) and per-device records the test changes. */
function pushHost(o: { subject?: string | null; devices?: PushDeviceStatus[] } = {}): { host: FakeHostSession; state: { subject: string | null; devices: PushDeviceStatus[] } } {
  const state = { subject: o.subject === undefined ? 'mailto:ops@example.com' : o.subject, devices: o.devices ?? [] };
  const view = (): PushSettingsView => ({ configured: state.subject !== null, subject: state.subject, vapidPublicKey: 'BPk', devices: state.devices });
  const host = fakeHost([device(), device({ deviceId: DESK, name: 'Desk', kind: 'host', platform: 'linux' })])
    .on('host/push/settings/get', () => view())
    .on('host/push/settings/set', (p) => {
      const { deviceId, enabled } = p as { deviceId: string; enabled: boolean };
      const old = state.devices.find((d) => d.deviceId === deviceId) ?? { deviceId, enabled: true, subscribed: false };
      const next = { ...old, enabled };
      state.devices = [...state.devices.filter((d) => d.deviceId !== deviceId), next];
      return next;
    })
    .on('host/push/subject/set', (p) => {
      const { subject } = p as { subject: string };
      if (!subject.startsWith('mailto:') && !subject.startsWith('https:')) throw new RpcError(RpcErrorCode.InvalidParams, 'host/push/subject/set: push: the contact subject must be a mailto: address or an https: URL');
      state.subject = subject;
      return view();
    });
  return { host, state };
}

async function started(host: FakeHostSession): Promise<ThisComputerModel> {
  const model = new ThisComputerModel(host, ['core', 'remote', 'push']);
  model.start();
  await waitFor(() => expect(model.devices.getState().phase).toBe('ready'));
  await waitFor(() => expect(model.push.getState().view).toBeDefined());
  return model;
}

function renderDevices(model: ThisComputerModel) {
  render(
    <ToastProvider>
      <DevicesList model={model} />
    </ToastProvider>,
  );
}

const phoneRow = () => screen.getAllByTestId('device-row').find((r) => r.getAttribute('data-device-id') === PHONE)!;

describe('a phone’s Notifications switch', () => {
  it('shows the host’s state for phones only: on but not set up on the phone yet', async () => {
    const model = await started(pushHost().host);
    renderDevices(model);
    const sw = within(phoneRow()).getByRole('switch', { name: 'Notifications for Test Phone' }) as HTMLInputElement;
    expect(sw.checked).toBe(true);
    expect(within(phoneRow()).getByTestId('device-push-state').textContent).toBe('On · not set up on the phone yet');
    const desk = screen.getAllByTestId('device-row').find((r) => r.getAttribute('data-device-id') === DESK)!;
    expect(within(desk).queryByRole('switch')).toBeNull();
  });

  it('turns off through the host (busy until it answers) and follows host/push/changed live', async () => {
    const { host, state } = pushHost({ devices: [{ deviceId: PHONE, enabled: true, subscribed: true, pushService: 'https://fcm.googleapis.com' }] });
    const model = await started(host);
    renderDevices(model);
    const sw = () => within(phoneRow()).getByRole('switch', { name: 'Notifications for Test Phone' }) as HTMLInputElement;
    const text = () => within(phoneRow()).getByTestId('device-push-state').textContent;
    expect(text()).toBe('On · through fcm.googleapis.com');
    fireEvent.click(sw());
    // Nothing flips before the host answers: still on, and busy.
    expect(sw().checked).toBe(true);
    expect(sw().getAttribute('aria-busy')).toBe('true');
    await waitFor(() => expect(sw().checked).toBe(false));
    expect(host.callsOf('host/push/settings/set')).toEqual([{ deviceId: PHONE, enabled: false }]);
    expect(state.devices.find((d) => d.deviceId === PHONE)?.enabled).toBe(false);
    expect(text()).toBe('Off · the phone is set up, but gets none');

    // The phone turned itself back on, or its subscription was dropped after a 410: the row follows.
    act(() => host.notify('host/push/changed', { deviceId: PHONE, enabled: true, subscribed: false }));
    expect(sw().checked).toBe(true);
    expect(text()).toBe('On · not set up on the phone yet');
    // A malformed notification changes nothing.
    act(() => host.notify('host/push/changed', { deviceId: PHONE, enabled: 'no' }));
    expect(sw().checked).toBe(true);
  });

  it('keeps the host’s state and shows its refusal beside the switch, dismissable', async () => {
    const { host } = pushHost();
    host.on('host/push/settings/set', () => {
      throw new RpcError(RpcErrorCode.InternalError, 'host/push/settings/set: push.json could not be written');
    });
    const model = await started(host);
    renderDevices(model);
    fireEvent.click(within(phoneRow()).getByRole('switch', { name: 'Notifications for Test Phone' }));
    const alert = await within(phoneRow()).findByRole('alert');
    expect(alert.textContent).toBe("Couldn't turn notifications off: push.json could not be written");
    expect((within(phoneRow()).getByRole('switch') as HTMLInputElement).checked).toBe(true);
    fireEvent.click(within(alert).getByRole('button', { name: 'Dismiss' }));
    expect(within(phoneRow()).queryByRole('alert')).toBeNull();
  });

  it('says nothing is sent while the contact is missing, for a subscribed phone', async () => {
    const model = await started(pushHost({ subject: null, devices: [{ deviceId: PHONE, enabled: true, subscribed: true }] }).host);
    renderDevices(model);
    expect(within(phoneRow()).getByTestId('device-push-state').textContent).toBe('On · none sent until a contact is set below');
  });
});

describe('the contact for notifications', () => {
  function renderRow(model: ThisComputerModel) {
    render(
      <ToastProvider>
        <PushSubjectRow model={model} />
      </ToastProvider>,
    );
  }

  it('explains that nothing is sent until it is set; a bad value is refused with the host’s reason and kept', async () => {
    const { host, state } = pushHost({ subject: null });
    const model = await started(host);
    renderRow(model);
    expect(screen.getByTestId('push-subject-state').textContent).toBe(' Not set: no phone gets notifications until it is');
    const input = screen.getByRole('textbox', { name: 'Contact for notifications' }) as HTMLInputElement;
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(screen.getByRole('alert').textContent).toBe('Enter a mailto: address or an https: URL');
    expect(host.callsOf('host/push/subject/set')).toHaveLength(0);

    fireEvent.change(input, { target: { value: 'ops@example.com' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('the contact subject must be a mailto: address or an https: URL'));
    expect(input.value).toBe('ops@example.com');
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(state.subject).toBeNull();

    fireEvent.change(input, { target: { value: 'mailto:ops@example.com' } });
    expect(screen.queryByRole('alert')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByText('Contact for notifications saved');
    expect(screen.getByTestId('push-subject-state').textContent).toBe('Set to mailto:ops@example.com');
    expect(screen.queryByRole('textbox')).toBeNull();
    expect(host.callsOf('host/push/subject/set')).toEqual([{ subject: 'ops@example.com' }, { subject: 'mailto:ops@example.com' }]);
  });

  it('once set, shows it with Change; Cancel leaves it as it was', async () => {
    const { host } = pushHost({ subject: 'https://ops.example.com/contact' });
    const model = await started(host);
    renderRow(model);
    expect(screen.getByTestId('push-subject-state').textContent).toBe('Set to https://ops.example.com/contact');
    fireEvent.click(screen.getByRole('button', { name: 'Change' }));
    const input = screen.getByRole('textbox', { name: 'Contact for notifications' }) as HTMLInputElement;
    expect(input.value).toBe('https://ops.example.com/contact');
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('textbox')).toBeNull();
    expect(host.callsOf('host/push/subject/set')).toHaveLength(0);
  });
});
