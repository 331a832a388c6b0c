/**
 * The thread list: virtualized (only the rows on screen exist, so 1,000 threads cost what 20
 * do), the next page loaded when the end comes into view, arrow keys to move, Enter to open.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useSelect } from '../host/HostProvider';
import type { ThreadListStore } from '../stores/threadListStore';
import type { ThreadSummary } from '../stores/threadSummary';
import { relativeTime, shortPath } from '../util/format';
import { EmptyState, ErrorState, Spinner } from './States';

const ROW_HEIGHT = 54;

const Row = memo(function Row({ t, selected, focused, top, onOpen }: { readonly t: ThreadSummary; readonly selected: boolean; readonly focused: boolean; readonly top: number; readonly onOpen: (id: string) => void }) {
  const dot = t.activity === 'running' ? 'dot-running' : t.activity === 'needsAttention' ? 'dot-attention' : t.activity === 'error' ? 'dot-error' : 'dot-idle';
  return (
    <div
      role="option"
      id={`thread-${t.id}`}
      aria-selected={selected}
      className={`thread-row${focused ? ' is-focused' : ''}`}
      style={{ transform: `translateY(${top}px)` }}
      onClick={() => onOpen(t.id)}
      data-testid="thread-row"
      data-thread-id={t.id}
    >
      <span className={`dot ${dot}`} aria-label={t.activity === 'needsAttention' ? 'needs approval' : t.activity === 'running' ? 'running' : undefined} />
      <div className="thread-row-main">
        {/* elementtiming: the benchmark reads when the first row was painted (bench/rendererBench.ts) */}
        <div className="thread-row-title ellipsis" title={t.title} {...{ elementtiming: 'thread-row' }}>
          {t.title}
        </div>
        <div className="thread-row-meta">
          <span className="ellipsis" title={t.cwd}>
            {shortPath(t.cwd, 40)}
          </span>
          <span className="thread-row-time">{relativeTime(t.updatedAt)}</span>
        </div>
      </div>
    </div>
  );
});

export interface ThreadListProps {
  readonly store: ThreadListStore;
  readonly selectedId: string | undefined;
  readonly onOpen: (threadId: string) => void;
  readonly offline?: boolean;
}

export function ThreadList({ store, selectedId, onOpen, offline }: ThreadListProps) {
  const threads = useSelect(store, (s) => s.threads);
  const phase = useSelect(store, (s) => s.phase);
  const error = useSelect(store, (s) => s.error);
  const hasMore = useSelect(store, (s) => s.nextCursor !== null);
  const search = useSelect(store, (s) => s.search);
  const parentRef = useRef<HTMLDivElement>(null);
  const [focusIndex, setFocusIndex] = useState(-1);

  const virtualizer = useVirtualizer({
    count: threads.length,
    getScrollElement: () => parentRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
    initialRect: { width: 280, height: 800 },
  });
  const items = virtualizer.getVirtualItems();
  const last = items[items.length - 1];

  useEffect(() => {
    if (last && last.index >= threads.length - 10 && hasMore) void store.getState().loadMore();
  }, [last, threads.length, hasMore, store]);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (!threads.length) return;
    let next = focusIndex;
    if (e.key === 'ArrowDown') next = Math.min(threads.length - 1, focusIndex + 1);
    else if (e.key === 'ArrowUp') next = Math.max(0, focusIndex - 1);
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = threads.length - 1;
    else if (e.key === 'Enter' && focusIndex >= 0) {
      e.preventDefault();
      onOpen(threads[focusIndex]!.id);
      return;
    } else return;
    e.preventDefault();
    setFocusIndex(next);
    virtualizer.scrollToIndex(next, { align: 'auto' });
  };

  if (phase === 'loading' && threads.length === 0) {
    return (
      <div className="thread-list" aria-busy="true" aria-label="Loading threads">
        {Array.from({ length: 7 }, (_, i) => (
          <div key={i} style={{ padding: '10px 10px', display: 'flex', flexDirection: 'column', gap: 6 }}>
            <div className="skeleton" style={{ height: 13, width: `${70 - ((i * 13) % 30)}%` }} />
            <div className="skeleton" style={{ height: 10, width: '45%' }} />
          </div>
        ))}
      </div>
    );
  }
  if (phase === 'error' && threads.length === 0) {
    return <ErrorState title="Threads could not be loaded" message={error} onRetry={offline ? undefined : () => void store.getState().loadFirst()} />;
  }
  if (threads.length === 0) {
    return search ? (
      <EmptyState icon="search" title="No matching threads">
        Nothing is titled “{search}”.
      </EmptyState>
    ) : (
      <EmptyState icon="chat" title="No threads yet">
        Start one with New thread.
      </EmptyState>
    );
  }

  const activeId = focusIndex >= 0 ? threads[focusIndex]?.id : undefined;
  return (
    <div
      ref={parentRef}
      className="thread-list"
      role="listbox"
      aria-label="Threads"
      tabIndex={0}
      aria-activedescendant={activeId ? `thread-${activeId}` : undefined}
      onKeyDown={onKeyDown}
      onFocus={() => focusIndex < 0 && setFocusIndex(Math.max(0, threads.findIndex((t) => t.id === selectedId)))}
      onMouseDown={(e) => {
        // A click moves the keyboard position too, so arrows continue from the clicked row.
        const row = (e.target as HTMLElement).closest('[data-thread-id]');
        const i = row ? threads.findIndex((t) => t.id === row.getAttribute('data-thread-id')) : -1;
        if (i >= 0) setFocusIndex(i);
      }}
      onBlur={() => setFocusIndex(-1)}
      data-testid="thread-list"
    >
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {items.map((v) => {
          const t = threads[v.index]!;
          return <Row key={t.id} t={t} top={v.start} selected={t.id === selectedId} focused={v.index === focusIndex} onOpen={onOpen} />;
        })}
      </div>
      {phase === 'more' ? (
        <div className="list-footer">
          <Spinner label="Loading more threads" />
        </div>
      ) : phase === 'error' ? (
        <div className="list-footer">
          <button type="button" className="btn btn-sm" onClick={() => void store.getState().loadMore()}>
            Couldn’t load more · Retry
          </button>
        </div>
      ) : null}
    </div>
  );
}
