import { describe, expect, it } from 'vitest';
import type { Thread } from '../../../shared/protocol/appServer/experimental/v2/Thread';
import { FakeEngine } from '../testing/fakeEngine';
import { createThreadListStore, THREAD_PAGE_SIZE } from './threadListStore';

function thread(id: string, o: Partial<Thread> = {}): Thread {
  return {
    id, environments: null, extra: null, sessionId: id, forkedFromId: null, attachedToThreadId: null, parentThreadId: null,
    preview: `preview ${id}`, ephemeral: false, section: null, sectionEnteredAt: null, projectId: null, historyMode: 'paginated',
    modelProvider: 'fake', model: null, reasoningEffort: null, createdAt: 1, updatedAt: 100, recencyAt: null, status: { type: 'notLoaded' },
    path: null, cwd: '/work/project', cliVersion: '0', originator: null, source: 'vscode', canAcceptDirectInput: null, threadSource: null,
    agentNickname: null, agentRole: null, gitInfo: null, name: null, daybreakEnabled: null, turns: [], ...o,
  } as Thread;
}

describe('the thread list', () => {
  it('loads the first page from the state database, newest first, without the TUI title threads', async () => {
    const engine = new FakeEngine().on('thread/list', () => ({
      data: [thread('a'), thread('t', { ephemeral: true }), thread('b', { threadSource: 'thread_title' }), thread('c', { name: 'Named' })],
      readStates: null,
      nextCursor: null,
      backwardsCursor: null,
    }));
    const store = createThreadListStore({ engine });
    await store.getState().loadFirst();
    expect(engine.callsOf('thread/list')).toEqual([{ limit: THREAD_PAGE_SIZE, cursor: null, sortKey: 'updated_at', sortDirection: 'desc', useStateDbOnly: true }]);
    expect(store.getState().threads.map((t) => [t.id, t.title])).toEqual([['a', 'preview a'], ['c', 'Named']]);
    expect(store.getState().phase).toBe('ready');
  });

  it('pages on with the cursor and never lists a thread twice', async () => {
    const engine = new FakeEngine().on('thread/list', (p) =>
      p.cursor ? { data: [thread('b'), thread('c')], readStates: null, nextCursor: null, backwardsCursor: null } : { data: [thread('a'), thread('b')], readStates: null, nextCursor: 'next-1', backwardsCursor: null },
    );
    const store = createThreadListStore({ engine });
    await store.getState().loadFirst();
    await store.getState().loadMore();
    expect((engine.callsOf('thread/list')[1] as { cursor: string }).cursor).toBe('next-1');
    expect(store.getState().threads.map((t) => t.id)).toEqual(['a', 'b', 'c']);
    await store.getState().loadMore(); // no cursor left: nothing happens
    expect(engine.callsOf('thread/list')).toHaveLength(2);
  });

  it('searches by title, and a slow answer to an older search does not overwrite a newer one', async () => {
    let release!: () => void;
    const engine = new FakeEngine().on('thread/list', async (p) => {
      if (p.searchTerm === 'old') await new Promise<void>((r) => (release = r));
      return { data: [thread(`hit-${p.searchTerm}`)], readStates: null, nextCursor: null, backwardsCursor: null };
    });
    const store = createThreadListStore({ engine });
    const first = store.getState().setSearch('old');
    await store.getState().setSearch('new');
    release();
    await first;
    expect(store.getState().threads.map((t) => t.id)).toEqual(['hit-new']);
    expect((engine.callsOf('thread/list')[1] as { searchTerm: string }).searchTerm).toBe('new');
  });

  it('shows an error it can retry', async () => {
    let fail = true;
    const engine = new FakeEngine().on('thread/list', () => {
      if (fail) throw new Error('thread/list: not connected to the host');
      return { data: [thread('a')], readStates: null, nextCursor: null, backwardsCursor: null };
    });
    const store = createThreadListStore({ engine });
    await store.getState().loadFirst();
    expect(store.getState()).toMatchObject({ phase: 'error', error: 'thread/list: not connected to the host' });
    fail = false;
    await store.getState().loadFirst();
    expect(store.getState()).toMatchObject({ phase: 'ready', error: undefined });
  });

  it('stays live: a started thread comes first, a thread that starts running moves up, a rename shows', async () => {
    const engine = new FakeEngine().on('thread/list', () => ({ data: [thread('a'), thread('b')], readStates: null, nextCursor: null, backwardsCursor: null }));
    const store = createThreadListStore({ engine, now: () => 200_000 });
    await store.getState().loadFirst();
    const s = store.getState();
    s.applyNotification('thread/started', { thread: thread('new', { preview: '' }) });
    s.applyNotification('thread/started', { thread: thread('title-job', { ephemeral: true, threadSource: 'thread_title' }) });
    expect(store.getState().threads.map((t) => t.id)).toEqual(['new', 'a', 'b']);
    expect(store.getState().threads[0]!.title).toBe('New thread');
    s.applyNotification('item/started', { threadId: 'new', turnId: 't', item: { type: 'userMessage', id: 'u', content: [{ type: 'text', text: 'Fix the build' }] } });
    expect(store.getState().threads[0]!.title).toBe('Fix the build');
    s.applyNotification('thread/status/changed', { threadId: 'b', status: { type: 'active', activeFlags: ['waitingOnApproval'] } });
    expect(store.getState().threads.map((t) => [t.id, t.activity])).toEqual([['b', 'needsAttention'], ['new', 'notLoaded'], ['a', 'notLoaded']]);
    s.applyNotification('thread/name/updated', { threadId: 'a', threadName: 'Renamed' });
    expect(store.getState().threads.find((t) => t.id === 'a')!.title).toBe('Renamed');
  });
});
