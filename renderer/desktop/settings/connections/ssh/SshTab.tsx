/**
 * The SSH tab of Settings > Connections (connections-ui.md, "SSH"): header "SSH hosts" with
 * **Add**, the hosts on the user's list with their live state, the Add dialog (discovered
 * aliases, Add manually), Details, the folder picker for remote projects, Edit, Remove, and the
 * password prompts a connecting host asks. It talks to the host's `ssh` feature through the
 * session it is given and stays live through the host's notifications.
 */
import { useEffect, useMemo, useState } from 'react';
import { useStore } from 'zustand';
import type { SshHostInfo } from '../../../../../shared/protocol/features/sshApi';
import type { HostSession } from '../../../../common/host/hostSession';
import { Icon } from '../../../../common/views/Icon';
import { EmptyState, ErrorState, LoadingState } from '../../../../common/views/States';
import { AddHostDialog } from './AddHostDialog';
import { FolderPickerDialog } from './FolderPickerDialog';
import { HostDetailsDialog } from './HostDetailsDialog';
import { ManualHostForm } from './ManualHostForm';
import { PromptDialog } from './PromptDialog';
import { SshDialog } from './SshDialog';
import { SshHostRow } from './SshHostRow';
import type { SshSessionLike } from './sshApiClient';
import { createSshHostsStore, listedHosts } from './sshHostsStore';
import './ssh.css';

type Dialog =
  | { kind: 'add' }
  | { kind: 'details'; name: string }
  | { kind: 'folders'; name: string }
  | { kind: 'edit'; name: string }
  | { kind: 'remove'; name: string };

export function SshTab({ session }: { readonly session: HostSession | SshSessionLike }) {
  const store = useMemo(() => createSshHostsStore(session), [session]);
  useEffect(() => {
    store.getState().start();
    return () => store.getState().dispose();
  }, [store, session]);

  const phase = useStore(store, (s) => s.phase);
  const loadError = useStore(store, (s) => s.loadError);
  const hosts = useStore(store, (s) => s.hosts);
  const pending = useStore(store, (s) => s.pending);
  const actionErrors = useStore(store, (s) => s.actionErrors);
  const projects = useStore(store, (s) => s.projects);
  const prompts = useStore(store, (s) => s.prompts);
  const [dialog, setDialog] = useState<Dialog | undefined>();
  const rows = listedHosts({ hosts });
  const byName = (name: string): SshHostInfo | undefined => hosts.find((h) => h.name === name);
  const close = () => setDialog(undefined);
  const a = store.getState();

  const addButton = (
    <button type="button" className="btn btn-primary btn-sm" onClick={() => setDialog({ kind: 'add' })}>
      <Icon name="plus" /> Add
    </button>
  );

  let body;
  if (phase === 'loading') body = <LoadingState label="Loading SSH hosts…" />;
  else if (phase === 'error') body = <ErrorState title="SSH hosts could not be loaded" message={loadError} onRetry={() => void a.load()} />;
  else if (rows.length === 0)
    body = (
      <div className="settings-group">
        <EmptyState icon="server" title="No SSH hosts yet" action={addButton}>
          Add a host from your SSH config or by hand, and Codex can run there: its threads work on that machine&apos;s files.
        </EmptyState>
      </div>
    );
  else
    body = (
      <ul className="settings-group ssh-list" aria-label="SSH hosts">
        {rows.map((h) => (
          <SshHostRow
            key={h.name}
            host={h}
            pending={pending[h.name]}
            actionError={actionErrors[h.name]}
            projects={projects.filter((p) => p.host === h.name)}
            handlers={{
              onToggle: (on) => void a.setEnabled(h.name, on),
              onTrust: (fp) => void a.trust(h.name, fp),
              onDetails: () => setDialog({ kind: 'details', name: h.name }),
              onRestart: () => void a.restart(h.name),
              onAddProject: () => setDialog({ kind: 'folders', name: h.name }),
              onEdit: () => setDialog({ kind: 'edit', name: h.name }),
              onRemove: () => setDialog({ kind: 'remove', name: h.name }),
              onDismissError: () => a.dismissError(h.name),
            }}
          />
        ))}
      </ul>
    );

  const open = dialog && dialog.kind !== 'add' ? byName(dialog.name) : undefined;
  return (
    <div className="ssh-tab" data-testid="ssh-tab">
      <div className="ssh-tab-head">
        <h3 className="ssh-tab-title">SSH hosts</h3>
        {phase === 'ready' && rows.length > 0 ? addButton : null}
      </div>
      {body}
      {dialog?.kind === 'add' ? <AddHostDialog store={store} session={session} onClose={close} /> : null}
      {dialog?.kind === 'details' && open ? <HostDetailsDialog host={open} onClose={close} /> : null}
      {dialog?.kind === 'folders' && open ? <FolderPickerDialog session={session} host={open.name} onClose={close} /> : null}
      {dialog?.kind === 'edit' && open ? (
        <SshDialog title={`Edit ${open.name}`} onClose={close} testId="ssh-edit">
          <ManualHostForm
            session={session}
            editing={open}
            onDone={(host) => {
              a.applyHost(host, open.name);
              close();
            }}
            onCancel={close}
          />
        </SshDialog>
      ) : null}
      {dialog?.kind === 'remove' && open ? (
        <SshDialog
          title={`Remove ${open.name}?`}
          onClose={close}
          testId="ssh-remove"
          footer={
            <>
              <button type="button" className="btn" onClick={close}>
                Cancel
              </button>
              <button
                type="button"
                className="btn btn-danger"
                onClick={() => {
                  close();
                  void a.remove(open.name);
                }}
              >
                Remove
              </button>
            </>
          }
        >
          <p className="ssh-note">
            {open.enabled ? 'It disconnects, its remote Codex stops, and ' : ''}
            its remote projects are forgotten.{' '}
            {open.source === 'manual' ? 'The host is deleted, with its trusted key unless another of your hosts connects to the same address.' : 'It stays in your SSH config; you can check it again under Add.'}
          </p>
        </SshDialog>
      ) : null}
      {prompts[0] ? <PromptDialog key={prompts[0].promptId} prompt={prompts[0]} session={session} /> : null}
    </div>
  );
}
