/**
 * Add remote project: browse the folders of a connected host (`host/ssh/browse`) — the
 * current path, **Up**, the sub-folders — and add the one shown as a project. The states:
 * "Loading folder contents…", "No folders here", "Can't open this folder" (with the host's
 * reason, and the way back).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { RemoteFolder } from '../../../../../shared/protocol/features/sshApi';
import { Icon } from '../../../../common/views/Icon';
import { Spinner } from '../../../../common/views/States';
import { SshDialog } from './SshDialog';
import { callSsh, sshErrorText, type SshSessionLike } from './sshApiClient';

type View = { kind: 'loading'; path: string } | { kind: 'ready'; folder: RemoteFolder } | { kind: 'error'; path: string; message: string };

export function FolderPickerDialog({ session, host, onClose, onAdded }: { readonly session: Pick<SshSessionLike, 'requestHost'>; readonly host: string; readonly onClose: () => void; readonly onAdded?: (path: string) => void }) {
  const [view, setView] = useState<View>({ kind: 'loading', path: '~' });
  const [last, setLast] = useState<RemoteFolder | undefined>();
  const [showHidden, setShowHidden] = useState(false);
  const [adding, setAdding] = useState(false);
  const [addError, setAddError] = useState<string | undefined>();
  const seq = useRef(0);

  const open = useCallback(
    async (path: string) => {
      const mine = ++seq.current;
      setView({ kind: 'loading', path });
      setAddError(undefined);
      try {
        const folder = await callSsh(session, 'host/ssh/browse', { host, path });
        if (mine !== seq.current) return; // a later click won
        setView({ kind: 'ready', folder });
        setLast(folder);
      } catch (err) {
        if (mine === seq.current) setView({ kind: 'error', path, message: sshErrorText(err) });
      }
    },
    [session, host],
  );
  useEffect(() => void open('~'), [open]);

  const path = view.kind === 'ready' ? view.folder.path : view.path;
  const parent = view.kind === 'ready' ? view.folder.parent : last && view.kind === 'error' ? last.path : null;
  const entries = view.kind === 'ready' ? view.folder.entries.filter((e) => showHidden || !e.hidden) : [];
  const hiddenCount = view.kind === 'ready' ? view.folder.entries.filter((e) => e.hidden).length : 0;

  return (
    <SshDialog
      title={`Add remote project — ${host}`}
      onClose={onClose}
      testId="ssh-folder-picker"
      footer={
        <>
          {addError ? (
            <div className="ssh-form-refusal ssh-foot-error" role="alert">
              {addError}
            </div>
          ) : null}
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button
            type="button"
            className="btn btn-primary"
            disabled={view.kind !== 'ready' || adding}
            onClick={async () => {
              if (view.kind !== 'ready') return;
              setAdding(true);
              setAddError(undefined);
              try {
                const r = await callSsh(session, 'host/ssh/projects/add', { host, path: view.folder.path });
                onAdded?.(r.project.path);
                onClose();
              } catch (err) {
                setAddError(sshErrorText(err));
              } finally {
                setAdding(false);
              }
            }}
          >
            {adding ? 'Adding…' : 'Add this folder'}
          </button>
        </>
      }
    >
      <div className="ssh-picker-bar">
        <button type="button" className="btn btn-sm" disabled={!parent || view.kind === 'loading'} onClick={() => parent && void open(parent)}>
          <Icon name="back" /> Up
        </button>
        <div className="ssh-picker-path ellipsis" title={path} data-testid="ssh-picker-path">
          {/* right-to-left box, left-to-right text: a long path loses its start, not its end */}
          <bdi dir="ltr">{path}</bdi>
        </div>
      </div>
      <div className="ssh-picker-list" aria-live="polite">
        {view.kind === 'loading' ? (
          <div className="ssh-picker-state">
            <Spinner label="Loading folder contents…" /> Loading folder contents…
          </div>
        ) : view.kind === 'error' ? (
          <div className="ssh-picker-state is-error" role="alert">
            <Icon name="alert" />
            <div>
              <div className="ssh-picker-state-title">Can&apos;t open this folder</div>
              <div className="ssh-picker-state-body">{view.message.replace(/^Can't open this folder:\s*/, '')}</div>
              <button type="button" className="btn btn-sm" onClick={() => void open(last?.path ?? '~')}>
                {last ? `Back to ${last.path}` : 'Try again'}
              </button>
            </div>
          </div>
        ) : entries.length === 0 ? (
          <div className="ssh-picker-state">
            <Icon name="folder" /> No folders here
          </div>
        ) : (
          <ul aria-label={`Folders in ${path}`}>
            {entries.map((e) => (
              <li key={e.path}>
                <button type="button" className="ssh-picker-entry" onClick={() => void open(e.path)} title={e.path}>
                  <Icon name="folder" />
                  <span className="ellipsis">{e.name}</span>
                  <Icon name="chevron" />
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
      {view.kind === 'ready' && (hiddenCount > 0 || view.folder.truncated) ? (
        <div className="ssh-picker-foot">
          {hiddenCount > 0 ? (
            <label className="ssh-inline-check">
              <input type="checkbox" checked={showHidden} onChange={(e) => setShowHidden(e.target.checked)} /> Show hidden folders ({hiddenCount})
            </label>
          ) : null}
          {view.folder.truncated ? <span className="ssh-note">Only the first {view.folder.entries.length} folders are listed.</span> : null}
        </div>
      ) : null}
    </SshDialog>
  );
}
