/** "New thread": choose the folder, write the first message; the thread opens as it starts. */
import { useMemo, useState, type ReactNode } from 'react';
import { errorMessage } from '../../shared/util/errors';
import { useHostModel, useSelect } from '../common/host/HostProvider';
import { Composer } from '../common/views/Composer';
import { Icon } from '../common/views/Icon';
import { useUi } from './uiContext';

const CWD_KEY = 'codexHost.lastCwd';

export function NewThreadScreen({ headerStart }: { readonly headerStart?: ReactNode }) {
  const model = useHostModel();
  const ui = useUi();
  const threads = useSelect(model.threadList, (s) => s.threads);
  const online = useSelect(model.connection, (s) => s.status.kind === 'online');
  const hostName = useSelect(model.connection, (s) => s.hostInfo?.hostName);
  const suggestions = useMemo(() => [...new Set(threads.map((t) => t.cwd))].slice(0, 12), [threads]);
  const [cwd, setCwd] = useState(() => {
    try {
      return localStorage.getItem(CWD_KEY) ?? '';
    } catch {
      return '';
    }
  });
  const [touched, setTouched] = useState(false);
  const effectiveCwd = touched ? cwd : cwd || suggestions[0] || '';
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | undefined>();

  return (
    <div className="thread-view" data-testid="new-thread">
      <header className="thread-header">
        {headerStart}
        <div className="thread-header-main">
          <h1 className="thread-title">New thread</h1>
        </div>
      </header>
      <div className="thread-scroll">
        <div className="hero">
          <div className="hero-mark" aria-hidden="true">
            <Icon name="sparkle" />
          </div>
          <h2 className="hero-title">What should Codex work on?</h2>
          <p className="hero-body">
            Codex runs on {hostName ?? 'this host'} in the folder you choose, and asks before it does anything that needs your approval.
          </p>
        </div>
      </div>
      <Composer
        models={model.models}
        running={false}
        sending={sending}
        error={error}
        autoFocus
        disabled={!online}
        placeholder="Describe a task or ask a question…"
        cwd={{
          value: effectiveCwd,
          onChange: (v) => {
            setTouched(true);
            setCwd(v);
          },
          suggestions,
        }}
        onSend={async (text, choice) => {
          setSending(true);
          setError(undefined);
          try {
            const folder = effectiveCwd.trim();
            try {
              localStorage.setItem(CWD_KEY, folder);
            } catch {
              // not remembered
            }
            await model.startThread({ cwd: folder, text, model: choice.model, effort: choice.effort, onCreated: (threadId) => ui.getState().show({ kind: 'thread', threadId }) });
            return true;
          } catch (err) {
            setError(`The thread could not be started: ${errorMessage(err)}`);
            ui.getState().show({ kind: 'new' });
            return false;
          } finally {
            setSending(false);
          }
        }}
      />
    </div>
  );
}
