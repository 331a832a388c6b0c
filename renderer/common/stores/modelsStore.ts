/**
 * The models a composer offers (`model/list`, every page up to a bound) and the reasoning
 * efforts each supports. Hidden models are left out, the engine's default comes first.
 */
import { createStore, type StateCreator, type StoreApi } from 'zustand/vanilla';
import type { ReasoningEffort } from '../../../shared/protocol/appServer/experimental/ReasoningEffort';
import type { Model } from '../../../shared/protocol/appServer/experimental/v2/Model';
import type { ModelListResponse } from '../../../shared/protocol/appServer/experimental/v2/ModelListResponse';
import { errorMessage } from '../../../shared/util/errors';
import type { EngineRequester } from '../host/engineMethods';

export interface ModelChoice {
  readonly id: string;
  readonly label: string;
  readonly description: string;
  readonly isDefault: boolean;
  readonly efforts: readonly ReasoningEffort[];
  readonly defaultEffort: ReasoningEffort;
}

export interface ModelsState {
  readonly models: readonly ModelChoice[];
  readonly phase: 'idle' | 'loading' | 'ready' | 'error';
  readonly error: string | undefined;
  load(): Promise<void>;
}

/** At most this many pages are read (a misbehaving engine cannot keep us paging forever). */
const MAX_PAGES = 10;

export function toModelChoice(m: Model): ModelChoice {
  return {
    id: m.id,
    label: m.displayName || m.id,
    description: m.description,
    isDefault: m.isDefault,
    efforts: m.supportedReasoningEfforts.map((e) => e.reasoningEffort),
    defaultEffort: m.defaultReasoningEffort,
  };
}

export function modelsStateCreator(engine: EngineRequester): StateCreator<ModelsState> {
  return (set, get) => ({
    models: [],
    phase: 'idle',
    error: undefined,
    async load() {
      if (get().phase === 'loading') return;
      set({ phase: 'loading', error: undefined });
      try {
        const all: Model[] = [];
        let cursor: string | null = null;
        for (let i = 0; i < MAX_PAGES; i++) {
          const page: ModelListResponse = await engine.request('model/list', { limit: 100, cursor });
          all.push(...page.data);
          cursor = page.nextCursor;
          if (!cursor) break;
        }
        const models = all.filter((m) => !m.hidden).map(toModelChoice);
        models.sort((a, b) => Number(b.isDefault) - Number(a.isDefault));
        set({ models, phase: 'ready' });
      } catch (err) {
        set({ phase: 'error', error: errorMessage(err) });
      }
    },
  });
}

export type ModelsStore = StoreApi<ModelsState>;

export function createModelsStore(engine: EngineRequester): ModelsStore {
  return createStore<ModelsState>()(modelsStateCreator(engine));
}
