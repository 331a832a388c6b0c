/** Home: every paired host with its live state, in the order they were paired (none "wins"), and the way to add one. */
import { useStore } from 'zustand';
import { Icon } from '../../common/views/Icon';
import { LoadingState } from '../../common/views/States';
import type { HostRuntime } from '../phone/hostRuntime';
import { navigate, usePhoneEnv, useRuntimeState } from '../phoneContext';
import { AppBar, FullState, IconButton, StatusDot, useHostConnection } from './parts';

function HostCard({ runtime }: { readonly runtime: HostRuntime }) {
  const c = useHostConnection(runtime);
  const model = useRuntimeState(runtime, (s) => s.model);
  const approvals = useStore(model.approvals, (s) => s.pending.length);
  const subtitle = c.state === 'removed' ? `Removed by ${runtime.trusted.name}` : c.detail && c.state !== 'online' ? `${c.label} · ${c.detail}` : c.label;
  return (
    <button type="button" className="host-card tap" onClick={() => navigate({ kind: 'host', hostId: runtime.hostId })} data-testid="host-card" data-host-id={runtime.hostId} data-state={c.state}>
      <span className="host-card-icon" aria-hidden="true">
        <Icon name="computer" />
      </span>
      <span className="host-card-main">
        <span className="host-card-name ellipsis">{runtime.trusted.name}</span>
        <span className="host-card-status">
          <StatusDot c={c} />
          <span className="ellipsis" data-testid="host-status">
            {subtitle}
          </span>
        </span>
      </span>
      {approvals > 0 ? (
        <span className="badge badge-warning" data-testid="host-approvals">
          {approvals} waiting
        </span>
      ) : null}
      <Icon name="chevron" className="host-card-chev" />
    </button>
  );
}

export function HostsScreen() {
  const env = usePhoneEnv();
  const phase = useStore(env.hosts.state, (s) => s.phase);
  const hosts = useStore(env.hosts.state, (s) => s.hosts);
  const problems = useStore(env.hosts.state, (s) => s.problems);
  const error = useStore(env.hosts.state, (s) => s.error);
  return (
    <div className="screen" data-testid="hosts-screen">
      <AppBar
        start={
          <span className="brand-mark" aria-hidden="true">
            <Icon name="sparkle" />
          </span>
        }
        title="Codex Host"
        subtitle={hosts.length ? `${hosts.length} ${hosts.length === 1 ? 'computer' : 'computers'}` : undefined}
        end={<IconButton icon="settings" label="Settings" onClick={() => navigate({ kind: 'settings' })} />}
      />
      <div className="screen-scroll">
        {env.storageProblem ? <div className="notice notice-warning">{env.storageProblem}</div> : null}
        {problems.map((p) => (
          <div key={p} className="notice notice-warning">
            {p}
          </div>
        ))}
        {phase === 'loading' ? (
          <LoadingState label="Loading your hosts…" />
        ) : phase === 'error' ? (
          <FullState icon="alert" tone="danger" title="Your hosts could not be loaded">
            {error}
          </FullState>
        ) : hosts.length === 0 ? (
          <FullState
            icon="sparkle"
            title="Pair your first computer"
            testId="hosts-empty"
            actions={
              <button type="button" className="btn btn-primary btn-lg" onClick={() => navigate({ kind: 'add' })}>
                Paste a pairing link
              </button>
            }
          >
            <ol className="steps">
              <li>
                On the computer, run <code>codex-host pair</code> or open <b>Settings › Connections</b> and choose <b>Pair a phone</b>.
              </li>
              <li>Point this phone’s camera at the code and open the link.</li>
              <li>Check the name and fingerprint, then tap Pair.</li>
            </ol>
          </FullState>
        ) : (
          <div className="host-list">
            {hosts.map((h) => {
              const r = env.hosts.runtime(h.trusted.hostId);
              return r ? <HostCard key={h.trusted.hostId} runtime={r} /> : null;
            })}
            <button type="button" className="btn add-host tap" onClick={() => navigate({ kind: 'add' })}>
              <Icon name="plus" /> Add a computer
            </button>
          </div>
        )}
      </div>
    </div>
  );
}
