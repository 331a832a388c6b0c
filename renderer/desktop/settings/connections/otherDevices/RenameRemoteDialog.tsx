/** Rename: this computer's name for the host (also its environment's name in the sidebar). */
import { useState } from 'react';
import { useStore } from 'zustand';
import type { RemoteInfo } from '../../../../../shared/protocol/features/remotesApi';
import { SshDialog } from '../ssh/SshDialog';
import type { RemotesStore } from './remotesStore';
import { FormFooter } from '../FormFooter';

const MAX_NAME = 64;

export function RenameRemoteDialog({ remote, store, onClose }: { readonly remote: RemoteInfo; readonly store: RemotesStore; readonly onClose: () => void }) {
  const [name, setName] = useState(remote.name);
  const [saving, setSaving] = useState(false);
  // A refused rename is kept beside the row by the store; the dialog shows the same sentence.
  const refusal = useStore(store, (s) => s.actionErrors[remote.id]);
  const trimmed = name.trim();
  const problem = !trimmed ? 'Give it a name.' : trimmed.length > MAX_NAME ? `At most ${MAX_NAME} characters.` : undefined;
  return (
    <SshDialog title={`Rename ${remote.name}`} onClose={onClose} testId="remote-rename">
      <form
        className="ssh-form"
        aria-label="Rename"
        noValidate
        onSubmit={async (e) => {
          e.preventDefault();
          if (problem) return;
          if (trimmed === remote.name) return onClose();
          setSaving(true);
          const ok = await store.getState().rename(remote.id, trimmed);
          setSaving(false);
          if (ok) onClose();
        }}
      >
        <label className="ssh-field">
          <span className="field-label">Name</span>
          <input className="input" name="name" value={name} maxLength={MAX_NAME + 16} autoComplete="off" aria-invalid={problem ? true : undefined} onChange={(e) => setName(e.target.value)} />
          {problem ? <span className="ssh-field-error">{problem}</span> : <span className="ssh-field-hint">Only this computer uses it; {remote.details.hostName} keeps its own name.</span>}
        </label>
        <FormFooter refusal={refusal} onCancel={onClose} submitLabel={saving ? 'Saving…' : 'Save'} submitDisabled={saving || problem !== undefined} />
      </form>
    </SshDialog>
  );
}

