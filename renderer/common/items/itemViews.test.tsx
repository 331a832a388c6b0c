// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ThreadItem } from '../../../shared/protocol/appServer/experimental/v2/ThreadItem';
import { DiffView } from '../diff/DiffView';
import { Markdown } from '../markdown/Markdown';
import { CommandGroup, type CommandItem } from './CommandGroup';
import { groupItems, TurnView } from './TurnView';

afterEach(cleanup);

const cmd = (id: string, command: string, o: Partial<CommandItem> = {}): CommandItem => ({
  type: 'commandExecution', id, pluginId: null, scriptPath: null, command: `/bin/bash -lc '${command}'`, cwd: '/work/proj', processId: null,
  source: 'agent', status: 'completed', commandActions: [], aggregatedOutput: `${command} output\n`, exitCode: 0, durationMs: 1200, ...o,
});

describe('command executions', () => {
  it('are grouped when consecutive: "Ran 3 commands · 1 failed", with output and exit code on demand', () => {
    render(<CommandGroup commands={[cmd('a', 'ls'), cmd('b', 'npm test', { exitCode: 1, aggregatedOutput: '1 failing\n' }), cmd('c', 'git status')]} />);
    const head = screen.getByRole('button', { expanded: false });
    expect(head.textContent).toContain('Ran 3 commands · 1 failed');
    expect(screen.queryByTestId('command-output')).toBeNull();
    fireEvent.click(head);
    const rows = screen.getAllByRole('button').slice(1);
    expect(rows.map((r) => r.textContent)).toEqual(['$ls', '$npm testexit 1', '$git status']);
    fireEvent.click(rows[1]!);
    expect(screen.getByTestId('command-output').textContent).toBe('1 failing\n');
    expect(screen.getByTestId('exit-code').textContent).toBe('exit code 1');
  });

  it('a single command is named in the header, and declined ones are counted apart', () => {
    const { unmount } = render(<CommandGroup commands={[cmd('a', 'echo hi')]} />);
    expect(screen.getByRole('button').textContent).toBe('Ran echo hi');
    unmount();
    render(<CommandGroup commands={[cmd('a', 'ls'), cmd('b', 'rm -rf build', { status: 'declined', exitCode: null, aggregatedOutput: null })]} />);
    expect(screen.getAllByRole('button')[0]!.textContent).toContain('Ran 1 command · 1 declined');
  });

  it('a command that waits for an approval says it wants to run, not that it runs', () => {
    const asked = cmd('a', 'rm -rf build', { status: 'inProgress', exitCode: null, aggregatedOutput: null, durationMs: null });
    const { unmount } = render(<CommandGroup commands={[asked]} awaiting={['a']} />);
    const head = screen.getByRole('button');
    expect(head.textContent).toBe('Wants to run rm -rf buildapproval');
    expect(screen.queryByRole('status', { name: 'Running' })).toBeNull();
    fireEvent.click(head);
    expect(screen.getByTestId('command-output').textContent).toContain('Not run yet: waiting for your approval.');
    unmount();
    // Once answered (no longer awaiting) and still in progress, it runs.
    render(<CommandGroup commands={[asked]} />);
    expect(screen.getByRole('button').textContent).toContain('Running rm -rf build');
    expect(screen.getByRole('status', { name: 'Running' })).toBeTruthy();
  });

  it('groupItems keeps other items between groups', () => {
    const msg: ThreadItem = { type: 'agentMessage', id: 'm', text: 'x', moderation: null, phase: null, memoryCitation: null, delivery: null, questions: null };
    const blocks = groupItems([cmd('a', 'ls'), cmd('b', 'pwd'), msg, cmd('c', 'cat x')]);
    expect(blocks.map((b) => (b.kind === 'commands' ? b.items.map((i) => i.id).join('+') : b.item.id))).toEqual(['a+b', 'm', 'c']);
  });
});

describe('a running turn', () => {
  const agent = (id: string, text: string): ThreadItem => ({ type: 'agentMessage', id, text, moderation: null, phase: null, memoryCitation: null, delivery: null, questions: null });
  const user = (id: string, text: string): ThreadItem => ({ type: 'userMessage', id, clientId: null, content: [{ type: 'text', text, text_elements: [] }] });

  it('shows only its newest message as streaming: one a steer cut short (never completed) is not live any more', () => {
    const turn = { id: 't', status: 'inProgress' as const, error: null, startedAt: 1, completedAt: null, durationMs: null, items: [user('u1', 'SLOW'), agent('a1', 'slow-1 slow-2'), user('u2', 'and this'), agent('a2', 'slow-1')] };
    const { container, rerender } = render(<TurnView turn={turn} />);
    const streaming = () => [...container.querySelectorAll('.msg-agent')].map((e) => e.classList.contains('is-streaming'));
    expect(streaming()).toEqual([false, true]);
    rerender(<TurnView turn={{ ...turn, status: 'interrupted' }} />);
    expect(streaming()).toEqual([false, false]);
  });
});

describe('markdown from the model', () => {
  it('renders formatting and code, and never HTML: raw tags show as text and script links are plain text', () => {
    const { container } = render(
      <Markdown text={'**bold** and `code`\n\n<img src=x onerror=alert(1)><script>alert(2)</script>\n\n[click](javascript:alert(3)) [ok](https://example.com)\n\n```js\nconst a = 1;\n```'} />,
    );
    expect(container.querySelector('strong')?.textContent).toBe('bold');
    expect(container.querySelector('code')?.textContent).toBe('code');
    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelector('script')).toBeNull();
    expect(container.textContent).toContain('<img src=x onerror=alert(1)>');
    const links = [...container.querySelectorAll('a')];
    expect(links.map((a) => [a.textContent, a.getAttribute('href'), a.getAttribute('rel')])).toEqual([['ok', 'https://example.com', 'noreferrer noopener']]);
    expect(container.querySelector('pre code')?.textContent).toBe('const a = 1;');
  });
});

describe('diffs', () => {
  it('an added file is all additions, an update shows its hunks with line numbers', () => {
    const { container } = render(
      <DiffView
        root="/w"
        changes={[
          { path: '/w/new.ts', kind: { type: 'add' }, diff: 'export const a = 1;\nexport const b = 2;\n' },
          { path: '/w/old.ts', kind: { type: 'update', move_path: null }, diff: '@@ -1,3 +1,3 @@\n keep\n-gone\n+came\n same\n' },
        ]}
      />,
    );
    const files = screen.getAllByTestId('diff-file');
    expect(within(files[0]!).getByText('new.ts')).toBeTruthy();
    expect(files[0]!.querySelector('.diff-stat-add')?.textContent).toBe('+2');
    expect(files[0]!.querySelectorAll('tr.add')).toHaveLength(2);
    const rows = [...files[1]!.querySelectorAll('tr')].map((r) => [r.className, [...r.querySelectorAll('td')].map((td) => td.textContent).join('|')]);
    expect(rows).toEqual([
      ['hunk', '@@ -1,3 +1,3 @@'],
      ['ctx', '1|1||keep'],
      ['del', '2||−|gone'],
      ['add', '|2|+|came'],
      ['ctx', '3|3||same'],
    ]);
    expect(container.textContent).toContain('Modified');
  });
});
