/**
 * A password, passphrase or keyboard-interactive question from a connecting host
 * (`host/ssh/prompt`): one field per question (hidden unless the server says it echoes), the
 * time left before the host stops waiting, **Cancel**. The answers go to the host once and are
 * not kept here after sending.
 */
import { useEffect, useState } from 'react';
import type { SshPrompt } from '../../../../../shared/protocol/features/sshApi';
import { SshDialog } from './SshDialog';
import { callSsh, sshErrorText, type SshSessionLike } from './sshApiClient';
import { FormFooter } from '../FormFooter';

export function PromptDialog({ prompt, session, now = Date.now }: { readonly prompt: SshPrompt; readonly session: Pick<SshSessionLike, 'requestHost'>; readonly now?: () => number }) {
  const [answers, setAnswers] = useState<string[]>(() => prompt.prompts.map(() => ''));
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const [left, setLeft] = useState(() => secondsLeft(prompt.expiresAt, now()));
  useEffect(() => {
    const t = setInterval(() => setLeft(secondsLeft(prompt.expiresAt, now())), 1000);
    return () => clearInterval(t);
  }, [prompt.expiresAt, now]);

  const cancel = () => void callSsh(session, 'host/ssh/prompt/cancel', { promptId: prompt.promptId }).catch(() => undefined);
  return (
    <SshDialog title={prompt.title} onClose={cancel} testId="ssh-prompt">
      <form
        className="ssh-form"
        onSubmit={async (e) => {
          e.preventDefault();
          setSending(true);
          setError(undefined);
          try {
            await callSsh(session, 'host/ssh/prompt/answer', { promptId: prompt.promptId, answers });
            setAnswers(answers.map(() => ''));
          } catch (err) {
            setError(sshErrorText(err));
          } finally {
            setSending(false);
          }
        }}
      >
        <p className="ssh-note">
          <strong>{prompt.host}</strong> is asking while it connects. {left > 0 ? `It waits ${left} s more.` : 'It stopped waiting.'}
        </p>
        {prompt.instructions ? <p className="ssh-note">{prompt.instructions}</p> : null}
        {prompt.prompts.map((q, i) => (
          <label className="ssh-field" key={i}>
            <span className="field-label">{q.text || (prompt.kind === 'passphrase' ? 'Passphrase' : 'Password')}</span>
            <input
              className="input"
              type={q.echo ? 'text' : 'password'}
              autoComplete="off"
              value={answers[i] ?? ''}
              onChange={(e) => setAnswers(answers.map((a, j) => (j === i ? e.target.value : a)))}
            />
          </label>
        ))}
        <FormFooter refusal={error} onCancel={cancel} submitLabel={sending ? 'Sending…' : 'Continue'} submitDisabled={sending || left <= 0} />
      </form>
    </SshDialog>
  );
}

function secondsLeft(expiresAt: string, now: number): number {
  const t = Date.parse(expiresAt);
  return Number.isFinite(t) ? Math.max(0, Math.ceil((t - now) / 1000)) : 0;
}
