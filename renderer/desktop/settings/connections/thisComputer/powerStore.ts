/**
 * "Keep this computer awake" as the host's `power` feature reports it (`host/power/get`,
 * `host/power/set`, `host/power/changed`; docs/keep-awake.md). Only used when host/info lists
 * the feature. The state schema is the feature's own (shared/protocol/features/powerApi.ts on
 * the branch that adds it); it is mirrored here so this tab builds without that feature.
 */
import { z } from 'zod';
import { createStore, type StoreApi } from 'zustand/vanilla';
import { errorMessage } from '../../../../../shared/util/errors';
import { parseUnknown } from '../../../../../shared/util/schema';
import type { HostSessionLike } from '../hostCalls';

export const PowerViewSchema = z.object({
  keepAwake: z.boolean(),
  held: z.boolean(),
  reasons: z.array(z.enum(['remote-access', 'turn'])).max(2),
  runningTurns: z.number().int().nonnegative(),
  remoteAccess: z.boolean(),
  available: z.boolean(),
  unavailableReason: z.string().max(500).optional(),
  onBattery: z.boolean().optional(),
  mechanism: z.string().max(64),
});
export type PowerView = z.infer<typeof PowerViewSchema>;

export interface PowerState {
  readonly view?: PowerView;
  readonly loadError?: string;
  readonly pending: boolean;
  readonly changeError?: string;
  load(): Promise<void>;
  set(keepAwake: boolean): Promise<void>;
  /** A `host/power/changed` notification's params. */
  changed(params: unknown): void;
}

export type PowerStore = StoreApi<PowerState>;

export function createPowerStore(session: Pick<HostSessionLike, 'requestHost'>): PowerStore {
  const parse = (raw: unknown, what: string) => parseUnknown(PowerViewSchema, raw, what);
  return createStore<PowerState>()((set) => ({
    pending: false,
    async load() {
      try {
        set({ view: parse(await session.requestHost('host/power/get'), 'host/power/get result'), loadError: undefined });
      } catch (err) {
        set({ loadError: errorMessage(err) });
      }
    },
    async set(keepAwake) {
      set({ pending: true, changeError: undefined });
      try {
        set({ view: parse(await session.requestHost('host/power/set', { keepAwake }), 'host/power/set result') });
      } catch (err) {
        set({ changeError: errorMessage(err) });
      } finally {
        set({ pending: false });
      }
    },
    changed(params) {
      try {
        set({ view: parse(params, 'host/power/changed params') });
      } catch {
        // A malformed notification is dropped; the next get shows the truth.
      }
    },
  }));
}
