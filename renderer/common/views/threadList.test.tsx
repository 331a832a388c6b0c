// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Thread } from '../../../shared/protocol/appServer/experimental/v2/Thread';
import { createThreadListStore } from '../stores/threadListStore';
import { FakeEngine } from '../testing/fakeEngine';
import { ThreadList } from './ThreadList';

afterEach(cleanup);

// jsdom lays nothing out: give elements a size so the virtualizer (which reads clientHeight) shows rows.
const sizes = { clientHeight: Object.getOwnPropertyDescriptor(Element.prototype, 'clientHeight'), clientWidth: Object.getOwnPropertyDescriptor(Element.prototype, 'clientWidth') };
beforeAll(() => {
  Object.defineProperty(Element.prototype, 'clientHeight', { configurable: true, get: () => 600 });
  Object.defineProperty(Element.prototype, 'clientWidth', { configurable: true, get: () => 280 });
});
afterAll(() => {
  for (const [k, d] of Object.entries(sizes)) if (d) Object.defineProperty(Element.prototype, k, d);
});

const thread = (id: string, preview: string) =>
  ({ id, preview, name: null, cwd: '/home/me/project', updatedAt: 100, recencyAt: null, status: { type: 'idle' }, ephemeral: false, threadSource: null }) as unknown as Thread;

async function listWith(threads: Thread[] | Error) {
  const engine = new FakeEngine().on('thread/list', () => {
    if (threads instanceof Error) throw threads;
    return { data: threads, readStates: null, nextCursor: null, backwardsCursor: null };
  });
  const store = createThreadListStore({ engine });
  await store.getState().loadFirst();
  return store;
}

describe('the thread list view', () => {
  it('shows the threads, and arrow keys + Enter open one', async () => {
    const store = await listWith([thread('a', 'First thread'), thread('b', 'Second thread'), thread('c', 'Third thread')]);
    const opened: string[] = [];
    render(<ThreadList store={store} selectedId="a" onOpen={(id) => opened.push(id)} />);
    const list = screen.getByRole('listbox', { name: 'Threads' });
    expect(screen.getAllByRole('option').map((o) => o.querySelector('.thread-row-title')?.textContent)).toEqual(['First thread', 'Second thread', 'Third thread']);
    act(() => list.focus());
    fireEvent.keyDown(list, { key: 'ArrowDown' });
    fireEvent.keyDown(list, { key: 'ArrowDown' });
    fireEvent.keyDown(list, { key: 'Enter' });
    expect(opened).toEqual(['c']);
    expect(list.getAttribute('aria-activedescendant')).toBe('thread-c');
    fireEvent.click(screen.getByText('Second thread'));
    expect(opened).toEqual(['c', 'b']);
  });

  it('says when there is nothing, and why loading failed', async () => {
    const { unmount } = render(<ThreadList store={await listWith([])} selectedId={undefined} onOpen={() => undefined} />);
    expect(screen.getByText('No threads yet')).toBeTruthy();
    unmount();
    render(<ThreadList store={await listWith(new Error('thread/list: not connected to the host'))} selectedId={undefined} onOpen={() => undefined} />);
    expect(screen.getByRole('alert').textContent).toContain('thread/list: not connected to the host');
    expect(screen.getByRole('button', { name: /Try again/ })).toBeTruthy();
  });
});
