/**
 * The pairing dialog's code: `host/pairing/start` gives a link (ten minutes, one use); Refresh
 * asks for a new one that replaces it. `host/pairing/claimed` for our code turns the dialog into
 * "You're connected"; `host/pairing/expired` (ran out, or replaced elsewhere) shows the code as
 * expired. No secret is kept after the dialog closes (`reset`).
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { TrustedDevice } from '../../../../../shared/protocol/hostSchemas';
import { errorMessage } from '../../../../../shared/util/errors';
import { callHost, type HostSessionLike } from '../hostCalls';

export interface PairingCode {
  readonly link: string;
  readonly pairId: string;
  /** When the code stops working (ms since the epoch). */
  readonly expiresAtMs: number;
}

export type PairingPhase =
  | { readonly kind: 'idle' }
  | { readonly kind: 'loading' }
  | { readonly kind: 'ready'; readonly code: PairingCode }
  | { readonly kind: 'expired'; readonly reason: 'expired' | 'replaced' }
  | { readonly kind: 'unavailable'; readonly reason: string }
  | { readonly kind: 'claimed'; readonly device: TrustedDevice };

export interface PairingState {
  readonly phase: PairingPhase;
  /** Asks for a code (replacing the one shown, if any). */
  start(): Promise<void>;
  claimed(pairId: string, device: TrustedDevice): void;
  expired(pairId: string, reason: 'expired' | 'replaced'): void;
  /** The countdown reached zero before the host said so. */
  ranOut(): void;
  reset(): void;
}

export type PairingStore = StoreApi<PairingState>;

export function createPairingStore(session: Pick<HostSessionLike, 'requestHost'>): PairingStore {
  let seq = 0;
  return createStore<PairingState>()((set, get) => {
    const current = (): PairingCode | undefined => {
      const p = get().phase;
      return p.kind === 'ready' ? p.code : undefined;
    };
    return {
      phase: { kind: 'idle' },
      async start() {
        const mine = ++seq;
        const replaces = current()?.pairId;
        set({ phase: { kind: 'loading' } });
        try {
          const r = await callHost(session, 'host/pairing/start', replaces ? { replaces } : {});
          if (mine !== seq) return;
          set({ phase: { kind: 'ready', code: { link: r.link, pairId: r.pairId, expiresAtMs: Date.parse(r.expiresAt) } } });
        } catch (err) {
          if (mine === seq) set({ phase: { kind: 'unavailable', reason: errorMessage(err).replace(/^host\/pairing\/start: /, '') } });
        }
      },
      claimed(pairId, device) {
        if (current()?.pairId === pairId) set({ phase: { kind: 'claimed', device } });
      },
      expired(pairId, reason) {
        if (current()?.pairId === pairId) set({ phase: { kind: 'expired', reason } });
      },
      ranOut() {
        if (current()) set({ phase: { kind: 'expired', reason: 'expired' } });
      },
      reset() {
        seq++;
        set({ phase: { kind: 'idle' } });
      },
    };
  });
}
