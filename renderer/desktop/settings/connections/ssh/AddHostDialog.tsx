/**
 * Add: the aliases discovered in the ssh config, a checkbox each (on = a row of the tab,
 * nothing is contacted), **Refresh** (reads the config again), the entries that could not be
 * read with their error, and **Add manually**.
 */
import { useState } from 'react';
import { useStore } from 'zustand';
import { Icon } from '../../../../common/views/Icon';
import { ManualHostForm } from './ManualHostForm';
import { SshDialog } from './SshDialog';
import type { SshSessionLike } from './sshApiClient';
import { configHosts, type SshHostsStore } from './sshHostsStore';

export function AddHostDialog({ store, session, onClose }: { readonly store: SshHostsStore; readonly session: SshSessionLike; readonly onClose: () => void }) {
  const [tab, setTab] = useState<'config' | 'manual'>('config');
  const hosts = useStore(store, (s) => s.hosts);
  const problems = useStore(store, (s) => s.problems);
  const configFile = useStore(store, (s) => s.configFile);
  const refreshing = useStore(store, (s) => s.refreshing);
  const pending = useStore(store, (s) => s.pending);
  const actionErrors = useStore(store, (s) => s.actionErrors);
  const discovered = configHosts({ hosts });

  return (
    <SshDialog title="Add SSH hosts" onClose={onClose} wide testId="ssh-add-dialog">
      <div className="segmented ssh-add-tabs" role="tablist" aria-label="How to add">
        <button type="button" role="tab" aria-selected={tab === 'config'} onClick={() => setTab('config')}>
          From your SSH config
        </button>
        <button type="button" role="tab" aria-selected={tab === 'manual'} onClick={() => setTab('manual')}>
          Add manually
        </button>
      </div>
      {tab === 'config' ? (
        <div role="tabpanel" aria-label="From your SSH config">
          <div className="ssh-config-head">
            <div className="ssh-config-file ellipsis" title={configFile}>
              {configFile || '~/.ssh/config'}
            </div>
            <button type="button" className="btn btn-sm" onClick={() => void store.getState().refresh()} disabled={refreshing}>
              <Icon name="refresh" /> {refreshing ? 'Refreshing…' : 'Refresh'}
            </button>
          </div>
          <p className="ssh-note">Check the hosts you want here. Nothing is contacted until you connect one.</p>
          {discovered.length === 0 ? (
            <div className="ssh-empty-line">No hosts in this file. Add one manually, or add a Host entry to the file and Refresh.</div>
          ) : (
            <ul className="ssh-discovered" aria-label="Hosts in your SSH config">
              {discovered.map((h) => (
                <li key={h.name}>
                  <label className="ssh-check-row">
                    <input
                      type="checkbox"
                      // While the host is asked, the box shows the change; then what the host says.
                      checked={pending[h.name] === 'pick' ? true : pending[h.name] === 'remove' ? false : h.listed || h.enabled}
                      disabled={pending[h.name] !== undefined || h.enabled}
                      onChange={(e) => void store.getState().setListed(h.name, e.target.checked)}
                    />
                    <span className="ssh-check-main">
                      <span className="ssh-alias ellipsis" title={h.name}>
                        {h.name}
                      </span>
                      <span className="ssh-check-where ellipsis">
                        {h.file?.split('/').pop()}
                        {h.line ? `:${h.line}` : ''}
                        {h.enabled ? ' · connected from the list' : ''}
                      </span>
                    </span>
                  </label>
                  {actionErrors[h.name] ? <div className="ssh-field-error">{actionErrors[h.name]}</div> : null}
                </li>
              ))}
            </ul>
          )}
          {problems.length ? (
            <>
              <h4 className="ssh-subhead">Entries that could not be read ({problems.length})</h4>
              <ul className="ssh-problems" aria-label="Entries that could not be read">
                {problems.map((p, i) => (
                  <li key={`${p.file}:${p.line ?? 0}:${i}`}>
                    <Icon name="alert" />
                    <div className="ssh-problem-text">
                      <div className="ssh-problem-where ellipsis" title={p.file}>
                        {p.alias ? <strong>{p.alias}</strong> : null}
                        {p.alias ? ' · ' : ''}
                        {p.file.split('/').pop()}
                        {p.line && !p.error.startsWith(`line ${p.line}`) ? ` line ${p.line}` : ''}
                      </div>
                      <div className="ssh-problem-error">{p.error}</div>
                    </div>
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </div>
      ) : (
        <div role="tabpanel" aria-label="Add manually">
          <ManualHostForm
            session={session}
            onDone={(host) => {
              store.getState().applyHost(host);
              onClose();
            }}
            onCancel={onClose}
          />
        </div>
      )}
    </SshDialog>
  );
}
