/** Details: host name, last seen, OS / arch, Codex version, key fingerprint (connections-ui.md), and what helps when it fails. */
import type { RemoteInfo } from '../../../../../shared/protocol/features/remotesApi';
import { SshDialog } from '../ssh/SshDialog';
import { lastSeenText, osArch } from './remoteLabels';

export function RemoteDetailsDialog({ remote, onClose }: { readonly remote: RemoteInfo; readonly onClose: () => void }) {
  const d = remote.details;
  const rows: [string, string][] = [
    ['Host name', d.hostName],
    ['Last seen', lastSeenText(remote.lastSeen)],
    ['OS / arch', osArch(d)],
    ['Codex version', d.codexVersion ?? 'known once connected'],
    ['Key fingerprint', d.fingerprint],
    ['Status', remote.label],
  ];
  if (d.hostVersion) rows.splice(4, 0, ['Codex Host', d.hostVersion]);
  if (remote.state === 'updateRequired' && remote.versions) rows.push(['Needs', `Codex ${remote.versions.required} or newer (it runs ${remote.versions.remote ?? 'an unknown version'})`]);
  rows.push(['Relay', d.relay], ['Added', new Date(remote.addedAt).toLocaleString()]);
  return (
    <SshDialog title={`Details — ${remote.name}`} onClose={onClose} testId="remote-details">
      <dl className="ssh-details od-details">
        {rows.map(([k, v]) => (
          <div className="ssh-details-row" key={k}>
            <dt>{k}</dt>
            <dd data-field={k} className={k === 'Key fingerprint' || k === 'Relay' ? 'od-mono' : undefined}>
              {v}
            </dd>
          </div>
        ))}
      </dl>
    </SshDialog>
  );
}
