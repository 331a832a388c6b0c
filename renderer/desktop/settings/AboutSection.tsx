/** About this host: what `host/info` says (name, versions, engine state, connected clients). */
import { useHostModel, useSelect } from '../../common/host/HostProvider';
import { ErrorState, LoadingState } from '../../common/views/States';
import { relativeTime } from '../../common/util/format';

export function AboutSection() {
  const model = useHostModel();
  const info = useSelect(model.connection, (s) => s.hostInfo);
  const error = useSelect(model.connection, (s) => s.infoError);
  if (!info) return error ? <ErrorState title="Host details are not available" message={error} /> : <LoadingState label="Asking the host…" />;
  const rows: [string, string][] = [
    ['Host', info.hostName],
    ['Platform', info.platform],
    ['Codex Host', info.version],
    ['Engine', `codex ${info.engine.version ?? '?'} · ${info.engine.state}${info.engine.restarts ? ` · restarted ${info.engine.restarts}×` : ''}`],
    ['Remote-TUI listener', info.listener ?? 'off'],
    ['Relay', info.relay ?? 'off'],
  ];
  return (
    <>
      <div className="settings-group">
        {rows.map(([k, v]) => (
          <div className="settings-row" key={k}>
            <div className="settings-row-title">{k}</div>
            <div className="settings-value ellipsis" title={v}>
              {v}
            </div>
          </div>
        ))}
      </div>
      <h3 className="settings-subtitle">Connected clients ({info.clients.length})</h3>
      <div className="settings-group">
        {info.clients.map((c) => (
          <div className="settings-row" key={c.id}>
            <div className="ellipsis">
              <div className="settings-row-title ellipsis">{c.name}</div>
              <div className="settings-row-desc">{c.kind}</div>
            </div>
            <div className="settings-value">{relativeTime(Date.parse(c.connectedAt) / 1000)}</div>
          </div>
        ))}
      </div>
    </>
  );
}
