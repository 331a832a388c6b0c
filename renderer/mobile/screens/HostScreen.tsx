/**
 * One host: its environments (chips), the thread list (shared, virtualized, paged, newest
 * first), New thread, and its state. A host that removed this phone, or that cannot prove its
 * key, is a full screen saying so with the way back (pair again, or remove it here).
 */
import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import { useHostModel } from '../../common/host/HostProvider';
import { Icon } from '../../common/views/Icon';
import { ThreadList } from '../../common/views/ThreadList';
import type { HostRuntime } from '../phone/hostRuntime';
import { navigate, useOnline, useOtherEnvironment, usePhoneEnv, useRuntimeState } from '../phoneContext';
import { AppBar, ConnectionBanner, FullState, IconButton, StatusDot, useHostConnection } from './parts';

const SEARCH_DEBOUNCE_MS = 250;

/** "This device was removed from HOST", or the host that cannot prove its key: no retry, a way out. */
export function FinalHostState({ runtime }: { readonly runtime: HostRuntime }) {
  const env = usePhoneEnv();
  const c = useHostConnection(runtime);
  const name = runtime.trusted.name;
  const forget = async () => {
    await env.hosts.remove(runtime.hostId);
    navigate({ kind: 'home' }, true);
  };
  if (c.state === 'removed') {
    return (
      <FullState
        icon="plug"
        tone="danger"
        title={`This device was removed from ${name}`}
        testId="host-removed"
        actions={
          <>
            <button type="button" className="btn btn-primary btn-lg" onClick={() => navigate({ kind: 'add' })}>
              Pair again
            </button>
            <button type="button" className="btn btn-lg" onClick={() => void forget()}>
              Remove from this phone
            </button>
          </>
        }
      >
        <p>
          {name} no longer lets this phone in. To use it again, show a new pairing code on {name} (<code>codex-host pair</code>) and open it on this phone.
        </p>
      </FullState>
    );
  }
  return (
    <FullState
      icon="alert"
      tone="danger"
      title={c.label}
      testId="host-key-failed"
      actions={
        <button type="button" className="btn btn-lg" onClick={() => void forget()}>
          Remove from this phone
        </button>
      }
    >
      <p>{c.detail}</p>
    </FullState>
  );
}

function EnvironmentChips({ runtime }: { readonly runtime: HostRuntime }) {
  const env = usePhoneEnv();
  // The runtime's list, not the session's: it stays while the environment shown is out of reach.
  const environments = useRuntimeState(runtime, (s) => s.environments);
  const current = useRuntimeState(runtime, (s) => s.environmentId);
  if (environments.length < 2) return null;
  return (
    <nav className="chips" aria-label="Environments">
      {environments.map((e) => (
        <button key={e.id} type="button" className="chip tap" aria-pressed={e.id === current} onClick={() => void env.hosts.setEnvironment(runtime.hostId, e.id)} title={e.detail}>
          <Icon name={e.kind === 'local' ? 'computer' : 'server'} />
          <span className="ellipsis">{e.label}</span>
        </button>
      ))}
    </nav>
  );
}

export function HostScreen({ runtime }: { readonly runtime: HostRuntime }) {
  const model = useHostModel();
  const c = useHostConnection(runtime);
  const [search, setSearch] = useState('');
  useEffect(() => {
    const t = setTimeout(() => void model.threadList.getState().setSearch(search.trim()), SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(t);
  }, [search, model]);
  const final = c.state === 'removed' || c.state === 'failed';
  const shownName = useOtherEnvironment(runtime)?.label ?? runtime.trusted.name;
  const online = useOnline();
  // Never loaded on this visit and not reachable: "no threads" would be a lie.
  // (A list kept from the last visit is shown, offline banner above it.)
  const neverLoaded = useStore(model.threadList, (s) => s.threads.length === 0 && (s.phase === 'idle' || s.phase === 'loading'));
  return (
    <div className="screen" data-testid="host-screen" data-host-id={runtime.hostId}>
      <AppBar
        start={<IconButton icon="back" label="All computers" onClick={() => navigate({ kind: 'home' })} />}
        title={runtime.trusted.name}
        subtitle={
          // A new element per state (key), so Element Timing reports when "Online" was painted (bench/phoneBench.ts).
          <span key={c.state} className="appbar-status" data-testid="host-state" data-state={c.state} {...{ elementtiming: `host-state-${c.state}` }}>
            <StatusDot c={c} /> {c.state === 'removed' ? `Removed by ${runtime.trusted.name}` : c.label}
          </span>
        }
        end={<IconButton icon="settings" label={`About ${runtime.trusted.name}`} onClick={() => navigate({ kind: 'settings', hostId: runtime.hostId })} />}
      />
      {final ? (
        <div className="screen-scroll">
          <FinalHostState runtime={runtime} />
        </div>
      ) : (
        <>
          <ConnectionBanner runtime={runtime} />
          <EnvironmentChips runtime={runtime} />
          <div className="search phone-search">
            <Icon name="search" />
            <input className="input" type="search" placeholder="Search titles" aria-label="Search threads by title" value={search} onChange={(e) => setSearch(e.target.value)} enterKeyHint="search" />
          </div>
          <div className="phone-list">
            {neverLoaded && (c.state === 'offline' || c.state === 'reconnecting') ? (
              online ? (
                <FullState icon="plug" title={c.label === 'Not available' ? `${shownName} is not available` : `${shownName} is not reachable`}>
                  <p>Its threads appear here as soon as it is back. Messages you write in a thread are kept and sent then.</p>
                </FullState>
              ) : (
                <FullState icon="plug" title="This phone is offline">
                  <p>The threads of {shownName} appear here once the phone is back online. Messages you write in a thread are kept and sent then.</p>
                </FullState>
              )
            ) : (
            <ThreadList store={model.threadList} selectedId={undefined} onOpen={(threadId) => navigate({ kind: 'thread', hostId: runtime.hostId, threadId })} offline={c.state !== 'online'} />
            )}
          </div>
          <button type="button" className="fab tap" onClick={() => navigate({ kind: 'new', hostId: runtime.hostId })} data-testid="new-thread">
            <Icon name="plus" /> New thread
          </button>
        </>
      )}
    </div>
  );
}
