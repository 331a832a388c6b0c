/** The link to the host, when it is not simply fine: "Reconnecting…", or why this window was refused. */
import type { ReactNode } from 'react';
import { useHostModel, useSelect } from '../common/host/HostProvider';
import { Icon } from '../common/views/Icon';
import { Spinner } from '../common/views/States';

export function ConnectionBanner() {
  const model = useHostModel();
  const status = useSelect(model.connection, (s) => s.status);
  if (status.kind !== 'reconnecting') return null;
  return (
    <div className="banner banner-warning" role="status" data-testid="reconnecting">
      <Spinner label="Reconnecting" />
      <span className="banner-text">
        <strong>Reconnecting…</strong>
        <span className="ellipsis"> {status.lastError}</span>
      </span>
      <button type="button" className="btn btn-sm" onClick={() => model.session.reconnectNow()}>
        Retry now
      </button>
    </div>
  );
}

/** Full-window screens for a window that cannot work: no token, or a refused one. */
export function BlockedScreen({ title, children }: { readonly title: string; readonly children: ReactNode }) {
  return (
    <div className="blocked" data-testid="blocked">
      <div className="blocked-card">
        <div className="state-icon">
          <Icon name="plug" />
        </div>
        <h1 {...{ elementtiming: 'blocked' }}>{title}</h1>
        <div className="blocked-body">{children}</div>
      </div>
    </div>
  );
}
