/** The sidebar: host and connection, environments, New thread, search, the thread list, Settings. */
import { useEffect, useRef, useState } from 'react';
import { useHostModel, useSelect } from '../common/host/HostProvider';
import { Icon } from '../common/views/Icon';
import { ThreadList } from '../common/views/ThreadList';
import { useUi } from './uiContext';
import { useActiveModel } from './environmentModels';
import { environmentStatus, TONE_CLASS } from './settings/connections/ssh/sshLabels';

/** Typing pauses this long before the search goes to the host. */
const SEARCH_DEBOUNCE_MS = 200;

function ConnectionDot() {
  const model = useHostModel();
  const status = useSelect(model.connection, (s) => s.status);
  const label = status.kind === 'online' ? 'Connected' : status.kind === 'refused' ? 'Not authorized' : status.kind === 'stopped' ? 'Closed' : 'Connecting';
  const cls = status.kind === 'online' ? 'dot-online' : status.kind === 'refused' ? 'dot-error' : 'dot-attention';
  return <span className={`dot ${cls}`} role="img" aria-label={label} title={label} />;
}

export function Sidebar({ onNavigate }: { readonly onNavigate?: () => void }) {
  const model = useHostModel();
  // The threads listed are the selected environment's; the host and its environments are local's.
  const active = useActiveModel();
  const ui = useUi();
  const screen = useSelect(ui, (s) => s.screen);
  const envId = useSelect(ui, (s) => s.environmentId);
  const info = useSelect(model.connection, (s) => s.hostInfo);
  const hubOnline = useSelect(model.connection, (s) => s.status.kind === 'online');
  const environments = useSelect(model.connection, (s) => s.environments);
  const online = useSelect(active.connection, (s) => s.status.kind === 'online');
  const [search, setSearch] = useState('');
  const searchRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    const t = setTimeout(() => void active.threadList.getState().setSearch(search.trim()), SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(t);
  }, [search, active]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.metaKey || e.ctrlKey) && e.key.toLowerCase() === 'k') {
        e.preventDefault();
        searchRef.current?.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const open = (threadId: string) => {
    ui.getState().show({ kind: 'thread', threadId });
    onNavigate?.();
  };

  return (
    <aside className="sidebar" aria-label="Threads and environments">
      <div className="sidebar-head">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">
            <Icon name="sparkle" />
          </span>
          <div className="brand-text">
            <div className="brand-name">Codex Host</div>
            <div className="brand-host ellipsis" title={info?.hostName}>
              {/* Online, the name follows a moment after the first paint (host/info): "Connecting…" then would be wrong. */}
              {info?.hostName ?? (hubOnline ? '\u00a0' : 'Connecting…')}
            </div>
          </div>
          <ConnectionDot />
        </div>
      </div>

      <nav className="sidebar-section" aria-label="Environments">
        <div className="sidebar-label">Environments</div>
        {(environments.length ? environments : [{ id: 'local', label: 'This computer', detail: '', kind: 'local' as const }]).map((e) => {
          // SSH hosts and controlled hosts show their connection state (local's engine has its own banner).
          const status = e.kind !== 'local' ? environmentStatus(e) : undefined;
          return (
            <button
              key={e.id}
              type="button"
              className="nav-item"
              aria-current={e.id === envId ? 'true' : undefined}
              onClick={() => ui.getState().setEnvironment(e.id)}
              title={[e.label, e.detail, status?.text, e.lastError].filter(Boolean).join(' · ')}
              data-testid={`environment-${e.id}`}
            >
              <Icon name={e.kind === 'local' ? 'computer' : e.kind === 'remote' ? 'monitor' : 'server'} />
              <span className="ellipsis" style={{ flex: 1 }}>
                {e.label}
              </span>
              {status ? <span className={`${TONE_CLASS[status.tone]} nav-status ellipsis`}>{status.text}</span> : e.detail && e.detail !== e.label ? <span className="nav-detail ellipsis">{e.detail}</span> : null}
            </button>
          );
        })}
      </nav>

      <div className="sidebar-actions">
        <button
          type="button"
          className="btn new-thread-btn"
          aria-current={screen.kind === 'new' ? 'page' : undefined}
          onClick={() => {
            ui.getState().show({ kind: 'new' });
            onNavigate?.();
          }}
        >
          <Icon name="plus" /> New thread
        </button>
        <div className="search">
          <Icon name="search" />
          <input ref={searchRef} className="input" type="search" placeholder="Search titles" aria-label="Search threads by title" value={search} onChange={(e) => setSearch(e.target.value)} />
          <kbd className="kbd">⌘K</kbd>
        </div>
      </div>

      <div className="sidebar-list">
        <ThreadList store={active.threadList} selectedId={screen.kind === 'thread' ? screen.threadId : undefined} onOpen={open} offline={!online} />
      </div>

      <div className="sidebar-foot">
        <button
          type="button"
          className="nav-item"
          aria-current={screen.kind === 'settings' ? 'page' : undefined}
          onClick={() => {
            ui.getState().show({ kind: 'settings', section: 'appearance' });
            onNavigate?.();
          }}
        >
          <Icon name="settings" /> Settings
        </button>
        <ThemeToggle />
      </div>
    </aside>
  );
}

function ThemeToggle() {
  const ui = useUi();
  const theme = useSelect(ui, (s) => s.theme);
  const next = theme === 'system' ? 'light' : theme === 'light' ? 'dark' : 'system';
  const icon = theme === 'dark' ? 'moon' : theme === 'light' ? 'sun' : 'monitor';
  return (
    <button type="button" className="btn btn-ghost btn-icon" onClick={() => ui.getState().setTheme(next)} aria-label={`Theme: ${theme}. Switch to ${next}`} title={`Theme: ${theme}`}>
      <Icon name={icon} />
    </button>
  );
}
