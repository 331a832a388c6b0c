/**
 * What every phone screen reaches (docs/mobile.md): the paired hosts, how this browser keeps the
 * device key and encrypts, storage problems, the theme, and navigation between the fragment
 * routes (route.ts), so the relay serving the app never learns which host or thread is open.
 */
import { createContext, useContext, useEffect, useState, useSyncExternalStore } from 'react';
import { useStore } from 'zustand';
import type { StoreApi } from 'zustand/vanilla';
import type { EnvironmentSummary } from '../common/host/hostApi';
import type { DeviceKeyKind } from './platform/deviceKey';
import type { CryptoSupport } from './platform/cryptoSupport';
import type { PhoneHosts } from './phone/phoneHosts';
import type { HostRuntime, RuntimeState } from './phone/hostRuntime';
import { hrefOf, parseRoute, type Route } from './phone/route';

export type ThemeChoice = 'system' | 'light' | 'dark';

export interface PhoneEnv {
  readonly hosts: PhoneHosts;
  readonly crypto: Pick<CryptoSupport, 'secureContext' | 'aeadKind'>;
  readonly deviceKeyKind: DeviceKeyKind;
  readonly deviceName: string;
  /** Set when IndexedDB was refused and nothing will be remembered. */
  readonly storageProblem?: string;
}

const EnvContext = createContext<PhoneEnv | null>(null);
export const PhoneEnvProvider = EnvContext.Provider;

export function usePhoneEnv(): PhoneEnv {
  const env = useContext(EnvContext);
  if (!env) throw new Error('usePhoneEnv: no PhoneEnvProvider above this component');
  return env;
}

/** Goes to a route (a new history entry, so the phone's back gesture works). */
export function navigate(route: Route, replace = false): void {
  const href = hrefOf(route);
  if (replace || location.pathname !== '/') history.replaceState(null, '', href);
  else history.pushState(null, '', href);
  window.dispatchEvent(new Event('codexphone:navigate'));
}

export function goBack(fallback: Route): void {
  if (history.length > 1 && history.state !== 'root') history.back();
  else navigate(fallback, true);
}

function subscribeLocation(fn: () => void): () => void {
  window.addEventListener('hashchange', fn);
  window.addEventListener('popstate', fn);
  window.addEventListener('codexphone:navigate', fn);
  return () => {
    window.removeEventListener('hashchange', fn);
    window.removeEventListener('popstate', fn);
    window.removeEventListener('codexphone:navigate', fn);
  };
}

export function useRoute(): Route {
  const href = useSyncExternalStore(subscribeLocation, () => location.href);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  return parseRoute({ pathname: location.pathname, hash: location.hash, href });
}

/** `navigator.onLine`, live. */
export function useOnline(): boolean {
  const [online, setOnline] = useState(() => navigator.onLine !== false);
  useEffect(() => {
    const on = () => setOnline(navigator.onLine !== false);
    window.addEventListener('online', on);
    window.addEventListener('offline', on);
    return () => {
      window.removeEventListener('online', on);
      window.removeEventListener('offline', on);
    };
  }, []);
  return online;
}

export function useRuntimeState<T>(runtime: HostRuntime, select: (s: RuntimeState) => T): T {
  return useStore(runtime.state as StoreApi<RuntimeState>, select);
}

/** The environment shown when it is not the host's own (an SSH host, another computer), as the chips name it. */
export function useOtherEnvironment(runtime: HostRuntime): EnvironmentSummary | undefined {
  return useRuntimeState(runtime, (s) => s.environments.find((e) => e.id === s.environmentId && e.kind !== 'local'));
}
