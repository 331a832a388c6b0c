/**
 * The remote-TUI listener (connections-ui.md "Relay and listener"): on or off, the address,
 * the auth mode, a generated token file, and the `codex --remote …` command to copy. What it
 * shows is the host's view; Apply sends the whole setting and the host says yes or why not.
 */
import { useEffect, useId, useState } from 'react';
import { useStore } from 'zustand';
import { LISTENER_AUTH_MODES, type ListenerAuthMode, type ListenerSettings } from '../../../../../shared/protocol/features/listenerApi';
import { errorMessage } from '../../../../../shared/util/errors';
import { Icon } from '../../../../common/views/Icon';
import { Switch } from '../Switch';
import { useToast } from '../toasts';
import { copyText } from './copyText';
import type { ThisComputerModel } from './thisComputerModel';

const AUTH_LABELS: Record<ListenerAuthMode, string> = {
  none: 'None (this computer only)',
  'capability-token': 'Token file',
  'signed-bearer-token': 'Signed bearer token (HS256)',
};

export function ListenerSection({ model }: { readonly model: ThisComputerModel }) {
  const { view, loadError, pending, changeError } = useStore(model.listener);
  const toast = useToast();
  const ids = useId();
  const [draft, setDraft] = useState<ListenerSettings | undefined>(undefined);
  const key = view ? JSON.stringify(view.settings) : '';
  useEffect(() => {
    if (key) setDraft(JSON.parse(key) as ListenerSettings);
  }, [key]);
  if (!view || !draft)
    return loadError ? (
      <div className="row-error" role="alert">
        Couldn't read the listener: {loadError}
      </div>
    ) : null;
  const fixed = view.fixedByFlags;
  const edit = (patch: Partial<ListenerSettings>) => setDraft({ ...draft, ...patch });
  const changed = JSON.stringify(draft) !== key;
  const clean = (s: ListenerSettings): ListenerSettings => ({
    enabled: s.enabled,
    listen: s.listen.trim(),
    auth: s.auth,
    ...(s.auth === 'capability-token' && s.tokenFile ? { tokenFile: s.tokenFile.trim() } : {}),
    ...(s.auth === 'signed-bearer-token' && s.sharedSecretFile ? { sharedSecretFile: s.sharedSecretFile.trim() } : {}),
    ...(s.auth === 'signed-bearer-token' && s.issuer ? { issuer: s.issuer } : {}),
    ...(s.auth === 'signed-bearer-token' && s.audience ? { audience: s.audience } : {}),
  });
  const status =
    view.state === 'listening'
      ? `Listening on ${view.url ?? ''}${view.clients ? ` · ${view.clients === 1 ? '1 client' : `${view.clients} clients`}` : ''}`
      : view.state === 'failed'
        ? 'Not running'
        : 'Off';
  const generate = async () => {
    const file = await model.listener.getState().generateToken();
    if (file) {
      edit({ auth: 'capability-token', tokenFile: file });
      toast('success', `New token written to ${file}`);
    }
  };
  const copy = async (text: string) => {
    try {
      await copyText(text);
      toast('success', 'Command copied');
    } catch (err) {
      toast('error', `Couldn't copy the command: ${errorMessage(err)}`);
    }
  };
  return (
    <div className="settings-group" data-testid="listener">
      <div className="settings-row">
        <div className="settings-row-text">
          <div className="settings-row-title">Remote TUI listener</div>
          <div className="settings-row-desc">Lets the Codex TUI on another terminal connect with codex --remote.</div>
          <div className="row-status" data-testid="listener-state">
            <span className={`dot ${view.state === 'listening' ? 'dot-online' : view.state === 'failed' ? 'dot-error' : 'dot-idle'}`} /> {status}
          </div>
          {view.lastError ? <div className="row-error">Last error: {view.lastError}</div> : null}
          {fixed ? <div className="row-status">Set by --listen on the serve command line: start the host without it to change it here.</div> : null}
        </div>
        <Switch label="Remote TUI listener" checked={view.settings.enabled} busy={pending} disabled={fixed} onChange={(enabled) => void model.listener.getState().set(clean({ ...draft, enabled }))} />
      </div>
      {view.command ? (
        <div className="settings-row listener-command">
          <code className="listener-command-text">
            {view.command}
          </code>
          <button type="button" className="btn btn-sm" onClick={() => void copy(view.command!)}>
            <Icon name="copy" /> Copy command
          </button>
        </div>
      ) : null}
      {view.warnings.map((w) => (
        <div key={w} className="settings-row">
          <div className="row-error">{w}</div>
        </div>
      ))}
      {fixed ? null : (
        <div className="settings-row listener-form">
          <div className="listener-fields">
            <label className="field">
              <span className="field-label">Address</span>
              <input className="input" value={draft.listen} spellCheck={false} onChange={(e) => edit({ listen: e.target.value })} aria-describedby={`${ids}-addr`} />
              <span className="settings-row-desc" id={`${ids}-addr`}>
                ws://IP:PORT — a loopback address unless an auth mode is set
              </span>
            </label>
            <label className="field">
              <span className="field-label">Authentication</span>
              <select className="select" value={draft.auth} onChange={(e) => edit({ auth: e.target.value as ListenerAuthMode })}>
                {LISTENER_AUTH_MODES.map((m) => (
                  <option key={m} value={m}>
                    {AUTH_LABELS[m]}
                  </option>
                ))}
              </select>
            </label>
            {draft.auth === 'capability-token' ? (
              <label className="field">
                <span className="field-label">Token file</span>
                <span className="field-inline">
                  <input className="input" value={draft.tokenFile ?? ''} placeholder={view.generatedTokenFile} spellCheck={false} onChange={(e) => edit({ tokenFile: e.target.value })} />
                  <button type="button" className="btn" disabled={pending} onClick={() => void generate()}>
                    Generate token file
                  </button>
                </span>
              </label>
            ) : null}
            {draft.auth === 'signed-bearer-token' ? (
              <label className="field">
                <span className="field-label">Shared secret file (at least 32 bytes)</span>
                <input className="input" value={draft.sharedSecretFile ?? ''} spellCheck={false} onChange={(e) => edit({ sharedSecretFile: e.target.value })} />
              </label>
            ) : null}
          </div>
          <div className="relay-apply">
            <button type="button" className="btn btn-primary" disabled={!changed || pending} onClick={() => void model.listener.getState().set(clean(draft))}>
              Apply
            </button>
            {changeError ? (
              <span className="row-error" role="alert">
                {changeError}
              </span>
            ) : null}
          </div>
        </div>
      )}
    </div>
  );
}
