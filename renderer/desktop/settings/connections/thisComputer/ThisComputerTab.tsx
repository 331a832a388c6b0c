/**
 * "Control this computer" (connections-ui.md): the setup state or the trusted devices, the
 * pairing dialog, Allow other devices to connect, Keep this computer awake (when the host has
 * the power feature), the contact for notifications (the push feature), the relay, Remote activity and Troubleshooting. Everything shown is what
 * the host reports, kept live by its notifications.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { useStore } from 'zustand';
import { useHostModel, useSelect } from '../../../../common/host/HostProvider';
import type { HostSession } from '../../../../common/host/hostSession';
import { Icon } from '../../../../common/views/Icon';
import { EmptyState, LoadingState } from '../../../../common/views/States';
import { AllowConnectRow } from './AllowConnectRow';
import { DevicesList } from './DevicesList';
import { KeepAwakeRow } from './KeepAwakeRow';
import { ListenerSection } from './ListenerSection';
import { PairingDialog } from './PairingDialog';
import { PushSubjectRow } from './PushSubjectRow';
import { RelayChoice } from './RelayChoice';
import { RemoteActivity } from './RemoteActivity';
import { ThisComputerModel } from './thisComputerModel';
import { Troubleshooting } from './Troubleshooting';

export function ThisComputerTab({ session }: { readonly session: HostSession }) {
  const features = useSelect(useHostModel().connection, (s) => s.hostInfo?.features);
  if (!features) return <LoadingState label="Asking the host…" />;
  if (!features.includes('remote'))
    return (
      <EmptyState icon="plug" title="Remote access is off on this host">
        This host was started with <code>--no-remote</code>: no device can pair with it or control it. Start it without that flag to set up Codex mobile.
      </EmptyState>
    );
  return <ThisComputer session={session} features={features} />;
}

function ThisComputer({ session, features }: { readonly session: HostSession; readonly features: readonly string[] }) {
  const key = features.join(',');
  const model = useMemo(() => new ThisComputerModel(session, key.split(',')), [session, key]);
  useEffect(() => {
    model.start();
    return () => model.dispose();
  }, [model]);
  const [pairing, setPairing] = useState(false);
  const relayRef = useRef<HTMLElement>(null);
  const { phase, devices } = useStore(model.devices);
  const setup = phase === 'ready' && devices.length === 0;
  const chooseRelay = () => {
    relayRef.current?.scrollIntoView({ behavior: 'smooth', block: 'start' });
    relayRef.current?.querySelector<HTMLInputElement>('input[type=radio]:not(:disabled)')?.focus();
  };

  return (
    <div className="this-computer">
      {setup ? (
        <div className="setup-card" data-testid="setup-state">
          <div className="setup-icon">
            <Icon name="phone" />
          </div>
          <div className="setup-text">
            <h3 className="setup-title">Control this computer from your phone or another device</h3>
            <p className="settings-row-desc">Start threads, follow their progress and answer approvals from anywhere your device can reach the relay.</p>
          </div>
          <button type="button" className="btn btn-primary" onClick={() => setPairing(true)}>
            <Icon name="qr" /> Set up Codex mobile
          </button>
        </div>
      ) : null}

      <section aria-labelledby="devices-title">
        <div className="section-head">
          <h3 className="settings-subtitle" id="devices-title">
            Devices that can control this computer
          </h3>
          {!setup && phase === 'ready' ? (
            <button type="button" className="btn btn-sm" onClick={() => setPairing(true)}>
              <Icon name="plus" /> Add device
            </button>
          ) : null}
        </div>
        <DevicesList model={model} />
      </section>

      <section aria-labelledby="remote-settings-title">
        <h3 className="settings-subtitle" id="remote-settings-title">
          Settings
        </h3>
        <div className="settings-group">
          <AllowConnectRow model={model} />
          {model.has('power') ? <KeepAwakeRow model={model} /> : null}
          {model.has('push') ? <PushSubjectRow model={model} /> : null}
        </div>
      </section>

      <section aria-labelledby="relay-title" ref={relayRef}>
        <h3 className="settings-subtitle" id="relay-title">
          Relay
        </h3>
        <div className="settings-group settings-pad">
          <RelayChoice model={model} />
        </div>
      </section>

      {model.has('listener') ? (
        <section aria-labelledby="listener-title">
          <h3 className="settings-subtitle" id="listener-title">
            Remote TUI
          </h3>
          <ListenerSection model={model} />
        </section>
      ) : null}

      {model.has('audit') ? (
        <section aria-labelledby="activity-title">
          <div className="section-head">
            <h3 className="settings-subtitle" id="activity-title">
              Remote activity
            </h3>
            <button type="button" className="btn btn-ghost btn-sm btn-icon" aria-label="Refresh remote activity" title="Refresh" onClick={() => void model.audit.getState().load()}>
              <Icon name="refresh" />
            </button>
          </div>
          <RemoteActivity model={model} />
        </section>
      ) : null}

      <section aria-labelledby="troubleshooting-title">
        <h3 className="settings-subtitle" id="troubleshooting-title">
          Troubleshooting
        </h3>
        <Troubleshooting model={model} actions={{ onPair: () => setPairing(true), onChooseRelay: chooseRelay }} />
      </section>

      <PairingDialog model={model} open={pairing} onClose={() => setPairing(false)} />
    </div>
  );
}
