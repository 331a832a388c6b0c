import { describe, expect, it } from 'vitest';
import type { Turn } from '../../../shared/protocol/appServer/experimental/v2/Turn';
import type { ThreadResumeResponse } from '../../../shared/protocol/appServer/experimental/v2/ThreadResumeResponse';
import { FakeEngine } from '../testing/fakeEngine';
import { createThreadStore, runningTurn, TURNS_PAGE_SIZE } from './threadStore';

const T = 'thread-1';
const turn = (id: string, status: Turn['status'] = 'completed', text = id): Turn => ({
  id, rootTurnId: id, itemsView: 'full', status, error: null, startedAt: 1, completedAt: null, durationMs: null,
  items: [{ type: 'userMessage', id: `u-${id}`, clientId: null, content: [{ type: 'text', text, text_elements: [] }] }],
});

function resumeResponse(turns: Turn[], nextCursor: string | null): ThreadResumeResponse {
  return {
    thread: { id: T, name: 'Fix it', preview: 'p', cwd: '/w', model: 'm1', reasoningEffort: 'low', status: { type: 'idle' }, ephemeral: false, threadSource: null, turns: [] },
    model: 'm1',
    reasoningEffort: 'low',
    initialTurnsPage: { data: turns, nextCursor, backwardsCursor: null },
  } as unknown as ThreadResumeResponse;
}

describe('an open thread', () => {
  it('opens with the newest page and no full history, then pages back with the cursor', async () => {
    const engine = new FakeEngine()
      .on('thread/resume', () => resumeResponse([turn('t3'), turn('t2')], 'older-1'))
      .on('thread/turns/list', () => ({ data: [turn('t1')], nextCursor: null, backwardsCursor: null }));
    const store = createThreadStore({ engine, threadId: T });
    expect(store.getState().phase).toBe('loading');
    await store.getState().open();
    expect(engine.callsOf('thread/resume')).toEqual([{ threadId: T, excludeTurns: true, initialTurnsPage: { limit: TURNS_PAGE_SIZE, sortDirection: 'desc', itemsView: 'full' } }]);
    expect(store.getState()).toMatchObject({ phase: 'ready', title: 'Fix it', cwd: '/w', olderCursor: 'older-1' });
    expect(store.getState().turns.map((t) => t.id)).toEqual(['t2', 't3']);
    await store.getState().loadOlder();
    expect(engine.callsOf('thread/turns/list')).toEqual([{ threadId: T, cursor: 'older-1', limit: TURNS_PAGE_SIZE, sortDirection: 'desc', itemsView: 'full' }]);
    expect(store.getState().turns.map((t) => t.id)).toEqual(['t1', 't2', 't3']);
    expect(store.getState().olderCursor).toBeNull();
    // re-opened after a reconnect: the way back stays where paging had reached
    await store.getState().open();
    expect(store.getState().turns.map((t) => t.id)).toEqual(['t1', 't2', 't3']);
    expect(store.getState().olderCursor).toBeNull();
  });

  it('sends a new turn when idle, and steers the running one with expectedTurnId', async () => {
    const engine = new FakeEngine()
      .on('thread/resume', () => resumeResponse([turn('t1')], null))
      .on('turn/start', () => ({ turn: { ...turn('t2', 'inProgress'), items: [] } }))
      .on('turn/steer', (p) => ({ turnId: p.expectedTurnId }));
    const store = createThreadStore({ engine, threadId: T });
    await store.getState().open();
    expect(await store.getState().send('  do it  ', { model: 'm2', effort: 'high' })).toBe(true);
    const start = engine.callsOf('turn/start')[0] as Record<string, unknown>;
    expect(start).toMatchObject({ threadId: T, input: [{ type: 'text', text: 'do it', text_elements: [] }], model: 'm2', effort: 'high' });
    expect(start.clientUserMessageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(runningTurn(store.getState())?.id).toBe('t2');
    await store.getState().send('and this');
    expect(engine.callsOf('turn/steer')[0]).toMatchObject({ threadId: T, expectedTurnId: 't2', input: [{ type: 'text', text: 'and this', text_elements: [] }] });
    expect(await store.getState().send('   ')).toBe(false);
  });

  it('a steer that loses the race with the turn ending starts the next turn instead', async () => {
    const engine = new FakeEngine()
      .on('thread/resume', () => resumeResponse([turn('t1', 'inProgress')], null))
      .on('turn/steer', () => {
        store.getState().applyNotification('turn/completed', { threadId: T, turn: { ...turn('t1', 'completed'), items: [] } });
        throw new Error('expected active turn id `t1` but found none');
      })
      .on('turn/start', () => ({ turn: { ...turn('t2', 'inProgress'), items: [] } }));
    const store = createThreadStore({ engine, threadId: T });
    await store.getState().open();
    expect(await store.getState().send('late')).toBe(true);
    expect(engine.callsOf('turn/start')).toHaveLength(1);
    expect(store.getState().sendError).toBeUndefined();
  });

  it('shows why a send failed and keeps the thread usable', async () => {
    const engine = new FakeEngine().on('thread/resume', () => resumeResponse([turn('t1')], null)).on('turn/start', () => {
      throw new Error('turn/start: not connected to the host');
    });
    const store = createThreadStore({ engine, threadId: T });
    await store.getState().open();
    expect(await store.getState().send('hi')).toBe(false);
    expect(store.getState()).toMatchObject({ sending: false, sendError: 'turn/start: not connected to the host', phase: 'ready' });
  });

  it('interrupts the running turn', async () => {
    const engine = new FakeEngine().on('thread/resume', () => resumeResponse([turn('t1', 'inProgress')], null)).on('turn/interrupt', () => ({}));
    const store = createThreadStore({ engine, threadId: T });
    await store.getState().open();
    await store.getState().interrupt();
    expect(engine.callsOf('turn/interrupt')).toEqual([{ threadId: T, turnId: 't1' }]);
  });

  it('ignores events of other threads', async () => {
    const engine = new FakeEngine().on('thread/resume', () => resumeResponse([turn('t1', 'inProgress')], null));
    const store = createThreadStore({ engine, threadId: T });
    await store.getState().open();
    const before = store.getState().turns;
    store.getState().applyNotification('item/agentMessage/delta', { threadId: 'other', turnId: 't1', itemId: 'x', delta: 'no' });
    expect(store.getState().turns).toBe(before);
  });

  it('a thread that cannot be opened says why', async () => {
    const engine = new FakeEngine().on('thread/resume', () => {
      throw new Error('no rollout found for thread id thread-1');
    });
    const store = createThreadStore({ engine, threadId: T });
    await store.getState().open();
    expect(store.getState()).toMatchObject({ phase: 'error', error: 'no rollout found for thread id thread-1' });
  });
});
