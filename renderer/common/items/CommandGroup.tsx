/**
 * Command executions, grouped the way a person reads them: "Ran 3 commands · 1 failed",
 * expanded on demand to the list, and each command to its output and exit code.
 */
import { memo, useState } from 'react';
import type { ThreadItem } from '../../../shared/protocol/appServer/experimental/v2/ThreadItem';
import { Icon } from '../views/Icon';
import { Spinner } from '../views/States';
import { duration, plural, shortPath } from '../util/format';

export type CommandItem = Extract<ThreadItem, { type: 'commandExecution' }>;

/** The command as the model meant it (`echo hi`), not the shell wrapper (`/bin/bash -lc 'echo hi'`). */
export function displayCommand(c: CommandItem): string {
  const parsed = c.commandActions.map((a) => a.command).filter(Boolean);
  if (parsed.length) return parsed.join(' && ');
  const m = /^\/bin\/(?:ba|z)?sh -l?c '(.*)'$/s.exec(c.command);
  return m ? m[1]!.replace(/'\\''/g, "'") : c.command;
}

export function commandFailed(c: CommandItem): boolean {
  return c.status === 'failed' || (c.exitCode !== null && c.exitCode !== 0);
}

/** "Ran 3 commands · 1 failed · 1 declined" (or "Running …" while one runs). */
export function groupSummary(cmds: readonly CommandItem[]): string {
  const running = cmds.find((c) => c.status === 'inProgress');
  if (running) return cmds.length === 1 ? 'Running' : `Running ${cmds.length} commands`;
  const failed = cmds.filter(commandFailed).length;
  const declined = cmds.filter((c) => c.status === 'declined').length;
  const ran = cmds.length - declined;
  // One command is named in the header itself: "Ran `npm test`".
  if (cmds.length === 1) return declined ? 'Declined' : 'Ran';
  const parts = [ran > 0 ? `Ran ${plural(ran, 'command')}` : `${plural(declined, 'command')} not run`];
  if (failed) parts.push(`${failed} failed`);
  if (declined && ran > 0) parts.push(`${declined} declined`);
  return parts.join(' · ');
}

/** Output, exit code, duration and folder of one command. */
function CommandDetails({ cmd, showCommand }: { readonly cmd: CommandItem; readonly showCommand: boolean }) {
  const failed = commandFailed(cmd);
  const output = cmd.aggregatedOutput?.length
    ? cmd.aggregatedOutput
    : cmd.status === 'inProgress'
      ? 'Waiting for output…'
      : cmd.status === 'declined'
        ? 'Not run: declined.'
        : '(no output)';
  return (
    <div>
      <pre className="cmd-output" data-testid="command-output">
        {showCommand ? <span className="prompt">$ {displayCommand(cmd)}{'\n'}</span> : null}
        {output}
      </pre>
      <div className="cmd-meta">
        {cmd.exitCode !== null ? (
          <span className={failed ? 'exit-bad' : 'exit-ok'} data-testid="exit-code">
            exit code {cmd.exitCode}
          </span>
        ) : (
          <span>{cmd.status === 'declined' ? 'declined' : cmd.status === 'inProgress' ? 'running' : cmd.status}</span>
        )}
        {cmd.durationMs !== null ? <span>{duration(cmd.durationMs)}</span> : null}
        <span className="ellipsis" title={cmd.cwd}>
          in {shortPath(cmd.cwd)}
        </span>
      </div>
    </div>
  );
}

const CommandRow = memo(function CommandRow({ cmd }: { readonly cmd: CommandItem }) {
  const [open, setOpen] = useState(false);
  const failed = commandFailed(cmd);
  return (
    <div className="cmd">
      <button type="button" className="cmd-line" aria-expanded={open} onClick={() => setOpen(!open)} title={cmd.command}>
        <span className="prompt">$</span>
        <span className="ellipsis" style={{ flex: 1 }}>
          {displayCommand(cmd)}
        </span>
        {cmd.status === 'inProgress' ? <Spinner label="Running" /> : null}
        {cmd.status === 'declined' ? <span className="badge">declined</span> : failed ? <span className="badge badge-danger">exit {cmd.exitCode ?? '?'}</span> : null}
      </button>
      {open ? <CommandDetails cmd={cmd} showCommand={false} /> : null}
    </div>
  );
});

export const CommandGroup = memo(function CommandGroup({ commands }: { readonly commands: readonly CommandItem[] }) {
  const single = commands.length === 1;
  const [open, setOpen] = useState(false);
  const first = commands[0]!;
  const running = commands.some((c) => c.status === 'inProgress');
  const failed = commands.filter(commandFailed).length;
  return (
    <div className="item-card" data-testid="command-group">
      <button type="button" className="item-head" aria-expanded={open} onClick={() => setOpen(!open)}>
        <Icon name="chevron" className="chev" />
        <Icon name="terminal" />
        <span className="item-head-title ellipsis">
          {groupSummary(commands)}
          {single ? (
            <>
              {' '}
              <code>{displayCommand(first)}</code>
            </>
          ) : null}
        </span>
        {running ? <Spinner label="Running" /> : failed ? <span className="badge badge-danger">{single ? `exit ${first.exitCode ?? '?'}` : `${failed} failed`}</span> : null}
      </button>
      {open ? (
        <div className="item-body">{single ? <CommandDetails cmd={first} showCommand /> : commands.map((c) => <CommandRow key={c.id} cmd={c} />)}</div>
      ) : null}
    </div>
  );
});
