// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { PendingApproval } from '../stores/approvalsStore';
import { ApprovalCard } from './ApprovalCard';

afterEach(cleanup);

const approval = (method: PendingApproval['method'], params: Record<string, unknown>): PendingApproval => ({
  requestId: 1, method, threadId: 'th', turnId: 'tu', itemId: 'it', params, receivedAt: 0, state: 'open',
});

describe('approval cards', () => {
  it('show the command, folder and reason, and offer exactly the engine’s decisions in its order', () => {
    const answers: unknown[] = [];
    render(
      <ApprovalCard
        approval={approval('item/commandExecution/requestApproval', {
          command: "/bin/bash -lc 'npm publish'",
          cwd: '/work/proj',
          reason: 'Publishing needs the network',
          commandActions: [{ type: 'unknown', command: 'npm publish' }],
          availableDecisions: ['accept', { acceptWithExecpolicyAmendment: { execpolicy_amendment: ['npm', 'publish'] } }, 'decline', 'cancel'],
        })}
        onAnswer={(r) => answers.push(r)}
      />,
    );
    expect(screen.getByTestId('approval-command').textContent).toBe('$ npm publish');
    expect(screen.getByText('/work/proj')).toBeTruthy();
    expect(screen.getByText('Publishing needs the network')).toBeTruthy();
    const buttons = screen.getAllByRole('button');
    expect(buttons.map((b) => b.textContent)).toEqual(['Run', 'Always allow “npm publish”', 'Decline', 'Decline and stop']);
    fireEvent.click(buttons[1]!);
    expect(answers).toEqual([{ decision: { acceptWithExecpolicyAmendment: { execpolicy_amendment: ['npm', 'publish'] } } }]);
  });

  it('without a decline listed, offers none', () => {
    render(<ApprovalCard approval={approval('item/commandExecution/requestApproval', { command: 'ls', availableDecisions: ['accept', 'cancel'] })} onAnswer={() => undefined} />);
    expect(screen.getAllByRole('button').map((b) => b.textContent)).toEqual(['Run', 'Decline and stop']);
  });

  it('a file change shows its diff before the decision', () => {
    render(
      <ApprovalCard
        approval={approval('item/fileChange/requestApproval', { reason: 'needs write access' })}
        changes={[{ path: '/w/a.txt', kind: { type: 'add' }, diff: 'hello\n' }]}
        root="/w"
        onAnswer={() => undefined}
      />,
    );
    expect(screen.getByTestId('diff-file').textContent).toContain('a.txt');
    expect(screen.getAllByRole('button').map((b) => b.textContent)).toEqual(['Apply', 'Allow edits for this session', 'Decline', 'Decline and stop']);
  });

  it('while the answer is on its way the buttons are disabled', () => {
    render(<ApprovalCard approval={{ ...approval('item/commandExecution/requestApproval', { command: 'ls' }), state: 'sending' }} onAnswer={() => undefined} />);
    for (const b of screen.getAllByRole('button')) expect((b as HTMLButtonElement).disabled).toBe(true);
  });
});
