/**
 * Settings: per host (details, notifications, remove from this phone) and for the phone (theme,
 * how its device key is kept, how sessions are encrypted). The notifications switch shows what
 * the host reports, never an optimistic flip (connections-ui.md), with the reason beside it
 * when notifications are not possible.
 */
import { useCallback, useEffect, useState } from 'react';
import { useStore } from 'zustand';
import type { PushSettingsView } from '../../../shared/protocol/features/pushApi';
import { errorMessage } from '../../../shared/util/errors';
import { Spinner } from '../../common/views/States';
import { fingerprintOf } from '../phone/pairingPreview';
import type { HostRuntime } from '../phone/hostRuntime';
import { themeStore } from '../phone/theme';
import { disablePush, enablePush, fetchPushSettings, forgetPush, pushUnsupportedReason } from '../platform/webPush';
import { goBack, navigate, usePhoneEnv, useRuntimeState, type ThemeChoice } from '../phoneContext';
import { AppBar, IconButton, useHostConnection } from './parts';

function NotificationsRow({ runtime }: { readonly runtime: HostRuntime }) {
  const env = usePhoneEnv();
  const model = useRuntimeState(runtime, (s) => s.model);
  const c = useHostConnection(runtime);
  const [view, setView] = useState<PushSettingsView | undefined>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const unsupported = pushUnsupportedReason();
  const online = c.state === 'online';

  const refresh = useCallback(async () => {
    try {
      setView(await fetchPushSettings(model.session));
      setError(undefined);
    } catch (err) {
      setError(`The host’s notification settings could not be read: ${errorMessage(err)}`);
    }
  }, [model]);
  useEffect(() => {
    if (online) void refresh();
  }, [online, refresh]);

  const mine = view?.devices[0];
  const on = !!mine && mine.enabled && mine.subscribed;
  const toggle = async () => {
    setBusy(true);
    setError(undefined);
    try {
      if (on) await disablePush(runtime.hostId, model.session);
      else await enablePush(runtime.hostId, model.session);
      await env.hosts.setNotifications(runtime.hostId, !on);
      await refresh();
    } catch (err) {
      setError(errorMessage(err));
      await refresh();
    } finally {
      setBusy(false);
    }
  };

  let note: string | undefined;
  if (unsupported) note = unsupported;
  else if (!online) note = `Connect to ${runtime.trusted.name} to change this.`;
  else if (view && !view.configured) note = `${runtime.trusted.name} cannot send notifications yet: it needs a contact address (codex-host serve --push-subject mailto:you@example.com).`;
  else note = 'When Codex needs an approval or finishes a turn. Notifications say only the computer and what happened, never your prompts or commands.';

  return (
    <div className="setting" data-testid="notifications-setting">
      <div className="setting-main">
        <div className="setting-title">Notifications</div>
        <div className="setting-note">{note}</div>
        {error ? (
          <div className="setting-error" role="alert">
            {error}
          </div>
        ) : null}
      </div>
      {busy ? <Spinner label="Working" /> : null}
      <button
        type="button"
        role="switch"
        aria-checked={on}
        aria-label="Notifications"
        className="switch tap"
        disabled={busy || !!unsupported || !online || !view || !view.configured}
        onClick={() => void toggle()}
        data-testid="notifications-switch"
      />
    </div>
  );
}

export function HostSettingsScreen({ runtime }: { readonly runtime: HostRuntime }) {
  const env = usePhoneEnv();
  const record = useStore(env.hosts.state, (s) => s.hosts.find((h) => h.trusted.hostId === runtime.hostId));
  const model = useRuntimeState(runtime, (s) => s.model);
  const info = useStore(model.connection, (s) => s.hostInfo);
  const [confirm, setConfirm] = useState(false);
  const remove = async () => {
    await forgetPush(runtime.hostId).catch(() => undefined);
    await env.hosts.remove(runtime.hostId);
    navigate({ kind: 'home' }, true);
  };
  return (
    <div className="screen" data-testid="host-settings-screen">
      <AppBar title={runtime.trusted.name} subtitle="About this computer" start={<IconButton icon="back" label="Back" onClick={() => goBack({ kind: 'host', hostId: runtime.hostId })} />} />
      <div className="screen-scroll">
        <section className="settings-group">
          <NotificationsRow runtime={runtime} />
        </section>
        <section className="settings-group">
          <dl className="facts">
            <div>
              <dt>Key fingerprint</dt>
              <dd className="mono">{fingerprintOf(runtime.hostId)}</dd>
            </div>
            <div>
              <dt>Relay</dt>
              <dd className="ellipsis">{runtime.trusted.relay}</dd>
            </div>
            {info ? (
              <div>
                <dt>Codex Host</dt>
                <dd>{info.version}</dd>
              </div>
            ) : null}
            {record ? (
              <div>
                <dt>Paired</dt>
                <dd>{new Date(record.pairedAt).toLocaleString()}</dd>
              </div>
            ) : null}
          </dl>
        </section>
        <section className="settings-group">
          {confirm ? (
            <div className="confirm" role="alertdialog" aria-label={`Remove ${runtime.trusted.name}?`}>
              <p>
                Remove {runtime.trusted.name} from this phone? Queued messages are dropped. The computer keeps this phone in its list until you revoke it there.
              </p>
              <div className="pair-actions">
                <button type="button" className="btn btn-danger btn-lg" onClick={() => void remove()}>
                  Remove
                </button>
                <button type="button" className="btn btn-lg" onClick={() => setConfirm(false)}>
                  Cancel
                </button>
              </div>
            </div>
          ) : (
            <button type="button" className="btn btn-lg btn-block btn-danger-text" onClick={() => setConfirm(true)}>
              Remove from this phone
            </button>
          )}
        </section>
      </div>
    </div>
  );
}

const THEMES: readonly { id: ThemeChoice; label: string }[] = [
  { id: 'system', label: 'System' },
  { id: 'light', label: 'Light' },
  { id: 'dark', label: 'Dark' },
];

export function PhoneSettingsScreen() {
  const env = usePhoneEnv();
  const theme = useStore(themeStore, (s) => s.theme);
  return (
    <div className="screen" data-testid="settings-screen">
      <AppBar title="Settings" start={<IconButton icon="back" label="Back" onClick={() => goBack({ kind: 'home' })} />} />
      <div className="screen-scroll">
        <section className="settings-group">
          <div className="setting">
            <div className="setting-main">
              <div className="setting-title">Appearance</div>
            </div>
            <div className="segmented" role="radiogroup" aria-label="Theme">
              {THEMES.map((t) => (
                <button key={t.id} type="button" role="radio" aria-checked={theme === t.id} className="segment tap" onClick={() => themeStore.getState().set(t.id)}>
                  {t.label}
                </button>
              ))}
            </div>
          </div>
        </section>
        <section className="settings-group">
          <dl className="facts">
            <div>
              <dt>This phone</dt>
              <dd>{env.deviceName}</dd>
            </div>
            <div>
              <dt>Device key</dt>
              <dd data-testid="device-key-kind" data-kind={env.deviceKeyKind}>
                {env.deviceKeyKind === 'webcrypto'
                  ? 'Sealed in this browser: a non-extractable key that no page script can read out.'
                  : 'Kept in this browser’s storage for this site. This browser cannot seal keys (it lacks Ed25519 in WebCrypto, or the page is not on https), so anyone with access to this browser profile could copy it.'}
              </dd>
            </div>
            <div>
              <dt>Encryption</dt>
              <dd>
                {env.crypto.aeadKind === 'webcrypto'
                  ? 'End to end, AES-256-GCM in the browser’s WebCrypto.'
                  : 'End to end, AES-256-GCM in JavaScript: this page is not a secure context (plain http), so WebCrypto is not available. Notifications need https.'}
              </dd>
            </div>
          </dl>
        </section>
        <p className="fine-print">The relay that serves this app forwards encrypted sessions only; it never sees your threads, and the pairing secret never leaves this phone.</p>
      </div>
    </div>
  );
}
