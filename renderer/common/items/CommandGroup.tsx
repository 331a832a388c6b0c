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

/** No command waits for an approval (a shared empty list keeps memoized views from re-rendering). */
export const NONE_AWAITING: readonly string[] = [];

/** A command the engine has not run yet because it asked first: the item is there, "in progress", before the answer. */
function isAwaiting(c: CommandItem, awaiting: readonly string[]): boolean {
  return c.status === 'inProgress' && awaiting.includes(c.id);
}

/**
 * "Ran 3 commands · 1 failed · 1 declined", "Running …" while one runs, "Wants to run" while
 * one waits for an approval (`awaiting`: the item ids of the open approvals).
 */
export function groupSummary(cmds: readonly CommandItem[], awaiting: readonly string[] = NONE_AWAITING): string {
  const running = cmds.find((c) => c.status === 'inProgress' && !isAwaiting(c, awaiting));
  if (running) return cmds.length === 1 ? 'Running' : `Running ${cmds.length} commands`;
  if (cmds.some((c) => isAwaiting(c, awaiting))) return cmds.length === 1 ? 'Wants to run' : `${plural(cmds.length, 'command')} · waiting for your approval`;
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
function CommandDetails({ cmd, showCommand, waiting }: { readonly cmd: CommandItem; readonly showCommand: boolean; readonly waiting: boolean }) {
  const failed = commandFailed(cmd);
  const output = cmd.aggregatedOutput?.length
    ? cmd.aggregatedOutput
    : waiting
      ? 'Not run yet: waiting for your approval.'
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
          <span>{cmd.status === 'declined' ? 'declined' : waiting ? 'waiting for approval' : cmd.status === 'inProgress' ? 'running' : cmd.status}</span>
        )}
        {cmd.durationMs !== null ? <span>{duration(cmd.durationMs)}</span> : null}
        <span className="ellipsis" title={cmd.cwd}>
          in {shortPath(cmd.cwd)}
        </span>
      </div>
    </div>
  );
}

const CommandRow = memo(function CommandRow({ cmd, waiting }: { readonly cmd: CommandItem; readonly waiting: boolean }) {
  const [open, setOpen] = useState(false);
  const failed = commandFailed(cmd);
  return (
    <div className="cmd">
      <button type="button" className="cmd-line" aria-expanded={open} onClick={() => setOpen(!open)} title={cmd.command}>
        <span className="prompt">$</span>
        <span className="ellipsis" style={{ flex: 1 }}>
          {displayCommand(cmd)}
        </span>
        {waiting ? <span className="badge badge-warning">approval</span> : cmd.status === 'inProgress' ? <Spinner label="Running" /> : null}
        {cmd.status === 'declined' ? <span className="badge">declined</span> : failed ? <span className="badge badge-danger">exit {cmd.exitCode ?? '?'}</span> : null}
      </button>
      {open ? <CommandDetails cmd={cmd} showCommand={false} waiting={waiting} /> : null}
    </div>
  );
});

export const CommandGroup = memo(function CommandGroup({ commands, awaiting = NONE_AWAITING }: { readonly commands: readonly CommandItem[]; readonly awaiting?: readonly string[] }) {
  const single = commands.length === 1;
  const [open, setOpen] = useState(false);
  const first = commands[0]!;
  const waiting = commands.some((c) => isAwaiting(c, awaiting));
  const running = commands.some((c) => c.status === 'inProgress' && !isAwaiting(c, awaiting));
  const failed = commands.filter(commandFailed).length;
  return (
    <div className="item-card" data-testid="command-group">
      <button type="button" className="item-head" aria-expanded={open} onClick={() => setOpen(!open)}>
        <Icon name="chevron" className="chev" />
        <Icon name="terminal" />
        <span className="item-head-title ellipsis">
          {groupSummary(commands, awaiting)}
          {single ? (
            <>
              {' '}
              <code>{displayCommand(first)}</code>
            </>
          ) : null}
        </span>
        {running ? <Spinner label="Running" /> : waiting ? <span className="badge badge-warning">approval</span> : failed ? <span className="badge badge-danger">{single ? `exit ${first.exitCode ?? '?'}` : `${failed} failed`}</span> : null}
      </button>
      {open ? (
        <div className="item-body">
          {single ? <CommandDetails cmd={first} showCommand waiting={isAwaiting(first, awaiting)} /> : commands.map((c) => <CommandRow key={c.id} cmd={c} waiting={isAwaiting(c, awaiting)} />)}
        </div>
      ) : null}
    </div>
  );
});
