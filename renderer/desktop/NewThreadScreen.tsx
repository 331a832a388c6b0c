/** "New thread": choose the folder, write the first message; the thread opens as it starts. */
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { errorMessage } from '../../shared/util/errors';
import { useHostModel, useSelect } from '../common/host/HostProvider';
import { Composer } from '../common/views/Composer';
import { Icon } from '../common/views/Icon';
import { folderSuggestions, readLastFolder } from '../common/views/newThreadFolder';
import { useUi } from './uiContext';
import { useEnvironmentModels } from './environmentModels';
import { environmentStatus } from './settings/connections/ssh/sshLabels';

const CWD_KEY = 'codexHost.lastCwd';

export function NewThreadScreen({ headerStart }: { readonly headerStart?: ReactNode }) {
  const model = useHostModel();
  const ui = useUi();
  const threads = useSelect(model.threadList, (s) => s.threads);
  const online = useSelect(model.connection, (s) => s.status.kind === 'online');
  const hostName = useSelect(model.connection, (s) => s.hostInfo?.hostName);
  // On an SSH host the thread runs there: its remembered projects are the folders to offer.
  const envId = useSelect(ui, (s) => s.environmentId);
  const local = useEnvironmentModels().local;
  const env = useSelect(local.connection, (s) => s.environments.find((e) => e.id === envId));
  const remote = env?.kind === 'ssh' ? env : undefined;
  // Another host this one controls: the thread runs on its engine, in a folder of that host.
  const controlled = env?.kind === 'remote' ? env : undefined;
  const projects = useRemoteProjects(local.session, remote?.label);
  const suggestions = useMemo(() => folderSuggestions([...projects, ...threads.map((t) => t.cwd)]), [threads, projects]);
  const remoteState = remote ? environmentStatus(remote) : undefined;
  const [cwd, setCwd] = useState(() => (envId === 'local' ? readLastFolder(CWD_KEY) : ''));
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
            {remote ? (
              <>
                Codex runs on the SSH host <strong>{remote.label}</strong> in the folder you choose there, and asks before it does anything that needs your approval.
                {remoteState && remoteState.text !== 'Connected' ? ` (${remoteState.text})` : ''}
              </>
            ) : controlled ? (
              <>
                Codex runs on <strong>{controlled.label}</strong>, another device you control, in the folder you choose there. Approvals are answered here.
                {online ? '' : ' Connecting to it…'}
              </>
            ) : (
              <>Codex runs on {hostName ?? 'this host'} in the folder you choose, and asks before it does anything that needs your approval.</>
            )}
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
              if (!remote && !controlled) localStorage.setItem(CWD_KEY, folder);
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

/** The remote projects of SSH host `alias` (`host/ssh/projects/list`), newest first; [] elsewhere. */
function useRemoteProjects(session: { requestHost(method: `host/${string}`, params?: unknown): Promise<unknown> }, alias: string | undefined): string[] {
  const [paths, setPaths] = useState<string[]>([]);
  useEffect(() => {
    if (!alias) return setPaths([]);
    let live = true;
    // The parser (and its schemas) load on first use, off the first screen's path.
    import('./settings/connections/ssh/sshApiClient').then(
      async ({ callSsh }) => {
        const r = await callSsh(session, 'host/ssh/projects/list', { host: alias });
        if (live) setPaths(r.projects.map((p) => p.path).reverse());
      },
    ).catch(() => undefined); // no projects offered: the folder is typed
    return () => {
      live = false;
    };
  }, [session, alias]);
  return paths;
}
