/**
 * One `HostModel` per hub environment the window uses: `local` (this computer) for the whole
 * life of the window, and an SSH host's (`ssh:ALIAS`) from the moment the user picks it in the
 * sidebar until the host stops offering it. Each has its own `HostSession` (one bridge socket,
 * `host/environment/select` before `initialize`, docs/host-api.md "Environments"), so a thread
 * started while an SSH host is selected runs on that host's engine. Settings and the sidebar's
 * environment list always use `local`, which stays up whatever an SSH host does.
 */
import { createContext, useContext, useEffect, type ReactNode } from 'react';
import { HostModel } from '../common/host/hostModel';
import type { HostSession } from '../common/host/hostSession';
import { useSelect } from '../common/host/HostProvider';
import { useUi } from './uiContext';

export class EnvironmentModels {
  readonly local: HostModel;
  readonly #makeSession: (environmentId: string) => HostSession;
  readonly #others = new Map<string, HostModel>();

  /** `makeSession(id)` returns a session (not started) that works in environment `id`. */
  constructor(makeSession: (environmentId: string) => HostSession) {
    this.#makeSession = makeSession;
    this.local = new HostModel(makeSession('local'));
  }

  /** The model of environment `id`, created (and its session started) on first use. */
  get(id: string): HostModel {
    if (id === 'local') return this.local;
    let m = this.#others.get(id);
    if (!m) {
      m = new HostModel(this.#makeSession(id));
      this.#others.set(id, m);
      m.session.start();
    }
    return m;
  }

  /** Closes the models of environments the host no longer offers. */
  retain(ids: readonly string[]): void {
    for (const [id, m] of this.#others) {
      if (ids.includes(id)) continue;
      m.dispose();
      this.#others.delete(id);
    }
  }

  dispose(): void {
    for (const m of this.#others.values()) m.dispose();
    this.#others.clear();
    this.local.dispose();
  }
}

const Context = createContext<EnvironmentModels | null>(null);

export function EnvironmentModelsProvider({ models, children }: { readonly models: EnvironmentModels; readonly children: ReactNode }) {
  return <Context.Provider value={models}>{children}</Context.Provider>;
}

export function useEnvironmentModels(): EnvironmentModels {
  const m = useContext(Context);
  if (!m) throw new Error('useEnvironmentModels: no EnvironmentModelsProvider above this component');
  return m;
}

/**
 * The model of the environment selected in the sidebar. When the host stops offering it
 * (an SSH host disabled or removed), the window goes back to `local` and its model is closed.
 */
export function useActiveModel(): HostModel {
  const models = useEnvironmentModels();
  const ui = useUi();
  const envId = useSelect(ui, (s) => s.environmentId);
  const environments = useSelect(models.local.connection, (s) => s.environments);
  const known = envId === 'local' || environments.length === 0 || environments.some((e) => e.id === envId);
  useEffect(() => {
    if (environments.length === 0) return;
    models.retain(environments.map((e) => e.id));
    if (!known) ui.getState().setEnvironment('local');
  }, [models, environments, known, ui]);
  return models.get(known ? envId : 'local');
}
