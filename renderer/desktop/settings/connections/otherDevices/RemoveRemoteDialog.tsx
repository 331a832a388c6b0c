/** Remove: forgets the host here (works while it is offline; nothing is sent to it). */
import type { RemoteInfo } from '../../../../../shared/protocol/features/remotesApi';
import { SshDialog } from '../ssh/SshDialog';

export function RemoveRemoteDialog({ remote, onClose, onRemove }: { readonly remote: RemoteInfo; readonly onClose: () => void; readonly onRemove: () => void }) {
  return (
    <SshDialog
      title={`Remove ${remote.name}?`}
      onClose={onClose}
      testId="remote-remove"
      footer={
        <>
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="button" className="btn btn-danger" onClick={onRemove}>
            Remove
          </button>
        </>
      }
    >
      <p className="ssh-note">
        This computer stops controlling it and forgets its key; its threads stay on {remote.details.hostName}. To control it again, add a new pairing link from it.
        {remote.state === 'removed' ? '' : ` ${remote.details.hostName} keeps listing this computer among its devices until it revokes it there.`}
      </p>
    </SshDialog>
  );
}
