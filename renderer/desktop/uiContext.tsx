/** React access to the desktop window's UI store. */
import { createContext, useContext, type ReactNode } from 'react';
import type { UiStore } from './uiStore';

const UiContext = createContext<UiStore | null>(null);

export function UiProvider({ store, children }: { readonly store: UiStore; readonly children: ReactNode }) {
  return <UiContext.Provider value={store}>{children}</UiContext.Provider>;
}

export function useUi(): UiStore {
  const s = useContext(UiContext);
  if (!s) throw new Error('useUi: no UiProvider above this component');
  return s;
}
