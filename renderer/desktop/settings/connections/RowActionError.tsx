import { Icon } from '../../../common/views/Icon';

/** The failed action's message under a host row, with a button that dismisses it. */
export function RowActionError({ message, onDismiss }: { readonly message: string; readonly onDismiss: () => void }) {
  return (
    <div className="ssh-action-error" role="alert">
      <span>{message}</span>
      <button type="button" className="btn btn-ghost btn-icon btn-sm" aria-label="Dismiss" onClick={onDismiss}>
        <Icon name="x" />
      </button>
    </div>
  );
}
