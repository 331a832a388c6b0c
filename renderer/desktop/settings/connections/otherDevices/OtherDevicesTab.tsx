/**
 * The **Control other devices** tab of Settings > Connections (connections-ui.md): header
 * "Devices you can control from this computer" with **Add** (paste another host's pairing
 * link) and **Refresh**, one row per controlled host with its live subtitle, the Connect toggle
 * and the menu (Rename, Details, Disconnect, Remove), and the empty and error states. It talks
 * to the host's `remotes` feature through the session it is given and stays live through the
 * host's notifications. A host that cannot control others (Windows) never offers this tab; if
 * one is reached anyway, the host's own sentence says why.
 */
import { useEffect, useMemo, useState } from 'react';
import { useStore } from 'zustand';
import type { HostSession } from '../../../../common/host/hostSession';
import { Icon } from '../../../../common/views/Icon';
import { EmptyState, ErrorState, LoadingState } from '../../../../common/views/States';
import { AddRemoteDialog } from './AddRemoteDialog';
import { RemoteDetailsDialog } from './RemoteDetailsDialog';
import { RemoteRow } from './RemoteRow';
import { RemoveRemoteDialog } from './RemoveRemoteDialog';
import { RenameRemoteDialog } from './RenameRemoteDialog';
import type { RemotesSessionLike } from './remotesApiClient';
import { createRemotesStore } from './remotesStore';
import '../ssh/ssh.css';
import './otherDevices.css';

type Dialog = { kind: 'add' } | { kind: 'rename' | 'details' | 'remove'; id: string };

export function OtherDevicesTab({ session }: { readonly session: HostSession | RemotesSessionLike }) {
  const store = useMemo(() => createRemotesStore(session), [session]);
  useEffect(() => {
    store.getState().start();
    return () => store.getState().dispose();
  }, [store]);

  const phase = useStore(store, (s) => s.phase);
  const loadError = useStore(store, (s) => s.loadError);
  const remotes = useStore(store, (s) => s.remotes);
  const problem = useStore(store, (s) => s.problem);
  const refreshing = useStore(store, (s) => s.refreshing);
  const pending = useStore(store, (s) => s.pending);
  const actionErrors = useStore(store, (s) => s.actionErrors);
  const [dialog, setDialog] = useState<Dialog | undefined>();
  const close = () => setDialog(undefined);
  const a = store.getState();
  const open = dialog && dialog.kind !== 'add' ? remotes.find((r) => r.id === dialog.id) : undefined;

  const addButton = (
    <button type="button" className="btn btn-primary btn-sm" onClick={() => setDialog({ kind: 'add' })}>
      <Icon name="plus" /> Add
    </button>
  );

  let body;
  if (phase === 'loading') body = <LoadingState label="Loading devices…" />;
  else if (phase === 'error') body = <ErrorState title="Devices could not be loaded" message={loadError} onRetry={() => void a.load()} />;
  else if (remotes.length === 0)
    body = (
      <div className="settings-group">
        <EmptyState icon="computer" title="No devices yet" action={addButton}>
          Add another computer running Codex Host with the pairing link it shows, and its threads open here. It can control this computer at the same time.
        </EmptyState>
      </div>
    );
  else
    body = (
      <ul className="settings-group ssh-list" aria-label="Devices you can control">
        {remotes.map((r) => (
          <RemoteRow
            key={r.id}
            remote={r}
            pending={pending[r.id]}
            actionError={dialog?.kind === 'rename' && dialog.id === r.id ? undefined : actionErrors[r.id]}
            handlers={{
              onToggle: (on) => void a.setConnected(r.id, on),
              onRename: () => {
                a.dismissError(r.id);
                setDialog({ kind: 'rename', id: r.id });
              },
              onDetails: () => setDialog({ kind: 'details', id: r.id }),
              onRemove: () => setDialog({ kind: 'remove', id: r.id }),
              onDismissError: () => a.dismissError(r.id),
            }}
          />
        ))}
      </ul>
    );

  return (
    <div className="ssh-tab od-tab" data-testid="other-devices-tab">
      <div className="ssh-tab-head">
        <h3 className="ssh-tab-title">Devices you can control from this computer</h3>
        <div className="od-head-actions">
          <button type="button" className="btn btn-ghost btn-sm" onClick={() => void a.refresh()} disabled={refreshing || phase === 'loading'} aria-label="Refresh the list">
            <Icon name="refresh" /> {refreshing ? 'Refreshing…' : 'Refresh'}
          </button>
          {phase === 'ready' && remotes.length > 0 ? addButton : null}
        </div>
      </div>
      {phase === 'ready' && loadError ? (
        <div className="ssh-action-error od-banner" role="alert">
          <span>The list could not be read again: {loadError}</span>
        </div>
      ) : null}
      {problem ? (
        <div className="ssh-action-error od-banner" role="alert">
          <span>{problem}</span>
        </div>
      ) : null}
      {body}
      {dialog?.kind === 'add' ? <AddRemoteDialog store={store} onClose={close} onAdded={close} /> : null}
      {dialog?.kind === 'rename' && open ? <RenameRemoteDialog remote={open} store={store} onClose={close} /> : null}
      {dialog?.kind === 'details' && open ? <RemoteDetailsDialog remote={open} onClose={close} /> : null}
      {dialog?.kind === 'remove' && open ? (
        <RemoveRemoteDialog
          remote={open}
          onClose={close}
          onRemove={() => {
            close();
            void a.remove(open.id);
          }}
        />
      ) : null}
    </div>
  );
}
