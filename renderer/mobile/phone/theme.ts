/** The phone's theme choice (System, Light, Dark), kept in localStorage and applied as `data-theme` like the desktop's. */
import { createStore } from 'zustand/vanilla';
import type { ThemeChoice } from '../phoneContext';

const KEY = 'codexPhone.theme';

export function applyTheme(theme: ThemeChoice): void {
  if (theme === 'system') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = theme;
}

function initial(): ThemeChoice {
  try {
    const v = localStorage.getItem(KEY);
    return v === 'light' || v === 'dark' ? v : 'system';
  } catch {
    return 'system';
  }
}

export const themeStore = createStore<{ theme: ThemeChoice; set(t: ThemeChoice): void }>()((set) => ({
  theme: initial(),
  set(theme) {
    set({ theme });
    applyTheme(theme);
    try {
      localStorage.setItem(KEY, theme);
    } catch {
      // not remembered
    }
  },
}));
