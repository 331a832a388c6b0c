import { describe, expect, it } from 'vitest';
import { createApprovalsStore } from './approvalsStore';

const params = (turnId = 'turn-1') => ({ threadId: 'th', turnId, itemId: 'item-1', command: 'ls' });

describe('pending approvals', () => {
  it('answers through the request it came with, once, and leaves on serverRequest/resolved', () => {
    const store = createApprovalsStore(() => 42);
    const answers: unknown[] = [];
    store.getState().add(7, 'item/commandExecution/requestApproval', params(), (r) => answers.push(r));
    expect(store.getState().pending).toMatchObject([{ requestId: 7, threadId: 'th', turnId: 'turn-1', itemId: 'item-1', state: 'open', receivedAt: 42 }]);
    store.getState().answer(7, { decision: 'accept' });
    store.getState().answer(7, { decision: 'decline' });
    expect(answers).toEqual([{ decision: 'accept' }]);
    expect(store.getState().pending[0]!.state).toBe('sending');
    store.getState().resolved(7);
    expect(store.getState().pending).toEqual([]);
  });

  it('a request someone else answered leaves without an answer from here', () => {
    const store = createApprovalsStore();
    const answers: unknown[] = [];
    store.getState().add(1, 'item/fileChange/requestApproval', params(), (r) => answers.push(r));
    store.getState().resolved(1);
    store.getState().answer(1, { decision: 'accept' });
    expect(answers).toEqual([]);
    expect(store.getState().pending).toEqual([]);
  });

  it('a replayed request (same id) replaces its card instead of adding one', () => {
    const store = createApprovalsStore();
    store.getState().add(3, 'item/commandExecution/requestApproval', params(), () => undefined);
    store.getState().add(3, 'item/commandExecution/requestApproval', params(), () => undefined);
    expect(store.getState().pending).toHaveLength(1);
  });

  it('a finished turn and a lost connection clear what can no longer be answered', () => {
    const store = createApprovalsStore();
    store.getState().add(1, 'item/commandExecution/requestApproval', params('a'), () => undefined);
    store.getState().add(2, 'item/commandExecution/requestApproval', params('b'), () => undefined);
    store.getState().turnEnded('th', 'a');
    expect(store.getState().pending.map((p) => p.requestId)).toEqual([2]);
    store.getState().clear();
    expect(store.getState().pending).toEqual([]);
  });

  it('a failed send is shown on the card', () => {
    const store = createApprovalsStore();
    store.getState().add(1, 'item/commandExecution/requestApproval', params(), () => {
      throw new Error('connection closed (1006)');
    });
    store.getState().answer(1, { decision: 'accept' });
    expect(store.getState().pending[0]).toMatchObject({ state: 'failed', error: 'connection closed (1006)' });
  });
});
