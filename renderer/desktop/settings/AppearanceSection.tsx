/** Appearance: the theme (system, light, dark). */
import { useSelect } from '../../common/host/HostProvider';
import { Icon, type IconName } from '../../common/views/Icon';
import { useUi } from '../uiContext';
import type { ThemeChoice } from '../uiStore';

const CHOICES: readonly { id: ThemeChoice; label: string; icon: IconName }[] = [
  { id: 'system', label: 'System', icon: 'monitor' },
  { id: 'light', label: 'Light', icon: 'sun' },
  { id: 'dark', label: 'Dark', icon: 'moon' },
];

export function AppearanceSection() {
  const ui = useUi();
  const theme = useSelect(ui, (s) => s.theme);
  return (
    <div className="settings-group">
      <div className="settings-row">
        <div>
          <div className="settings-row-title">Theme</div>
          <div className="settings-row-desc">System follows your computer’s light or dark setting.</div>
        </div>
        <div className="segmented" role="radiogroup" aria-label="Theme">
          {CHOICES.map((c) => (
            <button key={c.id} type="button" role="radio" aria-checked={theme === c.id} onClick={() => ui.getState().setTheme(c.id)}>
              <Icon name={c.icon} /> {c.label}
            </button>
          ))}
        </div>
      </div>
    </div>
  );
}
