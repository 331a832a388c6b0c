/**
 * The phone app's screens by route (phone/route.ts). The pairing link (`/pair#p=…`) is taken
 * out of the address bar at start (main.tsx) and held here until it is paired or cancelled.
 * Host screens share their host's `HostModel` through HostProvider, so the shared views and
 * stores work unchanged.
 */
import { useEffect, useState, type ReactNode } from 'react';
import { useStore } from 'zustand';
import { HostProvider } from '../common/host/HostProvider';
import { FullState } from './screens/parts';
import { HostScreen } from './screens/HostScreen';
import { HostsScreen } from './screens/HostsScreen';
import { NewThreadScreen } from './screens/NewThreadScreen';
import { AddHostScreen, PairScreen } from './screens/PairScreen';
import { HostSettingsScreen, PhoneSettingsScreen } from './screens/SettingsScreens';
import { DiffScreen, ThreadScreen } from './screens/ThreadScreen';
import type { HostRuntime } from './phone/hostRuntime';
import { applyTheme, themeStore } from './phone/theme';
import { navigate, usePhoneEnv, useRoute, useRuntimeState } from './phoneContext';

function WithHost({ hostId, children }: { readonly hostId: string; readonly children: (runtime: HostRuntime) => ReactNode }) {
  const env = usePhoneEnv();
  // Re-read when the list changes (a host paired again gets a new runtime).
  const hosts = useStore(env.hosts.state, (s) => s.hosts);
  const phase = useStore(env.hosts.state, (s) => s.phase);
  const runtime = hosts.some((h) => h.trusted.hostId === hostId) ? env.hosts.runtime(hostId) : undefined;
  if (phase === 'loading') return null;
  if (!runtime) {
    return (
      <div className="screen">
        <FullState
          icon="alert"
          title="This computer is not paired with this phone"
          actions={
            <button type="button" className="btn btn-primary btn-lg" onClick={() => navigate({ kind: 'home' }, true)}>
              All computers
            </button>
          }
        >
          <p>It may have been removed here. Open a pairing code from the computer to pair it again.</p>
        </FullState>
      </div>
    );
  }
  return <HostModelScope runtime={runtime}>{children(runtime)}</HostModelScope>;
}

function HostModelScope({ runtime, children }: { readonly runtime: HostRuntime; readonly children: ReactNode }) {
  const model = useRuntimeState(runtime, (s) => s.model);
  return (
    <HostProvider model={model} key={runtime.state.getState().environmentId}>
      {children}
    </HostProvider>
  );
}

/**
 * A link into one environment of a host (a notification about a thread on another computer or
 * an SSH host): shows that environment, then the thread at its plain address.
 */
function EnvironmentLink({ runtime, environmentId, threadId }: { readonly runtime: HostRuntime; readonly environmentId: string; readonly threadId: string }) {
  const env = usePhoneEnv();
  useEffect(() => {
    void env.hosts.setEnvironment(runtime.hostId, environmentId).finally(() => navigate({ kind: 'thread', hostId: runtime.hostId, threadId }, true));
  }, [env, runtime, environmentId, threadId]);
  return null;
}

export function App({ initialPairLink }: { readonly initialPairLink?: string }) {
  const route = useRoute();
  const theme = useStore(themeStore, (s) => s.theme);
  const [pairLink, setPairLink] = useState(initialPairLink);
  useEffect(() => applyTheme(theme), [theme]);
  // Going anywhere else (a link, the back gesture) leaves the pairing screen for good.
  const [pairHref] = useState(() => location.href);
  useEffect(() => {
    const leave = () => {
      if (location.href !== pairHref) setPairLink(undefined);
    };
    window.addEventListener('hashchange', leave);
    window.addEventListener('popstate', leave);
    return () => {
      window.removeEventListener('hashchange', leave);
      window.removeEventListener('popstate', leave);
    };
  }, [pairHref]);

  if (pairLink) {
    return (
      <PairScreen
        linkText={pairLink}
        onDone={(hostId) => {
          setPairLink(undefined);
          navigate(hostId ? { kind: 'host', hostId } : { kind: 'home' }, true);
        }}
      />
    );
  }
  switch (route.kind) {
    case 'pair':
      return <PairScreen linkText={route.link} onDone={(hostId) => navigate(hostId ? { kind: 'host', hostId } : { kind: 'home' }, true)} />;
    case 'add':
      return <AddHostScreen />;
    case 'settings':
      return route.hostId ? <WithHost hostId={route.hostId}>{(r) => <HostSettingsScreen runtime={r} />}</WithHost> : <PhoneSettingsScreen />;
    case 'host':
      return <WithHost hostId={route.hostId}>{(r) => <HostScreen runtime={r} />}</WithHost>;
    case 'new':
      return <WithHost hostId={route.hostId}>{(r) => <NewThreadScreen runtime={r} />}</WithHost>;
    case 'thread':
      if (route.environmentId) return <WithHost hostId={route.hostId}>{(r) => <EnvironmentLink runtime={r} environmentId={route.environmentId!} threadId={route.threadId} />}</WithHost>;
      return <WithHost hostId={route.hostId}>{(r) => <ThreadScreen key={route.threadId} runtime={r} threadId={route.threadId} />}</WithHost>;
    case 'diff':
      return <WithHost hostId={route.hostId}>{(r) => <DiffScreen runtime={r} threadId={route.threadId} itemId={route.itemId} file={route.file} />}</WithHost>;
    case 'home':
      return <HostsScreen />;
  }
}
