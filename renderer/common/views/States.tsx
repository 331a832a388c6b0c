/** Empty, loading and error states, one look everywhere. */
import type { ReactNode } from 'react';
import { Icon, type IconName } from './Icon';

export function Spinner({ label = 'Loading' }: { readonly label?: string }) {
  return <span className="spinner" role="status" aria-label={label} />;
}

export function EmptyState({ icon, title, children, action }: { readonly icon: IconName; readonly title: string; readonly children?: ReactNode; readonly action?: ReactNode }) {
  return (
    <div className="state">
      <div className="state-icon">
        <Icon name={icon} />
      </div>
      <div className="state-title">{title}</div>
      {children ? <div className="state-body">{children}</div> : null}
      {action}
    </div>
  );
}

export function ErrorState({ title, message, onRetry }: { readonly title: string; readonly message: string | undefined; readonly onRetry?: () => void }) {
  return (
    <div className="state state-error" role="alert">
      <div className="state-icon">
        <Icon name="alert" />
      </div>
      <div className="state-title">{title}</div>
      {message ? <div className="state-body">{message}</div> : null}
      {onRetry ? (
        <button type="button" className="btn" onClick={onRetry}>
          <Icon name="refresh" /> Try again
        </button>
      ) : null}
    </div>
  );
}

export function LoadingState({ label }: { readonly label: string }) {
  return (
    <div className="state" aria-busy="true">
      <Spinner label={label} />
      <div className="state-body">{label}</div>
    </div>
  );
}
