/**
 * An approval the engine waits for, with everything needed to decide (command, folder,
 * reason, the diff) and exactly the decisions the engine offers (`availableDecisions`;
 * file changes have a fixed set, docs/engine.md §7). The card leaves when the engine says the
 * request is resolved, by this window or any other client.
 */
import { memo, useState, type ReactNode } from 'react';
import type { CommandExecutionApprovalDecision } from '../../../shared/protocol/appServer/experimental/v2/CommandExecutionApprovalDecision';
import type { CommandExecutionRequestApprovalParams } from '../../../shared/protocol/appServer/experimental/v2/CommandExecutionRequestApprovalParams';
import type { FileChangeApprovalDecision } from '../../../shared/protocol/appServer/experimental/v2/FileChangeApprovalDecision';
import type { FileChangeRequestApprovalParams } from '../../../shared/protocol/appServer/experimental/v2/FileChangeRequestApprovalParams';
import type { FileUpdateChange } from '../../../shared/protocol/appServer/experimental/v2/FileUpdateChange';
import type { PermissionsRequestApprovalParams } from '../../../shared/protocol/appServer/experimental/v2/PermissionsRequestApprovalParams';
import type { ToolRequestUserInputParams } from '../../../shared/protocol/appServer/experimental/v2/ToolRequestUserInputParams';
import { DiffView } from '../diff/DiffView';
import type { PendingApproval } from '../stores/approvalsStore';
import { Icon } from './Icon';
import { Spinner } from './States';

export interface DecisionButton {
  readonly label: string;
  readonly result: unknown;
  readonly tone: 'primary' | 'default' | 'danger';
  readonly hint?: string;
}

const FILE_CHANGE_DECISIONS: readonly FileChangeApprovalDecision[] = ['accept', 'acceptForSession', 'decline', 'cancel'];

/** The buttons for a command approval: one per decision the engine listed, in its order. */
export function commandDecisionButtons(params: Pick<CommandExecutionRequestApprovalParams, 'availableDecisions'>): DecisionButton[] {
  const list: readonly CommandExecutionApprovalDecision[] = params.availableDecisions ?? ['accept', 'decline'];
  return list.map((d): DecisionButton => {
    if (d === 'accept') return { label: 'Run', result: { decision: d }, tone: 'primary' };
    if (d === 'acceptForSession') return { label: 'Allow for this session', result: { decision: d }, tone: 'default' };
    if (d === 'decline') return { label: 'Decline', result: { decision: d }, tone: 'default', hint: 'The agent continues without running it' };
    if (d === 'cancel') return { label: 'Decline and stop', result: { decision: d }, tone: 'danger', hint: 'Stops the turn' };
    if ('acceptWithExecpolicyAmendment' in d) {
      const prefix = d.acceptWithExecpolicyAmendment.execpolicy_amendment.join(' ');
      return { label: `Always allow “${prefix}”`, result: { decision: d }, tone: 'default' };
    }
    const a = d.applyNetworkPolicyAmendment.network_policy_amendment;
    return { label: `${a.action === 'deny' ? 'Always block' : 'Always allow'} ${a.host}`, result: { decision: d }, tone: 'default' };
  });
}

export function fileChangeDecisionButtons(): DecisionButton[] {
  return FILE_CHANGE_DECISIONS.map((d): DecisionButton => {
    if (d === 'accept') return { label: 'Apply', result: { decision: d }, tone: 'primary' };
    if (d === 'acceptForSession') return { label: 'Allow edits for this session', result: { decision: d }, tone: 'default' };
    if (d === 'decline') return { label: 'Decline', result: { decision: d }, tone: 'default' };
    return { label: 'Decline and stop', result: { decision: d }, tone: 'danger' };
  });
}

function Actions({ buttons, approval, onAnswer }: { readonly buttons: readonly DecisionButton[]; readonly approval: PendingApproval; readonly onAnswer: (result: unknown) => void }) {
  const busy = approval.state === 'sending';
  const primary = buttons.filter((b) => b.tone === 'primary');
  const rest = buttons.filter((b) => b.tone !== 'primary');
  return (
    <div className="approval-actions">
      {[...primary, ...rest].map((b) => (
        <button
          key={b.label}
          type="button"
          className={`btn ${b.tone === 'primary' ? 'btn-primary' : b.tone === 'danger' ? 'btn-danger' : ''}`}
          disabled={busy}
          title={b.hint}
          onClick={() => onAnswer(b.result)}
        >
          {b.label}
        </button>
      ))}
      <span className="spacer" />
      {busy ? <Spinner label="Sending" /> : null}
      {approval.state === 'failed' ? <span className="badge badge-danger">{approval.error ?? 'not sent'}</span> : null}
    </div>
  );
}

function CommandBody({ p }: { readonly p: CommandExecutionRequestApprovalParams }) {
  const shown = p.commandActions?.length ? p.commandActions.map((a) => a.command).join(' && ') : (p.command ?? '');
  return (
    <>
      {p.reason ? <div className="approval-reason">{p.reason}</div> : null}
      <pre className="approval-cmd" data-testid="approval-command">
        $ {shown}
      </pre>
      <dl className="approval-meta">
        {p.cwd ? (
          <>
            <dt>Folder</dt>
            <dd>{p.cwd}</dd>
          </>
        ) : null}
        {p.command && p.command !== shown ? (
          <>
            <dt>Runs</dt>
            <dd>{p.command}</dd>
          </>
        ) : null}
        {p.networkApprovalContext ? (
          <>
            <dt>Network</dt>
            <dd>{JSON.stringify(p.networkApprovalContext)}</dd>
          </>
        ) : null}
      </dl>
    </>
  );
}

function UserInputBody({ p, onAnswer, disabled }: { readonly p: ToolRequestUserInputParams; readonly onAnswer: (r: unknown) => void; readonly disabled: boolean }) {
  const [answers, setAnswers] = useState<Record<string, string>>({});
  return (
    <form
      className="approval-body"
      onSubmit={(e) => {
        e.preventDefault();
        onAnswer({ answers: Object.fromEntries(p.questions.map((q) => [q.id, { answers: answers[q.id] ? [answers[q.id]] : [] }])) });
      }}
    >
      {p.questions.map((q) => (
        <label key={q.id}>
          <span className="field-label">{q.header || q.question}</span>
          {q.header ? <div style={{ marginBottom: 6 }}>{q.question}</div> : null}
          {q.options?.length ? (
            <select className="select" value={answers[q.id] ?? ''} onChange={(e) => setAnswers({ ...answers, [q.id]: e.target.value })}>
              <option value="">Choose…</option>
              {q.options.map((o) => (
                <option key={o.label} value={o.label}>
                  {o.label}
                </option>
              ))}
            </select>
          ) : (
            <input className="input" type={q.isSecret ? 'password' : 'text'} value={answers[q.id] ?? ''} onChange={(e) => setAnswers({ ...answers, [q.id]: e.target.value })} />
          )}
        </label>
      ))}
      <div>
        <button type="submit" className="btn btn-primary" disabled={disabled}>
          Send answer
        </button>
      </div>
    </form>
  );
}

export interface ApprovalCardProps {
  readonly approval: PendingApproval;
  /** The changes of the file-change item this approval is about (from the thread). */
  readonly changes?: readonly FileUpdateChange[];
  readonly root?: string;
  readonly onAnswer: (result: unknown) => void;
}

export const ApprovalCard = memo(function ApprovalCard({ approval, changes, root, onAnswer }: ApprovalCardProps) {
  const { method } = approval;
  let title: string;
  let body: ReactNode;
  let buttons: DecisionButton[] = [];
  if (method === 'item/commandExecution/requestApproval') {
    const p = approval.params as unknown as CommandExecutionRequestApprovalParams;
    title = 'Run this command?';
    body = <CommandBody p={p} />;
    buttons = commandDecisionButtons(p);
  } else if (method === 'item/fileChange/requestApproval') {
    const p = approval.params as unknown as FileChangeRequestApprovalParams;
    title = 'Apply these changes?';
    body = (
      <>
        {p.reason ? <div className="approval-reason">{p.reason}</div> : null}
        {p.grantRoot ? (
          <dl className="approval-meta">
            <dt>Write access to</dt>
            <dd>{p.grantRoot}</dd>
          </dl>
        ) : null}
        <div className="approval-diff">{changes?.length ? <DiffView changes={changes} root={root} /> : <div className="list-footer">The diff is on its way…</div>}</div>
      </>
    );
    buttons = fileChangeDecisionButtons();
  } else if (method === 'item/permissions/requestApproval') {
    const p = approval.params as unknown as PermissionsRequestApprovalParams;
    title = 'Grant more permissions?';
    const granted = { ...(p.permissions.network ? { network: p.permissions.network } : {}), ...(p.permissions.fileSystem ? { fileSystem: p.permissions.fileSystem } : {}) };
    body = (
      <>
        {p.reason ? <div className="approval-reason">{p.reason}</div> : null}
        <pre className="approval-cmd">{JSON.stringify(p.permissions, null, 2)}</pre>
        <dl className="approval-meta">
          <dt>Folder</dt>
          <dd>{p.cwd}</dd>
        </dl>
      </>
    );
    buttons = [
      { label: 'Grant for this turn', result: { permissions: granted, scope: 'turn' }, tone: 'primary' },
      { label: 'Grant for this session', result: { permissions: granted, scope: 'session' }, tone: 'default' },
      { label: 'Decline', result: { permissions: {}, scope: 'turn' }, tone: 'default' },
    ];
  } else if (method === 'item/tool/requestUserInput') {
    const p = approval.params as unknown as ToolRequestUserInputParams;
    return (
      <div className="approval" role="region" aria-label="The agent asks a question" data-testid="approval-card">
        <div className="approval-head">
          <Icon name="chat" /> The agent asks
        </div>
        <UserInputBody p={p} onAnswer={onAnswer} disabled={approval.state === 'sending'} />
      </div>
    );
  } else {
    const p = approval.params as { serverName?: string; message?: string; description?: string };
    title = `${p.serverName ?? 'A tool'} asks for input`;
    body = <div className="approval-reason">{p.message ?? p.description ?? ''} This window cannot fill in this form; decline it here or answer it in the Codex TUI.</div>;
    buttons = [
      { label: 'Decline', result: { action: 'decline', content: null, _meta: null }, tone: 'default' },
      { label: 'Cancel', result: { action: 'cancel', content: null, _meta: null }, tone: 'danger' },
    ];
  }
  return (
    <div className="approval" role="region" aria-label={title} data-testid="approval-card">
      <div className="approval-head">
        <Icon name="alert" /> {title}
      </div>
      <div className="approval-body">{body}</div>
      <Actions buttons={buttons} approval={approval} onAnswer={onAnswer} />
    </div>
  );
});
