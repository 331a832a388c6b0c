/**
 * One controlled host: name, status dot, the one subtitle the host chose (connections-ui.md's
 * order), the **Connect** toggle and the menu (Rename, Details, Disconnect, Remove). The toggle
 * shows what the host reports; while a change is on its way the row is busy, and the host's
 * answer replaces it (no optimistic flip is left standing).
 */
import type { RemoteInfo } from '../../../../../shared/protocol/features/remotesApi';
import { Icon } from '../../../../common/views/Icon';
import { RowActionError } from '../RowActionError';
import { RowSwitch } from '../RowSwitch';
import { HostRowMenu } from '../ssh/HostRowMenu';
import { dotClass, subtitleTitle } from './remoteLabels';
import type { RemoteAction } from './remotesStore';

export interface RemoteRowHandlers {
  readonly onToggle: (on: boolean) => void;
  readonly onRename: () => void;
  readonly onDetails: () => void;
  readonly onRemove: () => void;
  readonly onDismissError: () => void;
}

export function RemoteRow({
  remote,
  pending,
  actionError,
  handlers,
}: {
  readonly remote: RemoteInfo;
  readonly pending: RemoteAction | undefined;
  readonly actionError: string | undefined;
  readonly handlers: RemoteRowHandlers;
}) {
  const busy = pending !== undefined;
  const removed = remote.state === 'removed';
  const checked = pending === 'connect' ? true : pending === 'disconnect' ? false : remote.autoConnect;
  const subtitle = pending === 'remove' ? 'Removing…' : remote.label;
  return (
    <li className="ssh-row od-row" data-testid={`remote-${remote.id}`} data-state={remote.state} aria-label={remote.name}>
      <div className="ssh-row-top">
        <div className="ssh-row-icon" aria-hidden="true">
          <Icon name="computer" />
        </div>
        <div className="ssh-row-main">
          <div className="ssh-row-title">
            <span className={dotClass(remote.state)} role="img" aria-label={remote.label} />
            <span className="ssh-alias ellipsis" title={remote.name} data-testid="remote-name">
              {remote.name}
            </span>
          </div>
          <div className={`ssh-row-sub ellipsis od-subtitle is-${remote.state}`} title={subtitleTitle(remote)} data-testid="remote-subtitle">
            {subtitle}
          </div>
        </div>
        <div className="ssh-row-controls">
          <RowSwitch
            title={removed ? `${remote.name} removed this computer` : checked ? 'Connected automatically' : 'Not connected'}
            ariaLabel={`Connect ${remote.name}`}
            busy={busy}
            checked={checked && !removed}
            disabled={removed}
            onChange={handlers.onToggle}
          />
          <HostRowMenu
            label={`More for ${remote.name}`}
            items={[
              { label: 'Rename', onSelect: handlers.onRename, disabled: busy },
              { label: 'Details', onSelect: handlers.onDetails },
              { label: 'Disconnect', onSelect: () => handlers.onToggle(false), disabled: busy || !remote.autoConnect || removed, reason: 'It is not connected' },
              { label: 'Remove', onSelect: handlers.onRemove, disabled: busy, danger: true },
            ]}
          />
        </div>
      </div>
      {actionError ? (
        <RowActionError message={actionError} onDismiss={handlers.onDismissError} />
      ) : null}
    </li>
  );
}
