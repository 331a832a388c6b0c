// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HostSession } from '../../../../common/host/hostSession';
import { RpcError, RpcErrorCode } from '../../../../../shared/rpc/rpcError';
import { ConnectionTabsView } from '../ConnectionsSection';
import type { ConnectionTab } from '../connectionTabs';
import { ToastProvider } from '../toasts';
import { AllowConnectRow } from './AllowConnectRow';
import { DevicesList } from './DevicesList';
import { PairingDialog } from './PairingDialog';
import { device, fakeHost } from './thisComputerFixtures';
import { ThisComputerModel } from './thisComputerModel';
import type { FakeHostSession } from '../fakeHostSession';

afterEach(cleanup);

beforeAll(() => {
  // jsdom has <dialog> without the modal part: enough of it for open/close.
  const proto = HTMLDialogElement.prototype as { showModal?: () => void; close?: () => void };
  proto.showModal ??= function (this: HTMLDialogElement) {
    this.setAttribute('open', '');
  };
  proto.close ??= function (this: HTMLDialogElement) {
    this.removeAttribute('open');
  };
});

async function started(host: FakeHostSession, features = ['core', 'remote', 'audit']): Promise<ThisComputerModel> {
  const model = new ThisComputerModel(host, features);
  model.start();
  await waitFor(() => expect(model.devices.getState().phase).not.toBe('loading'));
  await waitFor(() => expect(model.remoteAccess.getState().view).toBeDefined());
  return model;
}

describe('the device list', () => {
  it('shows each device with its kind, platform, connection and paired date', async () => {
    const model = await started(fakeHost([device({ connected: 1 }), device({ deviceId: 'b'.repeat(32), name: 'Desk', kind: 'host', platform: 'linux', lastSeen: new Date(Date.now() - 5 * 60_000).toISOString(), pairedAt: '2026-01-01T00:00:00.000Z' })]));
    render(
      <ToastProvider>
        <DevicesList model={model} />
      </ToastProvider>,
    );
    const rows = screen.getAllByTestId('device-row');
    expect(rows.map((r) => r.textContent)).toEqual([expect.stringMatching(/Test Phone.*iOS.*Connected now.*Paired Nov 30, 2026/), expect.stringMatching(/Desk.*Linux.*Last connected 5m ago.*Paired Jan 1, 2026/)]);
    expect(within(rows[0]!).getByRole('img', { name: 'Phone' })).toBeTruthy();
    expect(within(rows[1]!).getByRole('img', { name: 'Computer' })).toBeTruthy();
  });

  it('renames inline: Esc cancels, an empty name is refused, Enter saves with a toast', async () => {
    const host = fakeHost([device()]).on('host/devices/rename', (p) => ({ device: device({ name: (p as { name: string }).name }) }));
    const model = await started(host);
    render(
      <ToastProvider>
        <DevicesList model={model} />
      </ToastProvider>,
    );
    fireEvent.click(screen.getByRole('button', { name: 'Rename Test Phone' }));
    const input = screen.getByRole('textbox', { name: 'New name for Test Phone' });
    fireEvent.change(input, { target: { value: 'Nope' } });
    fireEvent.keyDown(input, { key: 'Escape' });
    expect(screen.queryByRole('textbox')).toBeNull();
    expect(host.callsOf('host/devices/rename')).toHaveLength(0);

    fireEvent.click(screen.getByRole('button', { name: 'Rename Test Phone' }));
    fireEvent.change(screen.getByRole('textbox'), { target: { value: '  ' } });
    fireEvent.keyDown(screen.getByRole('textbox'), { key: 'Enter' });
    expect(screen.getByRole('alert').textContent).toBe('A device needs a name');
    expect(host.callsOf('host/devices/rename')).toHaveLength(0);

    fireEvent.change(screen.getByRole('textbox'), { target: { value: ' Work phone ' } });
    fireEvent.keyDown(screen.getByRole('textbox'), { key: 'Enter' });
    await screen.findByText('Renamed to Work phone');
    expect(host.callsOf('host/devices/rename')).toEqual([{ deviceId: 'a'.repeat(32), name: 'Work phone' }]);
    expect(screen.getByTestId('device-row').textContent).toContain('Work phone');
  });

  it('revokes only after the confirmation, and says when the host refused', async () => {
    let refuse = true;
    const host = fakeHost([device()]).on('host/devices/revoke', () => {
      if (refuse) throw new RpcError(RpcErrorCode.InternalError, 'host/devices/revoke: devices.json could not be written');
      return { revoked: true, closedSessions: 1 };
    });
    const model = await started(host);
    render(
      <ToastProvider>
        <DevicesList model={model} />
      </ToastProvider>,
    );
    fireEvent.click(screen.getByRole('button', { name: 'Revoke access for Test Phone' }));
    const confirm = screen.getByRole('dialog', { name: 'Revoke access for Test Phone?' });
    fireEvent.click(within(confirm).getByRole('button', { name: 'Cancel' }));
    expect(host.callsOf('host/devices/revoke')).toHaveLength(0);

    fireEvent.click(screen.getByRole('button', { name: 'Revoke access for Test Phone' }));
    fireEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Revoke access' }));
    expect((await screen.findByRole('alert')).textContent).toContain("Couldn't revoke access for Test Phone: host/devices/revoke: devices.json could not be written");
    expect(screen.getAllByTestId('device-row')).toHaveLength(1);

    refuse = false;
    fireEvent.click(screen.getByRole('button', { name: 'Revoke access for Test Phone' }));
    fireEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Revoke access' }));
    await screen.findByText('Access revoked for Test Phone');
    expect(screen.getByTestId('devices-empty').textContent).toBe('No device can control this computer yet');
  });

  it('shows a load error with Retry', async () => {
    let fail = true;
    const host = fakeHost().on('host/devices/list', () => {
      if (fail) throw new RpcError(RpcErrorCode.InternalError, 'host/devices/list: devices.json is unreadable');
      return { devices: [device()] };
    });
    const model = await started(host);
    render(
      <ToastProvider>
        <DevicesList model={model} />
      </ToastProvider>,
    );
    expect(screen.getByRole('alert').textContent).toContain("Couldn't load devices");
    fail = false;
    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    await screen.findByTestId('device-row');
  });
});

describe('Allow other devices to connect', () => {
  it('shows the host’s state, stays put while the host answers, and shows a refusal beside the switch', async () => {
    let release: (() => void) | undefined;
    let refuse = false;
    const host = fakeHost().on('host/remoteAccess/set', () => {
      if (refuse) throw new RpcError(RpcErrorCode.InternalError, 'host/remoteAccess/set: remote-access.json could not be written');
      return new Promise((resolve) => (release = () => resolve({ ...model.remoteAccess.getState().view, enabled: false, state: 'stopped' })));
    });
    const model = await started(host);
    render(<AllowConnectRow model={model} />);
    const sw = screen.getByRole('switch', { name: 'Allow other devices to connect' });
    expect(sw.getAttribute('aria-checked')).toBe('true');
    expect(screen.getByTestId('remote-access-state').textContent).toContain('On · connected to the relay');
    fireEvent.click(sw);
    await waitFor(() => expect(sw.getAttribute('aria-busy')).toBe('true'));
    expect(sw.getAttribute('aria-checked')).toBe('true');
    await act(async () => release?.());
    await waitFor(() => expect(sw.getAttribute('aria-checked')).toBe('false'));
    expect(screen.getByTestId('remote-access-state').textContent).toContain('Off');

    refuse = true;
    fireEvent.click(sw);
    expect((await screen.findByRole('alert')).textContent).toBe('host/remoteAccess/set: remote-access.json could not be written');
    expect(sw.getAttribute('aria-checked')).toBe('false');
  });
});

describe('the pairing dialog', () => {
  it('shows a QR code with its time left, and turns into "You’re connected" when its code is claimed', async () => {
    const host = fakeHost();
    const model = await started(host);
    render(
      <ToastProvider>
        <PairingDialog model={model} open onClose={() => undefined} />
      </ToastProvider>,
    );
    const qr = await screen.findByRole('img', { name: 'Pairing QR code' });
    expect(qr.querySelector('path')?.getAttribute('d')?.length).toBeGreaterThan(100);
    expect(screen.getByTestId('pairing-time-left').textContent).toMatch(/^Expires in (9:5\d|10:00)$/);
    expect(screen.getByText("A phone can't reach this relay")).toBeTruthy();
    fireEvent.click(screen.getByRole('radio', { name: 'Computer' }));
    expect((screen.getByRole('textbox') as HTMLTextAreaElement).value).toBe('http://127.0.0.1:41234/pair#p=abc');
    act(() => host.notify('host/pairing/claimed', { pairId: 'f'.repeat(16), device: device({ name: 'Someone else' }) }));
    expect(screen.queryByText("You're connected")).toBeNull();
    act(() => host.notify('host/pairing/claimed', { pairId: '0123456789abcdef', device: device({ name: 'My phone' }) }));
    expect(screen.getByRole('dialog', { name: "You're connected" }).textContent).toContain('My phone');
  });

  it('says why no code is available and offers to turn remote access on', async () => {
    const host = fakeHost().on('host/pairing/start', () => {
      throw new RpcError(RpcErrorCode.InvalidRequest, 'host/pairing/start: remote access is off');
    });
    const model = await started(host);
    await act(() => model.remoteAccess.getState().setEnabled(false));
    render(
      <ToastProvider>
        <PairingDialog model={model} open onClose={() => undefined} />
      </ToastProvider>,
    );
    expect((await screen.findByRole('alert')).textContent).toContain('Code unavailable: remote access is off');
    expect(screen.getByRole('button', { name: 'Allow other devices to connect' })).toBeTruthy();
  });

  it('shows the keep-awake setting once connected when the host has the power feature', async () => {
    const host = fakeHost().on('host/power/get', () => ({ keepAwake: false, held: false, reasons: [], runningTurns: 0, remoteAccess: true, available: true, mechanism: 'systemd-inhibit' }));
    const model = await started(host, ['core', 'remote', 'power']);
    render(
      <ToastProvider>
        <PairingDialog model={model} open onClose={() => undefined} />
      </ToastProvider>,
    );
    await screen.findByRole('img', { name: 'Pairing QR code' });
    act(() => host.notify('host/pairing/claimed', { pairId: '0123456789abcdef', device: device() }));
    await waitFor(() => expect(screen.getByRole('switch', { name: 'Keep this computer awake' }).getAttribute('aria-checked')).toBe('false'));
  });
});

describe('the Connections tab shell', () => {
  const session = new HostSession({ connect: () => new Promise(() => undefined), clientInfo: { name: 'test', title: 'Test', version: '0' } });
  const tabs: ConnectionTab[] = [
    { id: 'a', label: 'Control this computer', render: () => <p>first tab</p> },
    { id: 'b', label: 'Control other devices', feature: 'remotes', render: () => <p>second tab</p> },
    { id: 'c', label: 'SSH', feature: 'ssh', render: () => <p>third tab</p> },
  ];

  it('shows no selector for one tab, and only the tabs whose feature the host has', () => {
    render(<ConnectionTabsView tabs={tabs} features={['core', 'remote']} session={session} />);
    expect(screen.queryByRole('tablist')).toBeNull();
    expect(screen.getByText('first tab')).toBeTruthy();
  });

  it('switches tabs by click and arrow keys', () => {
    render(<ConnectionTabsView tabs={tabs} features={['remote', 'remotes', 'ssh']} session={session} />);
    expect(screen.getAllByRole('tab').map((t) => t.textContent)).toEqual(['Control this computer', 'Control other devices', 'SSH']);
    fireEvent.click(screen.getByRole('tab', { name: 'SSH' }));
    expect(screen.getByRole('tabpanel').textContent).toBe('third tab');
    fireEvent.keyDown(screen.getByRole('tablist'), { key: 'ArrowRight' });
    expect(screen.getByRole('tabpanel').textContent).toBe('first tab');
    expect(screen.getByRole('tab', { name: 'Control this computer' }).getAttribute('aria-selected')).toBe('true');
  });
});
