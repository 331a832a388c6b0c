// The hub's "a person may want to hear of this" events (docs/notifications.md): seen on each
// environment's monitor connection from the broadcast thread/status/changed, so they fire even
// when no client is subscribed to the thread.
import { describe, expect, it } from 'vitest';
import type { HubAttention } from './hub.js';
import { createTestHub } from './testing/hubTestKit.js';

async function monitorOf(engine: ReturnType<typeof createTestHub>['engine']) {
  await expect.poll(() => engine.connections.some((c) => c.monitor)).toBe(true);
  return engine.connections.find((c) => c.monitor)!;
}

const status = (threadId: string, status: unknown) => JSON.stringify({ method: 'thread/status/changed', params: { threadId, status } });

describe('hub attention events', () => {
  it('reports an approval once when a thread starts waiting on one, and a finished turn when it stops being active', async () => {
    const { engine, hub } = createTestHub();
    const events: HubAttention[] = [];
    hub.onAttention((e) => events.push(e));
    const monitor = await monitorOf(engine);

    monitor.raw.send(status('t1', { type: 'active', activeFlags: [] }));
    monitor.raw.send(status('t1', { type: 'active', activeFlags: ['waitingOnApproval'] }));
    // Still waiting (another status change of the same wait): not a second event.
    monitor.raw.send(status('t1', { type: 'active', activeFlags: ['waitingOnApproval'] }));
    monitor.raw.send(status('t1', { type: 'active', activeFlags: [] }));
    monitor.raw.send(status('t1', { type: 'active', activeFlags: ['waitingOnUserInput'] }));
    monitor.raw.send(status('t1', { type: 'idle' }));
    // A thread that was never active does not "finish".
    monitor.raw.send(status('t2', { type: 'idle' }));
    monitor.raw.send(status('t3', { type: 'active', activeFlags: [] }));
    monitor.raw.send(status('t3', { type: 'systemError' }));

    await expect.poll(() => events.length).toBe(4);
    expect(events).toEqual([
      { kind: 'approval-needed', environmentId: 'local', threadId: 't1' },
      { kind: 'approval-needed', environmentId: 'local', threadId: 't1' },
      { kind: 'turn-finished', environmentId: 'local', threadId: 't1' },
      { kind: 'turn-finished', environmentId: 'local', threadId: 't3' },
    ]);
    hub.dispose();
  });

  it('ignores malformed status notifications', async () => {
    const { engine, hub } = createTestHub();
    const events: HubAttention[] = [];
    hub.onAttention((e) => events.push(e));
    const monitor = await monitorOf(engine);
    monitor.raw.send(JSON.stringify({ method: 'thread/status/changed', params: { threadId: 7, status: { type: 'active' } } }));
    monitor.raw.send(JSON.stringify({ method: 'thread/status/changed', params: { threadId: 'x'.repeat(300), status: { type: 'active', activeFlags: ['waitingOnApproval'] } } }));
    monitor.raw.send(status('ok', { type: 'active', activeFlags: 'waitingOnApproval' }));
    monitor.raw.send(status('ok', { type: 'idle' }));
    await expect.poll(() => events.length).toBe(1);
    expect(events).toEqual([{ kind: 'turn-finished', environmentId: 'local', threadId: 'ok' }]);
    hub.dispose();
  });
});
