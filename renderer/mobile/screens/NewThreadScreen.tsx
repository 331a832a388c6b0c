/** "New thread" on a host: the folder (with the folders of recent threads as suggestions) and the first message. */
import { useMemo, useState } from 'react';
import { useStore } from 'zustand';
import { errorMessage } from '../../../shared/util/errors';
import { useHostModel } from '../../common/host/HostProvider';
import { Composer } from '../../common/views/Composer';
import { Icon } from '../../common/views/Icon';
import { folderSuggestions, readLastFolder } from '../../common/views/newThreadFolder';
import type { HostRuntime } from '../phone/hostRuntime';
import { goBack, navigate } from '../phoneContext';
import { ConnectionBanner, IconButton, useHostConnection } from './parts';

const CWD_KEY = 'codexPhone.lastCwd.';

export function NewThreadScreen({ runtime }: { readonly runtime: HostRuntime }) {
  const model = useHostModel();
  const c = useHostConnection(runtime);
  const threads = useStore(model.threadList, (s) => s.threads);
  const suggestions = useMemo(() => folderSuggestions(threads.map((t) => t.cwd)), [threads]);
  const [cwd, setCwd] = useState(() => readLastFolder(CWD_KEY + runtime.hostId));
  const [touched, setTouched] = useState(false);
  const effectiveCwd = touched ? cwd : cwd || suggestions[0] || '';
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | undefined>();
  return (
    <div className="screen" data-testid="new-thread-screen">
      <div className="thread-view">
        <header className="thread-header">
          <IconButton icon="back" label="Threads" onClick={() => goBack({ kind: 'host', hostId: runtime.hostId })} />
          <div className="thread-header-main">
            <h1 className="thread-title">New thread</h1>
            <div className="thread-subtitle ellipsis">on {runtime.trusted.name}</div>
          </div>
        </header>
        <div className="thread-scroll">
          <div className="hero">
            <div className="hero-mark" aria-hidden="true">
              <Icon name="sparkle" />
            </div>
            <h2 className="hero-title">What should Codex work on?</h2>
            <p className="hero-body">Codex runs on {runtime.trusted.name} in the folder you choose, and asks before it does anything that needs your approval.</p>
          </div>
        </div>
        <ConnectionBanner runtime={runtime} />
        <Composer
          models={model.models}
          running={false}
          sending={sending}
          error={error ?? (c.state !== 'online' && c.state !== 'connecting' ? `A new thread needs ${runtime.trusted.name} online.` : undefined)}
          disabled={c.state !== 'online'}
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
            const folder = effectiveCwd.trim();
            try {
              localStorage.setItem(CWD_KEY + runtime.hostId, folder);
            } catch {
              // not remembered
            }
            try {
              await model.startThread({ cwd: folder, text, model: choice.model, effort: choice.effort, onCreated: (threadId) => navigate({ kind: 'thread', hostId: runtime.hostId, threadId }, true) });
              return true;
            } catch (err) {
              setError(`The thread could not be started: ${errorMessage(err)}`);
              return false;
            } finally {
              setSending(false);
            }
          }}
        />
      </div>
    </div>
  );
}
