import { describe, expect, it } from 'vitest';
import type { ThreadItem } from '../../../shared/protocol/appServer/experimental/v2/ThreadItem';
import { applyTurnEvent, mergeTurns, type TurnView } from './threadReducer';

const T = 'thread-1';
const turn = (id: string, items: ThreadItem[] = [], status: TurnView['status'] = 'completed', startedAt = 1): TurnView => ({
  id,
  status,
  error: null,
  items,
  startedAt,
  completedAt: null,
  durationMs: null,
});
const agent = (id: string, text: string, completedAtMs: number | null = null): ThreadItem => ({
  type: 'agentMessage',
  id,
  text,
  moderation: null,
  phase: null,
  memoryCitation: null,
  delivery: null,
  questions: null,
  completedAtMs,
});
const user = (id: string, text: string): ThreadItem => ({ type: 'userMessage', id, clientId: null, content: [{ type: 'text', text, text_elements: [] }] });
const fold = (turns: readonly TurnView[], events: [string, unknown][]) => events.reduce((acc, [m, p]) => applyTurnEvent(acc, m, p), turns);

describe('folding engine events into turns', () => {
  it('streams an agent message from deltas, and item/completed has the last word', () => {
    const turns = fold([], [
      ['turn/started', { threadId: T, turn: { id: 't1', items: [], status: 'inProgress', error: null, startedAt: 5, completedAt: null, durationMs: null } }],
      ['item/started', { threadId: T, turnId: 't1', item: agent('m1', '') }],
      ['item/agentMessage/delta', { threadId: T, turnId: 't1', itemId: 'm1', delta: 'Hel' }],
      ['item/agentMessage/delta', { threadId: T, turnId: 't1', itemId: 'm1', delta: 'lo' }],
    ]);
    expect(turns[0]!.items).toEqual([agent('m1', 'Hello')]);
    const done = fold(turns, [['item/completed', { threadId: T, turnId: 't1', item: agent('m1', 'Hello!', 9) }]]);
    expect(done[0]!.items).toEqual([agent('m1', 'Hello!', 9)]);
  });

  it('keeps the streamed items when turn/completed carries none', () => {
    const turns = fold([turn('t1', [agent('m1', 'partial')], 'inProgress')], [
      ['turn/completed', { threadId: T, turn: { id: 't1', items: [], itemsView: 'notLoaded', status: 'interrupted', error: null, startedAt: 1, completedAt: 2, durationMs: 1000 } }],
    ]);
    expect(turns).toHaveLength(1);
    expect(turns[0]).toMatchObject({ status: 'interrupted', durationMs: 1000, items: [agent('m1', 'partial')] });
  });

  it('accumulates command output and reasoning summary parts', () => {
    const cmd: ThreadItem = {
      type: 'commandExecution', id: 'c1', pluginId: null, scriptPath: null, command: 'ls', cwd: '/w', processId: null, source: 'agent',
      status: 'inProgress', commandActions: [], aggregatedOutput: null, exitCode: null, durationMs: null,
    };
    const turns = fold([turn('t1', [cmd], 'inProgress')], [
      ['item/commandExecution/outputDelta', { threadId: T, turnId: 't1', itemId: 'c1', delta: 'a\n' }],
      ['item/commandExecution/outputDelta', { threadId: T, turnId: 't1', itemId: 'c1', delta: 'b\n' }],
      ['item/reasoning/summaryTextDelta', { threadId: T, turnId: 't1', itemId: 'r1', summaryIndex: 1, delta: 'second' }],
      ['item/reasoning/summaryTextDelta', { threadId: T, turnId: 't1', itemId: 'r1', summaryIndex: 0, delta: 'first' }],
    ]);
    expect(turns[0]!.items[0]).toMatchObject({ aggregatedOutput: 'a\nb\n' });
    expect(turns[0]!.items[1]).toMatchObject({ type: 'reasoning', summary: ['first', 'second'] });
  });

  it('ignores events it cannot read instead of corrupting the turns', () => {
    const before = [turn('t1')];
    for (const [m, p] of [
      ['item/agentMessage/delta', { threadId: T, itemId: 'm1', delta: 'x' }],
      ['item/started', { threadId: T, turnId: 't1', item: { id: 5 } }],
      ['item/reasoning/summaryTextDelta', { threadId: T, turnId: 't1', itemId: 'r', summaryIndex: 1e9, delta: 'x' }],
      ['something/else', {}],
    ] as [string, unknown][]) {
      expect(applyTurnEvent(before, m, p)).toBe(before);
    }
  });
});

describe('merging pages (opening, paging back, re-resuming after a reconnect)', () => {
  it('a re-resume page keeps what was streamed and adds nothing twice', () => {
    // What the window held when its socket dropped: a running turn with a half-streamed reply.
    const held = [turn('t0', [user('u0', 'hi'), agent('a0', 'hello', 1)]), turn('t1', [user('u1', 'SLOW'), agent('a1', 'slow-1 slow-2 ')], 'inProgress', 2)];
    // The engine's page after resume: the running turn has only what is persisted (the user message).
    const page = [turn('t1', [user('u1', 'SLOW')], 'inProgress', 2), turn('t0', [user('u0', 'hi'), agent('a0', 'hello', 1)])];
    const merged = mergeTurns(held, page, 'desc', 'newer');
    expect(merged.map((t) => t.id)).toEqual(['t0', 't1']);
    expect(merged[1]!.items).toEqual([user('u1', 'SLOW'), agent('a1', 'slow-1 slow-2 ')]);
    // then the stream goes on and completes with the full text
    const done = fold(merged, [
      ['item/agentMessage/delta', { threadId: T, turnId: 't1', itemId: 'a1', delta: 'slow-3 ' }],
      ['item/completed', { threadId: T, turnId: 't1', item: agent('a1', 'slow-1 slow-2 slow-3 ', 3) }],
    ]);
    expect(done[1]!.items).toEqual([user('u1', 'SLOW'), agent('a1', 'slow-1 slow-2 slow-3 ', 3)]);
  });

  it('an older page goes before the loaded turns, in order', () => {
    // all started within the same second, as a fast thread's turns are
    const loaded = [turn('t3'), turn('t4')];
    const older = [turn('t2'), turn('t1')]; // desc, as the engine pages back
    expect(mergeTurns(loaded, older, 'desc', 'older').map((t) => t.id)).toEqual(['t1', 't2', 't3', 't4']);
    // and a newest page (after a reconnect during which turns ran) goes after
    expect(mergeTurns(loaded, [turn('t6'), turn('t5')], 'desc', 'newer').map((t) => t.id)).toEqual(['t3', 't4', 't5', 't6']);
  });

  it('a page that repeats its anchor turn does not duplicate it', () => {
    const loaded = [turn('t3', [], 'completed', 3), turn('t4', [], 'completed', 4)];
    const older = [turn('t3', [], 'completed', 3), turn('t2', [], 'completed', 2)];
    expect(mergeTurns(loaded, older, 'desc', 'older').map((t) => t.id)).toEqual(['t2', 't3', 't4']);
  });

  it('a declined command the engine does not persist stays where it was', () => {
    const declined: ThreadItem = {
      type: 'commandExecution', id: 'c1', pluginId: null, scriptPath: null, command: 'rm -rf x', cwd: '/w', processId: null, source: 'agent',
      status: 'declined', commandActions: [], aggregatedOutput: null, exitCode: null, durationMs: null,
    };
    const held = [turn('t1', [user('u1', 'go'), declined, agent('a1', 'ok', 1)])];
    const page = [turn('t1', [user('u1', 'go'), agent('a1', 'ok', 1)])];
    expect(mergeTurns(held, page, 'desc', 'newer')[0]!.items.map((i) => i.id)).toEqual(['u1', 'c1', 'a1']);
  });
});
