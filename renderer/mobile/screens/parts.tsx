/** Pieces every phone screen uses: the top bar, a host's connection in words, the banner and the full-screen states. */
import type { ReactNode } from 'react';
import { useStore } from 'zustand';
import { Icon, type IconName } from '../../common/views/Icon';
import { Spinner } from '../../common/views/States';
import { connectionOf, type PhoneConnection } from '../phone/connectionState';
import type { HostRuntime } from '../phone/hostRuntime';
import { useOnline, useOtherEnvironment, useRuntimeState } from '../phoneContext';

export function AppBar({ title, subtitle, start, end }: { readonly title: ReactNode; readonly subtitle?: ReactNode; readonly start?: ReactNode; readonly end?: ReactNode }) {
  return (
    <header className="appbar">
      {start}
      <div className="appbar-main">
        {/* elementtiming: the phone benchmark reads when a screen was first painted (bench/phoneBench.ts) */}
        <h1 className="appbar-title ellipsis" {...{ elementtiming: 'appbar-title' }}>
          {title}
        </h1>
        {subtitle ? <div className="appbar-subtitle ellipsis">{subtitle}</div> : null}
      </div>
      {end}
    </header>
  );
}

export function IconButton({ icon, label, onClick }: { readonly icon: IconName; readonly label: string; readonly onClick: () => void }) {
  return (
    <button type="button" className="btn btn-ghost btn-icon tap" onClick={onClick} aria-label={label} title={label}>
      <Icon name={icon} />
    </button>
  );
}

/** The honest state of a host (connectionState.ts), live. */
export function useHostConnection(runtime: HostRuntime): PhoneConnection {
  const model = useRuntimeState(runtime, (s) => s.model);
  const last = useRuntimeState(runtime, (s) => s.lastFailure);
  const status = useStore(model.connection, (s) => s.status);
  const online = useOnline();
  return connectionOf(status, last, runtime.trusted.name, online, useOtherEnvironment(runtime));
}

const DOT: Record<PhoneConnection['state'], string> = {
  online: 'dot-online',
  connecting: 'dot-attention',
  reconnecting: 'dot-attention',
  offline: 'dot-offline',
  removed: 'dot-error',
  failed: 'dot-error',
};

export function StatusDot({ c }: { readonly c: PhoneConnection }) {
  return <span className={`dot ${DOT[c.state]}${c.state === 'connecting' || c.state === 'reconnecting' ? ' dot-pulse' : ''}`} aria-hidden="true" />;
}

/** Under the top bar while a host is not online (and not removed: that is a screen of its own). */
export function ConnectionBanner({ runtime }: { readonly runtime: HostRuntime }) {
  const c = useHostConnection(runtime);
  const model = useRuntimeState(runtime, (s) => s.model);
  if (c.state === 'online' || c.state === 'removed' || c.state === 'failed' || c.state === 'connecting') return null;
  return (
    <div className={`banner ${c.state === 'offline' ? 'banner-muted' : 'banner-warning'}`} role="status" data-testid="connection-banner" data-state={c.state}>
      {c.state === 'reconnecting' ? <Spinner label="Reconnecting" /> : <Icon name="plug" />}
      <span className="banner-text">
        <strong>{c.state === 'reconnecting' ? 'Reconnecting…' : c.label}</strong>
        {c.detail ? <span className="banner-detail"> {c.detail}</span> : null}
      </span>
      <button type="button" className="btn btn-sm" onClick={() => model.session.reconnectNow()}>
        Retry now
      </button>
    </div>
  );
}

export function FullState({ icon, tone, title, children, actions, testId }: { readonly icon: IconName; readonly tone?: 'danger' | 'warning'; readonly title: string; readonly children?: ReactNode; readonly actions?: ReactNode; readonly testId?: string }) {
  return (
    <div className={`full-state${tone ? ` is-${tone}` : ''}`} data-testid={testId}>
      <div className="full-state-icon">
        <Icon name={icon} />
      </div>
      <h2 className="full-state-title">{title}</h2>
      {children ? <div className="full-state-body">{children}</div> : null}
      {actions ? <div className="full-state-actions">{actions}</div> : null}
    </div>
  );
}
