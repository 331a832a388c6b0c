/**
 * A modal dialog for the SSH tab (Add, Details, the folder picker, a password prompt): a
 * labelled `role="dialog"`, Escape and the backdrop close it, focus moves into it on open and
 * back to what had it on close. Full-screen sheet below 560 px.
 */
import { useEffect, useId, useRef, type ReactNode } from 'react';
import { Icon } from '../../../../common/views/Icon';

export function SshDialog({
  title,
  onClose,
  children,
  footer,
  wide,
  testId,
}: {
  readonly title: string;
  readonly onClose: () => void;
  readonly children: ReactNode;
  readonly footer?: ReactNode;
  readonly wide?: boolean;
  readonly testId?: string;
}) {
  const titleId = useId();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    const first = ref.current?.querySelector<HTMLElement>('input, select, textarea, button:not([data-close])');
    (first ?? ref.current)?.focus();
    return () => before?.focus?.();
  }, []);
  return (
    <div className="ssh-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div
        ref={ref}
        className={`ssh-dialog${wide ? ' is-wide' : ''}`}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        tabIndex={-1}
        data-testid={testId}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.stopPropagation();
            onClose();
          }
        }}
      >
        <header className="ssh-dialog-head">
          <h3 id={titleId} className="ssh-dialog-title ellipsis">
            {title}
          </h3>
          <button type="button" className="btn btn-ghost btn-icon btn-sm" aria-label="Close" data-close onClick={onClose}>
            <Icon name="x" />
          </button>
        </header>
        <div className="ssh-dialog-body">{children}</div>
        {footer ? <footer className="ssh-dialog-foot">{footer}</footer> : null}
      </div>
    </div>
  );
}
