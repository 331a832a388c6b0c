/** Details: alias, host, port, user, identity, remote Codex version (and where it comes from). */
import type { SshHostInfo } from '../../../../../shared/protocol/features/sshApi';
import { SshDialog } from './SshDialog';
import { sshStatus } from './sshLabels';

export function HostDetailsDialog({ host, onClose }: { readonly host: SshHostInfo; readonly onClose: () => void }) {
  const d = host.details;
  const rows: [string, string][] = [
    ['Alias', host.name],
    ['Host', d.hostName ?? 'resolved when it connects'],
    ['Port', d.port !== undefined ? String(d.port) : '—'],
    ['User', d.user ?? '—'],
    ['Identity', d.identityFiles.length ? d.identityFiles.join('\n') : 'your agent and default keys'],
    ['Remote Codex', d.remote ? `codex ${d.remote.codexVersion}` : 'known once connected'],
  ];
  if (d.remote) rows.push(['Login shell', `${d.remote.shell} (as ${d.remote.user})`]);
  if (d.via.length) rows.push(['Via (ProxyJump)', d.via.join(' → ')]);
  rows.push(['Source', host.source === 'manual' ? 'added by hand' : `${host.file ?? 'ssh config'}${host.line ? `, line ${host.line}` : ''}`]);
  rows.push(['Status', sshStatus(host).text + (host.disconnects ? ` · ${host.disconnects} disconnect${host.disconnects === 1 ? '' : 's'}` : '')]);
  if (host.environmentId) rows.push(['Environment', host.environmentId]);
  return (
    <SshDialog title={`Details — ${host.name}`} onClose={onClose} testId="ssh-details">
      <dl className="ssh-details">
        {rows.map(([k, v]) => (
          <div className="ssh-details-row" key={k}>
            <dt>{k}</dt>
            <dd data-field={k}>{v}</dd>
          </div>
        ))}
      </dl>
    </SshDialog>
  );
}
