/**
 * What the window shows about its link to the host: the session status ("Reconnecting…"),
 * the host's own description (`host/info`) and the environments it offers.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { HostInfo } from '../../../shared/protocol/hostMethods';
import type { SessionStatus } from '../host/hostSession';
import type { EnvironmentSummary } from '../host/hostApi';

export interface ConnectionState {
  readonly status: SessionStatus;
  readonly hostInfo: HostInfo | undefined;
  readonly environments: readonly EnvironmentSummary[];
  readonly infoError: string | undefined;
}

export type ConnectionStore = StoreApi<ConnectionState>;

export function createConnectionStore(initial: SessionStatus): ConnectionStore {
  return createStore<ConnectionState>()(() => ({ status: initial, hostInfo: undefined, environments: [], infoError: undefined }));
}
