/**
 * Short confirmations and failures ("Renamed to Work phone", "Couldn't revoke access: …"),
 * announced to screen readers and gone after a few seconds. One region per Connections screen.
 */
import { createContext, useContext, useMemo, type ReactNode } from 'react';
import { useStore } from 'zustand';
import { createStore, type StoreApi } from 'zustand/vanilla';
import { Icon } from '../../../common/views/Icon';

export interface Toast {
  readonly id: number;
  readonly kind: 'success' | 'error';
  readonly text: string;
}

interface ToastState {
  readonly toasts: readonly Toast[];
  push(kind: Toast['kind'], text: string): void;
  dismiss(id: number): void;
}

export type ToastStore = StoreApi<ToastState>;
const TOAST_MS = 5000;

export function createToastStore(): ToastStore {
  let next = 1;
  return createStore<ToastState>()((set, get) => ({
    toasts: [],
    push(kind, text) {
      const id = next++;
      set({ toasts: [...get().toasts.slice(-3), { id, kind, text }] });
      setTimeout(() => get().dismiss(id), kind === 'error' ? TOAST_MS * 2 : TOAST_MS);
    },
    dismiss(id) {
      set({ toasts: get().toasts.filter((t) => t.id !== id) });
    },
  }));
}

const ToastContext = createContext<ToastStore | null>(null);

/** Provides toasts to the tabs below and shows them. */
export function ToastProvider({ children }: { readonly children: ReactNode }) {
  const store = useMemo(createToastStore, []);
  return (
    <ToastContext.Provider value={store}>
      {children}
      <ToastRegion store={store} />
    </ToastContext.Provider>
  );
}

/** `toast('success', 'Done')` from any component under ToastProvider. */
export function useToast(): ToastState['push'] {
  const store = useContext(ToastContext);
  if (!store) throw new Error('useToast: no ToastProvider above this component');
  return store.getState().push;
}

function ToastRegion({ store }: { readonly store: ToastStore }) {
  const toasts = useStore(store, (s) => s.toasts);
  return (
    <div className="toasts" aria-live="polite">
      {toasts.map((t) => (
        <div key={t.id} className={`toast toast-${t.kind}`} role={t.kind === 'error' ? 'alert' : 'status'}>
          <Icon name={t.kind === 'error' ? 'alert' : 'check'} />
          <span className="toast-text">{t.text}</span>
          <button type="button" className="btn btn-ghost btn-sm btn-icon" aria-label="Dismiss" onClick={() => store.getState().dismiss(t.id)}>
            <Icon name="x" />
          </button>
        </div>
      ))}
    </div>
  );
}
