/**
 * "Keep this computer awake": the setting and what keep-awake really does right now (held or
 * not, for which reason, or why it is not available here), from the host's `power` feature.
 */
import { useStore } from 'zustand';
import { Switch } from '../Switch';
import type { PowerView } from './powerStore';
import type { ThisComputerModel } from './thisComputerModel';

function describe(v: PowerView): string {
  if (!v.available) return `Not available here: ${v.unavailableReason ?? 'no way to keep this computer awake'}`;
  if (v.held) {
    const why = v.reasons.map((r) => (r === 'turn' ? (v.runningTurns === 1 ? 'a turn is running' : `${v.runningTurns} turns are running`) : 'remote access is on')).join(' and ');
    return `Holding this computer awake now: ${why} (${v.mechanism})`;
  }
  if (v.keepAwake && !v.remoteAccess) return 'Not holding: remote access is off';
  if (v.keepAwake && v.onBattery) return 'Not holding: on battery power';
  return 'Not holding the computer awake now';
}

export function KeepAwakeRow({ model }: { readonly model: ThisComputerModel }) {
  const { view, loadError, pending, changeError } = useStore(model.power);
  return (
    <div className="settings-row" data-testid="keep-awake-row">
      <div className="settings-row-text">
        <div className="settings-row-title">Keep this computer awake</div>
        <div className="settings-row-desc">Prevent sleep while remote access is on and the computer is plugged in. Always held while a turn runs.</div>
        {view ? (
          <div className={view.available ? 'row-status' : 'row-status is-warning'} data-testid="keep-awake-state">
            {describe(view)}
          </div>
        ) : null}
        {changeError || loadError ? (
          <div className="row-error" role="alert">
            {changeError ?? `Couldn't read the keep-awake state: ${loadError}`}
          </div>
        ) : null}
      </div>
      <Switch
        label="Keep this computer awake"
        checked={view?.keepAwake ?? false}
        busy={pending}
        disabled={!view || !view.available}
        onChange={(next) => void model.power.getState().set(next)}
      />
    </div>
  );
}
