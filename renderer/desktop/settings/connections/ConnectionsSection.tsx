/**
 * Settings > Connections: the tab shell. It offers the tabs of connectionTabs.tsx that this
 * host supports and shows a tab selector (an ARIA tab list, arrow keys move) only when there
 * are two or more; each tab renders itself from the window's session.
 */
import { useRef, useState, type KeyboardEvent } from 'react';
import { useHostModel, useSelect } from '../../../common/host/HostProvider';
import type { HostSession } from '../../../common/host/hostSession';
import { CONNECTION_TABS, offeredTabs, type ConnectionTab } from './connectionTabs';
import { ToastProvider } from './toasts';
import './connections.css';

export function ConnectionsSection({ tabs = CONNECTION_TABS }: { readonly tabs?: readonly ConnectionTab[] }) {
  const model = useHostModel();
  const features = useSelect(model.connection, (s) => s.hostInfo?.features);
  return (
    <ToastProvider>
      <ConnectionTabsView tabs={tabs} features={features} session={model.session} />
    </ToastProvider>
  );
}

/** The tab selector and the open tab, for the tabs and host features given. */
export function ConnectionTabsView({ tabs, features, session }: { readonly tabs: readonly ConnectionTab[]; readonly features: readonly string[] | undefined; readonly session: HostSession }) {
  const offered = offeredTabs(tabs, features);
  const [chosen, setChosen] = useState<string | undefined>(undefined);
  const current = offered.find((t) => t.id === chosen) ?? offered[0];
  const buttons = useRef(new Map<string, HTMLButtonElement>());

  const onKey = (e: KeyboardEvent) => {
    const i = offered.findIndex((t) => t.id === current?.id);
    const next = e.key === 'ArrowRight' ? i + 1 : e.key === 'ArrowLeft' ? i - 1 : e.key === 'Home' ? 0 : e.key === 'End' ? offered.length - 1 : undefined;
    if (next === undefined) return;
    e.preventDefault();
    const t = offered[(next + offered.length) % offered.length]!;
    setChosen(t.id);
    buttons.current.get(t.id)?.focus();
  };

  if (!current) return null;
  return (
    <div className="connections" data-testid="connections">
      {offered.length >= 2 ? (
        <div className="tabs" role="tablist" aria-label="Connections" onKeyDown={onKey}>
          {offered.map((t) => (
            <button
              key={t.id}
              ref={(el) => {
                if (el) buttons.current.set(t.id, el);
                else buttons.current.delete(t.id);
              }}
              type="button"
              role="tab"
              id={`connections-tab-${t.id}`}
              aria-controls={`connections-panel-${t.id}`}
              aria-selected={t.id === current.id}
              tabIndex={t.id === current.id ? 0 : -1}
              className="tab"
              onClick={() => setChosen(t.id)}
            >
              {t.label}
            </button>
          ))}
        </div>
      ) : null}
      <div
        className="tab-panel"
        id={`connections-panel-${current.id}`}
        {...(offered.length >= 2 ? { role: 'tabpanel', 'aria-labelledby': `connections-tab-${current.id}` } : {})}
        key={current.id}
      >
        {current.render(session)}
      </div>
    </div>
  );
}
