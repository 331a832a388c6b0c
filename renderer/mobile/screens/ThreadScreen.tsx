/**
 * A thread on the phone: the shared ThreadView (streaming items, command groups, approvals,
 * composer) with a back button, file changes as a changed-files list that opens each file's
 * diff full screen, and the messages waiting in the outbox shown above the composer. Writing
 * while the host is out of reach queues the message (sent once, on reconnect).
 */
import { lazy, Suspense, useMemo } from 'react';
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import { fileDiffOf } from '../../common/diff/parseDiff';
import { useThreadStore } from '../../common/host/HostProvider';
import { ItemOverridesProvider, type FileChangeItem, type ItemOverrides } from '../../common/items/itemOverrides';
import { Icon } from '../../common/views/Icon';
import { LoadingState, Spinner } from '../../common/views/States';
import type { ThreadState } from '../../common/stores/threadStore';
import type { HostRuntime } from '../phone/hostRuntime';
import { goBack, navigate, useOtherEnvironment } from '../phoneContext';
import { ConnectionBanner, IconButton, useHostConnection } from './parts';

const ThreadView = lazy(() => import('../../common/views/ThreadView').then((m) => ({ default: m.ThreadView })));

function baseName(p: string): string {
  return p.split('/').pop() || p;
}

/** A file change as a list of files (+n −m), each opening its diff full screen. */
function changedFiles(hostId: string, threadId: string) {
  return function ChangedFiles({ item }: { readonly item: FileChangeItem; readonly root?: string }) {
    const diffs = useMemo(() => item.changes.map(fileDiffOf), [item.changes]);
    const verb = item.status === 'inProgress' ? 'Editing' : item.status === 'declined' ? 'Declined edit of' : item.status === 'failed' ? 'Failed to edit' : 'Edited';
    return (
      <div className="item-card" data-testid="file-change">
        <div className="item-head">
          <Icon name="file" />
          <span className="item-head-title">
            {verb} {diffs.length} {diffs.length === 1 ? 'file' : 'files'}
          </span>
          {item.status === 'inProgress' ? <Spinner label="Applying" /> : null}
        </div>
        <ul className="changed-files">
          {diffs.map((d, i) => (
            <li key={d.path}>
              <button type="button" className="changed-file tap" onClick={() => navigate({ kind: 'diff', hostId, threadId, itemId: item.id, file: i })} data-testid="changed-file">
                <span className="ellipsis changed-file-name" title={d.path}>
                  <bdi>{baseName(d.path)}</bdi>
                </span>
                <span className="diff-stat-add">+{d.added}</span>
                <span className="diff-stat-del">−{d.removed}</span>
                <Icon name="chevron" />
              </button>
            </li>
          ))}
        </ul>
      </div>
    );
  };
}

function QueuedMessages({ runtime, threadId }: { readonly runtime: HostRuntime; readonly threadId: string }) {
  const all = useStore(runtime.outbox, (s) => s.items);
  const items = all.filter((m) => m.threadId === threadId);
  if (items.length === 0) return null;
  return (
    <div className="queued" data-testid="queued">
      {items.map((m) => (
        <div key={m.clientUserMessageId} className={`queued-item${m.state === 'failed' ? ' is-failed' : ''}`} data-testid="queued-item" data-state={m.state}>
          <div className="queued-text">{m.text}</div>
          <div className="queued-meta">
            {m.state === 'failed' ? (
              <>
                <span className="queued-error">Not sent: {m.error}</span>
                <button type="button" className="btn btn-sm" onClick={() => runtime.outbox.getState().retry(m.clientUserMessageId)}>
                  Send again
                </button>
              </>
            ) : m.state === 'sending' ? (
              <>
                <Spinner label="Sending" /> Sending…
              </>
            ) : (
              <span>Waiting to send · goes out when {runtime.trusted.name} is back</span>
            )}
            {m.state !== 'sending' ? (
              <button type="button" className="btn btn-sm btn-ghost" onClick={() => runtime.outbox.getState().discard(m.clientUserMessageId)}>
                Discard
              </button>
            ) : null}
          </div>
        </div>
      ))}
    </div>
  );
}

export function ThreadScreen({ runtime, threadId }: { readonly runtime: HostRuntime; readonly threadId: string }) {
  const store = useThreadStore(threadId);
  const c = useHostConnection(runtime);
  const other = useOtherEnvironment(runtime);
  const overrides = useMemo<ItemOverrides>(() => ({ fileChange: changedFiles(runtime.hostId, threadId) }), [runtime.hostId, threadId]);
  const back = <IconButton icon="back" label="Threads" onClick={() => goBack({ kind: 'host', hostId: runtime.hostId })} />;
  return (
    <div className="screen" data-testid="thread-screen">
      {store ? (
        <ItemOverridesProvider value={overrides}>
          <Suspense fallback={<LoadingState label="Opening the thread…" />}>
            <ThreadView
              key={threadId}
              store={store}
              headerStart={back}
              offline={c.state !== 'online'}
              onSend={(text, choice) => runtime.send(threadId, text, choice)}
              {...(other ? { place: other.label } : {})}
              beforeComposer={
                <>
                  <ConnectionBanner runtime={runtime} />
                  <QueuedMessages runtime={runtime} threadId={threadId} />
                </>
              }
            />
          </Suspense>
        </ItemOverridesProvider>
      ) : (
        <LoadingState label="Opening the thread…" />
      )}
    </div>
  );
}

/** Read while the thread store is still opening. */
const FALLBACK = createStore<Pick<ThreadState, 'turns' | 'cwd'>>()(() => ({ turns: [], cwd: '' }));

const DiffView = lazy(() => import('../../common/diff/DiffView').then((m) => ({ default: m.DiffView })));

/** One file of a file change, full screen (horizontal scroll for long lines). */
export function DiffScreen({ runtime, threadId, itemId, file }: { readonly runtime: HostRuntime; readonly threadId: string; readonly itemId: string; readonly file: number }) {
  const store = useThreadStore(threadId);
  const turns = useStore(store ?? FALLBACK, (s) => s.turns);
  const cwd = useStore(store ?? FALLBACK, (s) => s.cwd);
  const item = turns.flatMap((t) => t.items).find((i) => i.id === itemId);
  const change = item?.type === 'fileChange' ? item.changes[file] : undefined;
  return (
    <div className="screen" data-testid="diff-screen">
      <header className="appbar">
        <IconButton icon="back" label="Back to the thread" onClick={() => goBack({ kind: 'thread', hostId: runtime.hostId, threadId })} />
        <div className="appbar-main">
          <h1 className="appbar-title ellipsis">{change ? baseName(change.path) : 'File change'}</h1>
          {change ? <div className="appbar-subtitle ellipsis">{change.path}</div> : null}
        </div>
      </header>
      <div className="screen-scroll diff-full">
        {change ? (
          <Suspense fallback={<LoadingState label="Loading the diff…" />}>
            <DiffView changes={[change]} root={cwd} />
          </Suspense>
        ) : (
          <LoadingState label="Loading the thread…" />
        )}
      </div>
    </div>
  );
}
