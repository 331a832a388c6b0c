/**
 * What the audit log says about an approval: the one-line summary of what was asked, the
 * decision as a short word, and who answered first (code-review §5.1: these edge cases were only
 * reached through the hub and e2e/).
 */
import { describe, expect, it } from 'vitest';
import { ApprovalTracker, decisionOf, MAX_DECISION_CHARS } from './approvalTracker.js';

const summaryOf = (method: string, params: unknown): string | undefined => {
  const t = new ApprovalTracker();
  t.noteRequest(1, method, params);
  return t.noteAnswer(1)?.approval.summary;
};

describe('ApprovalTracker summaries', () => {
  it('names the command (argv or a string) and where it runs', () => {
    expect(summaryOf('item/commandExecution/requestApproval', { threadId: 't', command: 'touch x', cwd: '/work' })).toBe('touch x (in /work)');
    expect(summaryOf('execCommandApproval', { command: ['git', 'push', 7] })).toBe('git push 7');
    expect(summaryOf('item/commandExecution/requestApproval', { command: { not: 'a command' } })).toBe('(command)');
  });

  it('names a file change by item, reason and grant root, as far as they are given', () => {
    expect(summaryOf('item/fileChange/requestApproval', { itemId: 'i1', reason: 'write outside', grantRoot: '/srv' })).toBe('file change i1: write outside (grant /srv)');
    expect(summaryOf('applyPatchApproval', {})).toBe('file change');
  });

  it('falls back to the reason, then to the method, and survives params that are not an object', () => {
    expect(summaryOf('item/tool/requestUserInput', { reason: 'pick one' })).toBe('pick one');
    expect(summaryOf('mcpServer/elicitation/request', null)).toBe('mcpServer/elicitation/request');
    expect(summaryOf('item/commandExecution/requestApproval', 'rm -rf /')).toBe('(command)');
  });

  it('cuts a summary at 500 characters with an ellipsis', () => {
    const s = summaryOf('item/commandExecution/requestApproval', { command: 'x'.repeat(2000) })!;
    expect(s).toHaveLength(500);
    expect(s.endsWith('…')).toBe(true);
  });

  it('tracks only audited methods, keeps the thread, and tells the first answer from later ones', () => {
    const t = new ApprovalTracker();
    t.noteRequest(1, 'item/agentMessage/delta', { threadId: 't' });
    expect(t.size).toBe(0);
    t.noteRequest('a', 'item/commandExecution/requestApproval', { threadId: 'thread-1', command: 'ls' });
    t.noteRequest('a', 'item/commandExecution/requestApproval', { threadId: 'other', command: 'changed' }); // the same request fanned out again
    expect(t.noteAnswer('a')).toEqual({ approval: expect.objectContaining({ threadId: 'thread-1', summary: 'ls' }), first: true });
    expect(t.noteAnswer('a')?.first).toBe(false);
    // A number and a string with the same digits are different ids.
    t.noteRequest(7, 'item/fileChange/requestApproval', {});
    expect(t.noteAnswer('7')).toBeUndefined();
  });

  it('gives a claim back when its answer never reached the engine, and counts a resolved request as answered', () => {
    const t = new ApprovalTracker();
    t.noteRequest(1, 'item/commandExecution/requestApproval', { command: 'ls' });
    t.release(1, t.noteAnswer(1)!.first);
    expect(t.noteAnswer(1)?.first).toBe(true);
    t.noteRequest(2, 'item/commandExecution/requestApproval', { command: 'ls' });
    t.noteResolved(2);
    expect(t.noteAnswer(2)?.first).toBe(false);
  });

  it('forgets the oldest request beyond 4096, and everything on reset', () => {
    const t = new ApprovalTracker();
    for (let i = 0; i <= 4096; i++) t.noteRequest(i, 'item/commandExecution/requestApproval', { command: `c${i}` });
    expect(t.size).toBe(4096);
    expect(t.noteAnswer(0)).toBeUndefined();
    expect(t.noteAnswer(4096)?.approval.summary).toBe('c4096');
    t.reset();
    expect(t.size).toBe(0);
  });
});

describe('decisionOf', () => {
  it('reads decision or action, a tagged decision object, answers and permissions', () => {
    expect(decisionOf({ decision: 'accept' })).toBe('accept');
    expect(decisionOf({ action: 'decline' })).toBe('decline');
    expect(decisionOf({ decision: { acceptWithExecpolicyAmendment: { amendment: ['ls'] } } })).toBe('acceptWithExecpolicyAmendment');
    expect(decisionOf({ answers: { q1: 'a' } })).toBe('answered');
    expect(decisionOf({ permissions: {}, scope: 'session' })).toBe('granted (session)');
    expect(decisionOf({ permissions: {} })).toBe('granted (turn)');
  });

  it('says unknown for anything else', () => {
    for (const r of [null, undefined, 'accept', 3, {}, { decision: 7 }, { decision: {} }]) expect(decisionOf(r), JSON.stringify(r)).toBe('unknown');
  });

  it('cuts a decision at 256 characters (red-team P6)', () => {
    const d = decisionOf({ decision: 'y'.repeat(10_000) });
    expect(d).toHaveLength(MAX_DECISION_CHARS);
    expect(d.endsWith('…')).toBe(true);
  });
});
