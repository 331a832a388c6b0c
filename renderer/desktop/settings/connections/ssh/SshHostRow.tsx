/**
 * One SSH host: alias, the status badge (`Connecting…` with its phase, `Connected`,
 * `Disconnected`, `Error`), where it points, its remote projects, its last error with the fix,
 * the **Connect** toggle and the menu. The toggle shows what the host reports; while a change
 * is on its way it shows the change as pending (busy), and the host's answer replaces it.
 */
import type { RemoteProject, SshHostInfo } from '../../../../../shared/protocol/features/sshApi';
import { Icon } from '../../../../common/views/Icon';
import { RowActionError } from '../RowActionError';
import { RowSwitch } from '../RowSwitch';
import { HostErrorNotice } from './HostErrorNotice';
import { HostRowMenu } from './HostRowMenu';
import { sshStatus, TONE_CLASS } from './sshLabels';
import type { SshHostAction } from './sshHostsStore';

export interface HostRowHandlers {
  readonly onToggle: (enabled: boolean) => void;
  readonly onTrust: (fingerprint: string) => void;
  readonly onDetails: () => void;
  readonly onRestart: () => void;
  readonly onAddProject: () => void;
  readonly onEdit: () => void;
  readonly onRemove: () => void;
  readonly onDismissError: () => void;
}

/** `user@host:port` as far as it is known. */
export function targetOf(host: SshHostInfo): string {
  const d = host.details;
  if (!d.hostName) return host.source === 'config' ? `from ${host.file?.split('/').pop() ?? 'your ssh config'}${host.line ? `, line ${host.line}` : ''}` : '';
  return `${d.user ? `${d.user}@` : ''}${d.hostName}${d.port && d.port !== 22 ? `:${d.port}` : ''}`;
}

export function SshHostRow({
  host,
  pending,
  actionError,
  projects,
  handlers,
}: {
  readonly host: SshHostInfo;
  readonly pending: SshHostAction | undefined;
  readonly actionError: string | undefined;
  readonly projects: readonly RemoteProject[];
  readonly handlers: HostRowHandlers;
}) {
  const status = sshStatus(host);
  const checked = pending === 'enable' ? true : pending === 'disable' ? false : host.enabled;
  const busy = pending !== undefined;
  const connected = host.state === 'connected';
  const target = targetOf(host);
  const version = host.details.remote?.codexVersion;
  return (
    <li className="ssh-row" data-testid={`ssh-host-${host.name}`} aria-label={host.name}>
      <div className="ssh-row-top">
        <div className="ssh-row-icon" aria-hidden="true">
          <Icon name="server" />
        </div>
        <div className="ssh-row-main">
          <div className="ssh-row-title">
            <span className="ssh-alias ellipsis" title={host.name}>
              {host.name}
            </span>
            <span className={TONE_CLASS[status.tone]} data-testid="ssh-status">
              {status.tone === 'warning' && host.state === 'connecting' ? <span className="ssh-badge-spinner" aria-hidden="true" /> : null}
              {status.text}
            </span>
          </div>
          <div className="ssh-row-sub ellipsis" title={target}>
            {target}
            {connected && version ? ` · codex ${version}` : ''}
          </div>
        </div>
        <div className="ssh-row-controls">
          <RowSwitch
            title={checked ? 'Disconnect' : 'Connect'}
            ariaLabel={`Connect ${host.name}`}
            busy={busy}
            checked={checked}
            onChange={handlers.onToggle}
          />
          <HostRowMenu
            label={`More for ${host.name}`}
            items={[
              { label: 'Details', onSelect: handlers.onDetails },
              { label: 'Restart connection', onSelect: handlers.onRestart, disabled: !host.enabled || busy, reason: 'Connect it first' },
              { label: 'Add remote project', onSelect: handlers.onAddProject, disabled: !connected, reason: 'Connect it first' },
              ...(host.source === 'manual' ? [{ label: 'Edit', onSelect: handlers.onEdit, disabled: busy }] : []),
              { label: 'Remove', onSelect: handlers.onRemove, disabled: busy, danger: true },
            ]}
          />
        </div>
      </div>
      {host.lastError && host.state !== 'connected' ? (
        <HostErrorNotice error={host.lastError} trusting={pending === 'trust'} onTrust={handlers.onTrust} />
      ) : null}
      {actionError ? (
        <RowActionError message={actionError} onDismiss={handlers.onDismissError} />
      ) : null}
      {projects.length ? (
        <ul className="ssh-projects" aria-label={`Projects on ${host.name}`}>
          {projects.map((p) => (
            <li key={p.path} className="ssh-project" title={p.path}>
              <Icon name="folder" />
              <span className="ellipsis">{p.path}</span>
            </li>
          ))}
        </ul>
      ) : null}
    </li>
  );
}
