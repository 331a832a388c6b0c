/** Settings: a section list on the left, the chosen section on the right. */
import type { ReactNode } from 'react';
import { useHostModel, useSelect } from '../../common/host/HostProvider';
import { Icon } from '../../common/views/Icon';
import { useUi } from '../uiContext';
import { SETTINGS_SECTIONS } from './settingsSections';

export function SettingsScreen({ section, headerStart }: { readonly section: string; readonly headerStart?: ReactNode }) {
  const ui = useUi();
  const info = useSelect(useHostModel().connection, (s) => s.hostInfo);
  // A section the host does not offer (Other devices on Windows) is neither listed nor shown.
  const sections = SETTINGS_SECTIONS.filter((s) => s.offered?.(info) ?? true);
  const current = sections.find((s) => s.id === section) ?? sections[0]!;
  return (
    <div className="settings" data-testid="settings">
      <header className="thread-header">
        {headerStart}
        <div className="thread-header-main">
          <h1 className="thread-title">Settings</h1>
        </div>
      </header>
      <div className="settings-body">
        <nav className="settings-nav" aria-label="Settings sections">
          {sections.map((s) => (
            <button
              key={s.id}
              type="button"
              className="nav-item"
              aria-current={s.id === current.id ? 'page' : undefined}
              onClick={() => ui.getState().show({ kind: 'settings', section: s.id })}
            >
              <Icon name={s.icon} /> {s.label}
            </button>
          ))}
        </nav>
        <section className="settings-panel" aria-label={current.label}>
          <h2 className="settings-title">{current.label}</h2>
          {current.render()}
        </section>
      </div>
    </div>
  );
}
