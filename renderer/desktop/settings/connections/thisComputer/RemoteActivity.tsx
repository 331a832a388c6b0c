/**
 * Remote activity (connections-ui.md "Beyond the Codex App"): the audit log read back, newest
 * first: who answered which approval, from which device, on which thread, with what result.
 * It reloads when an approval is answered anywhere; older entries page in on demand.
 */
import { useStore } from 'zustand';
import type { AuditEntryView } from '../../../../../shared/protocol/features/auditApi';
import { Icon, type IconName } from '../../../../common/views/Icon';
import { LoadingState } from '../../../../common/views/States';
import { relativeTime } from '../../../../common/util/format';
import type { ThisComputerModel } from './thisComputerModel';

const KIND_ICON: Record<string, IconName> = { phone: 'phone', host: 'computer', desktop: 'monitor', cli: 'terminal', tui: 'terminal' };

/** "Command", "File change", … from `item/commandExecution/requestApproval`. */
export function requestLabel(request: string): string {
  if (request.includes('commandExecution') || request === 'execCommandApproval') return 'Command';
  if (request.includes('fileChange') || request === 'applyPatchApproval') return 'File change';
  if (request.includes('permissions')) return 'Permissions';
  if (request.includes('requestUserInput')) return 'Question';
  return request.split('/').slice(-2, -1)[0] ?? request;
}

function decisionTone(decision: string): string {
  return /^(accept|approved|allow)/i.test(decision) ? 'badge-success' : /^(decline|denied|cancel|abort)/i.test(decision) ? 'badge-danger' : 'badge';
}

export function RemoteActivity({ model }: { readonly model: ThisComputerModel }) {
  const { phase, entries, nextCursor, unreadable, error, loadingOlder } = useStore(model.audit);
  if (phase === 'loading') return <LoadingState label="Reading the activity log…" />;
  if (phase === 'error' && entries.length === 0)
    return (
      <div className="inline-state inline-error" role="alert">
        <Icon name="alert" />
        <div className="inline-state-text">
          <div className="settings-row-title">Couldn't read the activity log</div>
          <div className="settings-row-desc">{error}</div>
        </div>
        <button type="button" className="btn" onClick={() => void model.audit.getState().load()}>
          <Icon name="refresh" /> Retry
        </button>
      </div>
    );
  return (
    <>
      {entries.length === 0 ? (
        <div className="inline-state" data-testid="activity-empty">
          <Icon name="shield" />
          <div className="settings-row-desc">No remote activity yet. Approvals answered here or on a paired device are listed here.</div>
        </div>
      ) : (
        <ul className="settings-group activity-list" aria-label="Remote activity">
          {entries.map((e, i) => (
            <ActivityRow key={`${e.time}-${i}`} entry={e} />
          ))}
        </ul>
      )}
      {unreadable > 0 ? <div className="settings-row-desc">{unreadable === 1 ? '1 line of the log could not be read.' : `${unreadable} lines of the log could not be read.`}</div> : null}
      {phase === 'error' && entries.length > 0 ? (
        <div className="row-error" role="alert">
          {error}
        </div>
      ) : null}
      {nextCursor ? (
        <button type="button" className="btn btn-ghost load-older" disabled={loadingOlder} onClick={() => void model.audit.getState().loadOlder()}>
          {loadingOlder ? 'Loading…' : 'Show older activity'}
        </button>
      ) : null}
    </>
  );
}

function ActivityRow({ entry }: { readonly entry: AuditEntryView }) {
  const t = Date.parse(entry.time);
  return (
    <li className="settings-row activity-row" data-testid="activity-row">
      <div className="device-icon">
        <Icon name={KIND_ICON[entry.client.kind] ?? 'server'} label={entry.client.kind} />
      </div>
      <div className="activity-main">
        <div className="activity-line">
          <span className="settings-row-title ellipsis">{entry.client.name}</span>
          <span className={`badge ${decisionTone(entry.decision)}`}>{entry.decision}</span>
          {entry.outcome === 'late' ? <span className="badge badge-warning">answered too late</span> : null}
        </div>
        <div className="activity-summary ellipsis" title={entry.summary}>
          <span className="activity-kind">{requestLabel(entry.request)}</span> {entry.summary}
        </div>
        <div className="settings-row-desc">
          {entry.threadId ? `thread ${entry.threadId.slice(0, 8)}` : 'no thread'}
          {entry.environmentId !== 'local' ? ` · ${entry.environmentId}` : ''}
        </div>
      </div>
      <time className="activity-time" dateTime={entry.time} title={new Date(t).toLocaleString()}>
        {relativeTime(t / 1000)}
      </time>
    </li>
  );
}
