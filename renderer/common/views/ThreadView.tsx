/**
 * A thread: header, turns (opening at the newest, older ones paged in when scrolled to the
 * top), the approvals it waits on, and the composer. Works from 390 px (phone) upwards.
 */
import { useCallback, useLayoutEffect, useMemo, useRef, type ReactNode } from 'react';
import type { FileUpdateChange } from '../../../shared/protocol/appServer/experimental/v2/FileUpdateChange';
import { useHostModel, useSelect } from '../host/HostProvider';
import { NONE_AWAITING } from '../items/CommandGroup';
import { TurnView } from '../items/TurnView';
import type { PendingApproval } from '../stores/approvalsStore';
import { runningTurn, type ThreadStore } from '../stores/threadStore';
import type { TurnView as TurnData } from '../stores/threadReducer';
import { shortPath } from '../util/format';
import { ApprovalCard } from './ApprovalCard';
import { Composer, type ComposerChoice } from './Composer';
import { Icon } from './Icon';
import { EmptyState, ErrorState, Spinner } from './States';

/** Start loading older turns when the view is this close to its top (px). */
const LOAD_OLDER_THRESHOLD_PX = 400;
/** "At the bottom" (keep following new output) when within this many px of it. */
const STICK_THRESHOLD_PX = 80;

function changesFor(turns: readonly TurnData[], a: PendingApproval): FileUpdateChange[] | undefined {
  const turn = turns.find((t) => t.id === a.turnId) ?? turns[turns.length - 1];
  const item = turn?.items.find((i) => i.id === a.itemId);
  return item?.type === 'fileChange' ? item.changes : undefined;
}

/** The engine's reason, with a sentence a person understands first when there is one. */
function explainOpenError(error: string | undefined): string | undefined {
  if (error && /no rollout found/.test(error)) return `This host has no such thread: it may have been deleted, or it was started on another host. (${error})`;
  return error;
}

function StatusBadge({ store }: { readonly store: ThreadStore }) {
  const activity = useSelect(store, (s) => s.activity);
  const running = useSelect(store, (s) => runningTurn(s) !== undefined);
  if (activity === 'needsAttention') return <span className="badge badge-warning">Needs approval</span>;
  if (running || activity === 'running')
    return (
      <span className="badge badge-accent">
        <span className="dot dot-running" /> Running
      </span>
    );
  if (activity === 'error') return <span className="badge badge-danger">Error</span>;
  return null;
}

export interface ThreadViewProps {
  readonly store: ThreadStore;
  /** Left of the title (a back button on narrow screens). */
  readonly headerStart?: ReactNode;
  readonly offline?: boolean;
  /**
   * Replaces sending through the thread store (the phone queues what is written while its host
   * is out of reach, docs/mobile.md "Acting"); with it, the composer stays usable offline.
   */
  readonly onSend?: (text: string, choice: ComposerChoice) => Promise<boolean>;
  /** Shown right above the composer (the phone's queued messages). */
  readonly beforeComposer?: ReactNode;
  /** Where the thread runs, before its folder (the phone names an environment other than the host itself). */
  readonly place?: string;
}

export function ThreadView({ store, headerStart, offline, onSend, beforeComposer, place }: ThreadViewProps) {
  const model = useHostModel();
  const title = useSelect(store, (s) => s.title);
  const cwd = useSelect(store, (s) => s.cwd);
  const phase = useSelect(store, (s) => s.phase);
  const error = useSelect(store, (s) => s.error);
  const turns = useSelect(store, (s) => s.turns);
  const olderCursor = useSelect(store, (s) => s.olderCursor);
  const olderPhase = useSelect(store, (s) => s.olderPhase);
  const olderError = useSelect(store, (s) => s.olderError);
  const sending = useSelect(store, (s) => s.sending);
  const sendError = useSelect(store, (s) => s.sendError);
  const threadModel = useSelect(store, (s) => s.model);
  const threadEffort = useSelect(store, (s) => s.effort);
  const threadId = useSelect(store, (s) => s.threadId);
  const allApprovals = useSelect(model.approvals, (s) => s.pending);
  const approvals = useMemo(() => allApprovals.filter((a) => a.threadId === threadId), [allApprovals, threadId]);
  // Per turn, the items an open approval is about (a command asked for is "Wants to run", not "Running").
  const awaitingByTurn = useMemo(() => {
    const m = new Map<string, string[]>();
    for (const a of approvals) if (a.turnId && a.itemId) m.set(a.turnId, [...(m.get(a.turnId) ?? []), a.itemId]);
    return m;
  }, [approvals]);
  const running = runningTurn({ turns }) !== undefined;

  const scrollRef = useRef<HTMLDivElement>(null);
  const stick = useRef(true);
  const anchor = useRef<{ firstId: string | undefined; height: number; top: number }>({ firstId: undefined, height: 0, top: 0 });

  const onScroll = useCallback(() => {
    const el = scrollRef.current;
    if (!el) return;
    stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < STICK_THRESHOLD_PX;
    if (el.scrollTop < LOAD_OLDER_THRESHOLD_PX) void store.getState().loadOlder();
    anchor.current = { ...anchor.current, height: el.scrollHeight, top: el.scrollTop };
  }, [store]);

  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const firstId = turns[0]?.id;
    const prev = anchor.current;
    if (prev.firstId !== undefined && firstId !== prev.firstId && turns.length > 0 && !stick.current) {
      // Older turns were added above: keep what the reader looks at in place.
      el.scrollTop = prev.top + (el.scrollHeight - prev.height);
    } else if (stick.current) {
      el.scrollTop = el.scrollHeight;
    }
    anchor.current = { firstId, height: el.scrollHeight, top: el.scrollTop };
  }, [turns, approvals.length, phase]);

  let body: ReactNode;
  if (phase === 'loading') {
    body = (
      <div className="thread-content" aria-busy="true">
        {[0, 1, 2].map((i) => (
          <div key={i} className="turn">
            <div className="skeleton" style={{ alignSelf: 'flex-end', width: '42%', height: 38, borderRadius: 14 }} />
            <div className="skeleton" style={{ width: '88%', height: 14 }} />
            <div className="skeleton" style={{ width: '72%', height: 14 }} />
            <div className="skeleton" style={{ width: '54%', height: 14 }} />
          </div>
        ))}
      </div>
    );
  } else if (phase === 'error') {
    body = <ErrorState title="This thread could not be opened" message={explainOpenError(error)} onRetry={() => void store.getState().open()} />;
  } else if (turns.length === 0 && approvals.length === 0) {
    body = (
      <EmptyState icon="chat" title="No messages yet">
        Send a message to start.
      </EmptyState>
    );
  } else {
    body = (
      <div className="thread-content">
        {olderCursor ? (
          <div className="older-bar">
            {olderPhase === 'loading' ? (
              <>
                <Spinner label="Loading earlier turns" /> Loading earlier turns…
              </>
            ) : olderPhase === 'error' ? (
              <>
                <span>Earlier turns could not be loaded: {olderError}</span>
                <button type="button" className="btn btn-sm" onClick={() => void store.getState().loadOlder()}>
                  Retry
                </button>
              </>
            ) : (
              <button type="button" className="btn btn-ghost btn-sm" onClick={() => void store.getState().loadOlder()}>
                Load earlier turns
              </button>
            )}
          </div>
        ) : turns.length > 0 ? (
          <div className="older-bar">Beginning of the thread</div>
        ) : null}
        {turns.map((t) => (
          <TurnView key={t.id} turn={t} root={cwd} waitingForApproval={approvals.some((a) => a.turnId === t.id)} awaitingItemIds={awaitingByTurn.get(t.id) ?? NONE_AWAITING} />
        ))}
        {approvals.map((a) => (
          <div key={String(a.requestId)} style={{ marginTop: 12 }}>
            <ApprovalCard approval={a} changes={changesFor(turns, a)} root={cwd} onAnswer={(r) => model.approvals.getState().answer(a.requestId, r)} />
          </div>
        ))}
        {phase === 'ready' && error ? <div className="turn-note">Could not refresh: {error}</div> : null}
      </div>
    );
  }

  return (
    <div className="thread-view" data-testid="thread-view" data-thread-id={threadId}>
      <header className="thread-header">
        {headerStart}
        <div className="thread-header-main">
          <h1 className="thread-title ellipsis" title={title}>
            {title || (phase === 'loading' ? ' ' : 'Thread')}
          </h1>
          {cwd ? (
            <div className="thread-subtitle ellipsis" title={place ? `${place}: ${cwd}` : cwd}>
              {place ? (
                <span className="thread-place" data-testid="thread-place">
                  <Icon name="server" /> {place} ·{' '}
                </span>
              ) : null}
              {/* The end of a path says most: a narrow screen gets a shorter one rather than losing the end to the ellipsis. */}
              <Icon name="folder" /> <span className="path-wide">{shortPath(cwd, 80)}</span>
              <span className="path-narrow">{shortPath(cwd, 34)}</span>
            </div>
          ) : null}
        </div>
        <StatusBadge store={store} />
      </header>
      <div className="thread-scroll" ref={scrollRef} onScroll={onScroll} data-testid="thread-scroll">
        {body}
      </div>
      {beforeComposer}
      {phase === 'ready' ? (
        <Composer
          models={model.models}
          running={running}
          sending={sending}
          error={sendError}
          threadModel={threadModel}
          threadEffort={threadEffort}
          disabled={(offline && !onSend) || phase !== 'ready'}
          onSend={onSend ?? ((text, c) => store.getState().send(text, c))}
          onInterrupt={() => void store.getState().interrupt()}
        />
      ) : null}
    </div>
  );
}
