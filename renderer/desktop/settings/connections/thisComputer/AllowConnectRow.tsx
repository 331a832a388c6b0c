/**
 * "Allow other devices to connect": remote access on or off, as the host reports it, with the
 * relay registration and its last error beside the switch. Off ends every relay session.
 */
import { useStore } from 'zustand';
import type { RemoteAccessView } from '../../../../../shared/protocol/features/remoteAccessApi';
import { Switch } from '../Switch';
import type { ThisComputerModel } from './thisComputerModel';

export function remoteStateLabel(v: RemoteAccessView): string {
  if (!v.enabled) return 'Off: no device can reach this computer';
  const sessions = v.sessions === 1 ? ' · 1 device connected' : v.sessions > 1 ? ` · ${v.sessions} devices connected` : '';
  switch (v.state) {
    case 'registered':
      return `On · connected to the relay${sessions}`;
    case 'connecting':
      return 'On · connecting to the relay…';
    case 'disconnected':
      return 'On · the relay is unreachable, retrying';
    case 'stopped':
      return 'On · the relay could not start';
  }
}

export function AllowConnectRow({ model }: { readonly model: ThisComputerModel }) {
  const { view, loadError, pending, changeError } = useStore(model.remoteAccess);
  const error = changeError?.what === 'enabled' ? changeError.message : undefined;
  const tone = view && view.enabled && view.state !== 'registered' ? (view.state === 'connecting' ? 'dot-running' : 'dot-error') : view?.enabled ? 'dot-online' : 'dot-idle';
  return (
    <div className="settings-row" data-testid="allow-connect-row">
      <div className="settings-row-text">
        <div className="settings-row-title">Allow other devices to connect</div>
        <div className="settings-row-desc">Paired devices reach this computer through the relay. Turning this off ends every relay session at once.</div>
        {view ? (
          <div className="row-status" data-testid="remote-access-state">
            <span className={`dot ${tone}`} /> {remoteStateLabel(view)}
          </div>
        ) : null}
        {view?.lastError ? <div className="row-error">Last error: {view.lastError}</div> : null}
        {error || loadError ? (
          <div className="row-error" role="alert">
            {error ?? `Couldn't read remote access: ${loadError}`}
          </div>
        ) : null}
      </div>
      <Switch
        label="Allow other devices to connect"
        checked={view?.enabled ?? false}
        busy={pending === 'enabled'}
        disabled={!view}
        onChange={(next) => void model.remoteAccess.getState().setEnabled(next)}
      />
    </div>
  );
}
