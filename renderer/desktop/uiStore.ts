/**
 * What the desktop window shows (no host data here): the screen, the selected environment, the
 * theme. Remembered per tab (sessionStorage) so a reload returns to the same thread.
 */
import { createStore } from 'zustand/vanilla';

export type Screen = { readonly kind: 'new' } | { readonly kind: 'thread'; readonly threadId: string } | { readonly kind: 'settings'; readonly section: string };
export type ThemeChoice = 'system' | 'light' | 'dark';

export interface UiState {
  readonly screen: Screen;
  readonly environmentId: string;
  readonly theme: ThemeChoice;
  show(screen: Screen): void;
  setTheme(theme: ThemeChoice): void;
  setEnvironment(id: string): void;
}

const SCREEN_KEY = 'codexHost.screen';
const THEME_KEY = 'codexHost.theme';

function initialScreen(): Screen {
  try {
    const v = JSON.parse(sessionStorage.getItem(SCREEN_KEY) ?? 'null') as Screen | null;
    if (v && v.kind === 'thread' && typeof v.threadId === 'string') return { kind: 'thread', threadId: v.threadId };
  } catch {
    // nothing remembered
  }
  return { kind: 'new' };
}

function initialTheme(): ThemeChoice {
  try {
    const v = localStorage.getItem(THEME_KEY);
    return v === 'light' || v === 'dark' ? v : 'system';
  } catch {
    return 'system';
  }
}

export function applyTheme(theme: ThemeChoice): void {
  if (theme === 'system') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = theme;
}

export function createUiStore() {
  return createStore<UiState>()((set) => ({
    screen: initialScreen(),
    environmentId: 'local',
    theme: initialTheme(),
    show(screen) {
      set({ screen });
      try {
        sessionStorage.setItem(SCREEN_KEY, JSON.stringify(screen));
      } catch {
        // not remembered
      }
    },
    setTheme(theme) {
      set({ theme });
      applyTheme(theme);
      try {
        localStorage.setItem(THEME_KEY, theme);
      } catch {
        // not remembered
      }
    },
    setEnvironment(environmentId) {
      // A thread belongs to one environment's engine: switching shows New thread there.
      set((s) => (s.environmentId === environmentId ? s : { environmentId, screen: { kind: 'new' } }));
    },
  }));
}

export type UiStore = ReturnType<typeof createUiStore>;
