import { describe, expect, it } from 'vitest';
import { memoryStore } from '../platform/kvStore';
import { createOutbox, type QueuedMessage } from './outbox';

const choice = { model: null, effort: null };
const settle = () => new Promise((r) => setTimeout(r, 0));

describe('the outbox of messages written while the host is away', () => {
  it('sends what was queued once, oldest first, each with the id it was given', async () => {
    const box = createOutbox(undefined, 'k');
    const a = box.getState().add('t1', 'first', choice);
    const b = box.getState().add('t2', 'second', choice);
    const sent: QueuedMessage[] = [];
    await box.getState().flush(async (m) => (sent.push(m), true));
    expect(sent.map((m) => [m.text, m.clientUserMessageId])).toEqual([
      ['first', a.clientUserMessageId],
      ['second', b.clientUserMessageId],
    ]);
    expect(box.getState().items).toEqual([]);
    await box.getState().flush(async () => {
      throw new Error('nothing left to send');
    });
  });

  it('keeps a message when the connection drops again, and marks one the host refuses', async () => {
    const box = createOutbox(undefined, 'k');
    box.getState().add('t1', 'refused', choice);
    box.getState().add('t1', 'waits', choice);
    await box.getState().flush(async (m) => (m.text === 'refused' ? 'thread not found' : false));
    expect(box.getState().items.map((m) => [m.text, m.state, m.error])).toEqual([
      ['refused', 'failed', 'thread not found'],
      ['waits', 'queued', undefined],
    ]);
    box.getState().retry(box.getState().items[0]!.clientUserMessageId);
    box.getState().discard(box.getState().items[1]!.clientUserMessageId);
    await box.getState().flush(async () => true);
    expect(box.getState().items).toEqual([]);
  });

  it('survives a reload (a message being sent when the page went away is sent again, same id)', async () => {
    const kv = memoryStore();
    const box = createOutbox(kv, 'outbox.h');
    const m = box.getState().add('t1', 'typed in a tunnel', choice);
    let release!: () => void;
    void box.getState().flush(() => new Promise((r) => (release = () => r(true))));
    await settle();
    expect(box.getState().items[0]!.state).toBe('sending');
    const again = createOutbox(kv, 'outbox.h');
    await settle();
    expect(again.getState().items.map((x) => [x.clientUserMessageId, x.text, x.state])).toEqual([[m.clientUserMessageId, 'typed in a tunnel', 'queued']]);
    release();
  });

  it('drops unreadable stored entries instead of sending them', async () => {
    const kv = memoryStore();
    await kv.set('outbox.h', [{ text: 'no id' }, 7, { clientUserMessageId: 'c1', threadId: 't', text: 'ok', state: 'queued' }]);
    const box = createOutbox(kv, 'outbox.h');
    await settle();
    expect(box.getState().items.map((m) => m.text)).toEqual(['ok']);
  });
});
