/**
 * React access to a `HostModel` (the host-client hook): components read stores through
 * narrow selectors (style.md G12) and open thread stores for as long as they are shown.
 */
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { StoreApi } from 'zustand/vanilla';
import type { ThreadStore } from '../stores/threadStore';
import type { HostModel } from './hostModel';

const HostContext = createContext<HostModel | null>(null);

export function HostProvider({ model, children }: { readonly model: HostModel; readonly children: ReactNode }) {
  return <HostContext.Provider value={model}>{children}</HostContext.Provider>;
}

/** The host model of the surrounding HostProvider. */
export function useHostModel(): HostModel {
  const m = useContext(HostContext);
  if (!m) throw new Error('useHostModel: no HostProvider above this component');
  return m;
}

/** A narrow, re-rendering read of a store. */
export function useSelect<S, T>(store: StoreApi<S>, selector: (s: S) => T): T {
  return useStore(store, selector);
}

/** The store of thread `threadId` while the calling component is mounted (undefined on the first render). */
export function useThreadStore(threadId: string | undefined): ThreadStore | undefined {
  const model = useHostModel();
  const [store, setStore] = useState<{ id: string; store: ThreadStore } | undefined>(undefined);
  useEffect(() => {
    if (!threadId) {
      setStore(undefined);
      return;
    }
    const handle = model.openThread(threadId);
    setStore({ id: threadId, store: handle.store });
    return handle.release;
  }, [model, threadId]);
  return store && store.id === threadId ? store.store : undefined;
}
