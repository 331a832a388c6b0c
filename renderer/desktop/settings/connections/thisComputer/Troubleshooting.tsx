/**
 * Troubleshooting (connections-ui.md): the host's live checks for the four cases of the docs,
 * each with what the host sees and the fix, and a button that does the fix where one exists.
 * The checks run again whenever remote access, a device or keep-awake changes.
 */
import { useStore } from 'zustand';
import type { CheckAction, CheckGroup, CheckStatus, TroubleshootingCheck } from '../../../../../shared/protocol/features/remoteAccessApi';
import { Icon, type IconName } from '../../../../common/views/Icon';
import { LoadingState } from '../../../../common/views/States';
import { relativeTime } from '../../../../common/util/format';
import type { ThisComputerModel } from './thisComputerModel';

const GROUPS: Record<CheckGroup, string> = {
  'not-visible': 'This computer does not show up on the phone',
  'no-approvals': 'Approvals do not appear',
  disconnects: 'The connection drops',
  authentication: 'Pairing or connecting is refused',
};

const STATUS: Record<CheckStatus, { icon: IconName; label: string }> = {
  ok: { icon: 'check', label: 'OK' },
  warning: { icon: 'alert', label: 'Warning' },
  problem: { icon: 'x', label: 'Problem' },
  unknown: { icon: 'help', label: 'Unknown' },
};

const ACTIONS: Record<CheckAction, string> = {
  'turn-on-remote-access': 'Allow other devices to connect',
  'relay-this-network': 'Choose a relay',
  'relay-url': 'Choose a relay',
  'pair-device': 'Set up Codex mobile',
  'turn-on-keep-awake': 'Keep this computer awake',
};

export interface CheckActions {
  readonly onPair: () => void;
  readonly onChooseRelay: () => void;
}

export function Troubleshooting({ model, actions }: { readonly model: ThisComputerModel; readonly actions: CheckActions }) {
  const { checks, checkedAt, error, running } = useStore(model.checks);
  const act = (a: CheckAction) => {
    if (a === 'turn-on-remote-access') void model.remoteAccess.getState().setEnabled(true);
    else if (a === 'turn-on-keep-awake') void model.power.getState().set(true);
    else if (a === 'pair-device') actions.onPair();
    else actions.onChooseRelay();
  };
  if (!checks && !error) return <LoadingState label="Checking…" />;
  const groups = Object.keys(GROUPS) as CheckGroup[];
  return (
    <div className="checks" data-testid="troubleshooting">
      <div className="checks-bar">
        <span className="settings-row-desc">{checkedAt ? `Checked ${relativeTime(Date.parse(checkedAt) / 1000)}` : ''}</span>
        <button type="button" className="btn btn-sm" disabled={running} onClick={() => void model.checks.getState().run()}>
          <Icon name="refresh" /> {running ? 'Checking…' : 'Check again'}
        </button>
      </div>
      {error ? (
        <div className="row-error" role="alert">
          Couldn't run the checks: {error}
        </div>
      ) : null}
      {groups.map((g) => {
        const list = (checks ?? []).filter((c) => c.group === g);
        if (!list.length) return null;
        return (
          <div key={g} className="check-group">
            <h4 className="check-group-title">{GROUPS[g]}</h4>
            <ul className="settings-group">
              {list.map((c) => (
                <CheckRow key={c.id} check={c} onAct={act} />
              ))}
            </ul>
          </div>
        );
      })}
    </div>
  );
}

function CheckRow({ check, onAct }: { readonly check: TroubleshootingCheck; readonly onAct: (a: CheckAction) => void }) {
  const s = STATUS[check.status];
  return (
    <li className={`settings-row check-row check-${check.status}`} data-testid="check-row" data-check-id={check.id} data-status={check.status}>
      <span className="check-icon">
        <Icon name={s.icon} label={s.label} />
      </span>
      <div className="check-main">
        <div className="settings-row-title">{check.title}</div>
        <div className="settings-row-desc">{check.detail}</div>
        {check.status !== 'ok' && check.fix ? <div className="check-fix">{check.fix}</div> : null}
      </div>
      {check.status !== 'ok' && check.action ? (
        <button type="button" className="btn btn-sm" onClick={() => onAct(check.action!)}>
          {ACTIONS[check.action]}
        </button>
      ) : null}
    </li>
  );
}
