/**
 * A host's last error with its fix (connections-ui.md, "Errors with their fix"): the host's own
 * sentence, the fix it gave, and for an unknown host key the fingerprint and **Trust**. A
 * changed key has no Trust (the host refuses it; the fix says what to do).
 */
import type { SshHostErrorInfo } from '../../../../../shared/protocol/features/sshApi';

/** The short headline of each error code (the host's full message follows it). */
const HEADLINES: Partial<Record<SshHostErrorInfo['code'], string>> = {
  'codex-missing': "Codex is not installed on this host (not on the login shell's PATH)",
  'sign-in': 'Sign in to Codex on this host',
  'codex-too-old': 'Update Codex on this host',
  'host-key-unknown': 'Host key unknown',
  'host-key-changed': 'Host key changed \u2014 refusing to connect',
  'host-key-revoked': 'Host key revoked \u2014 refusing to connect',
  'password-required': 'Password required',
  'prompt-timeout': 'Password required',
  'remote-command': 'RemoteCommand in your config is not supported for this host',
};

export function HostErrorNotice({ error, trusting, onTrust }: { readonly error: SshHostErrorInfo; readonly trusting?: boolean; readonly onTrust?: (fingerprint: string) => void }) {
  const { headline, rest } = splitMessage(error);
  const shownRest = error.code === 'host-key-unknown' ? '' : rest;
  // The host's sentence often says the fix already (with the shell's own rc file): say it once.
  const shownFix = error.fix && !(shownRest && sameAdvice(shownRest, error.fix)) ? error.fix : '';
  const canTrust = error.code === 'host-key-unknown' && error.fingerprint !== undefined && onTrust !== undefined;
  return (
    <div className="ssh-error" role="alert" data-testid="ssh-host-error" data-code={error.code}>
      {error.code === 'host-key-unknown' && error.fingerprint ? (
        <div className="ssh-error-title">
          Host key unknown — fingerprint <code className="ssh-fingerprint">{error.fingerprint}</code>
          {error.keyType ? ` (${error.keyType})` : ''}
        </div>
      ) : (
        <div className="ssh-error-title">{headline}</div>
      )}
      {error.code === 'codex-too-old' && error.foundVersion ? (
        <div className="ssh-error-line">
          Found codex {error.foundVersion}
          {error.neededVersion ? `, needs ${error.neededVersion} or newer` : ''}.
        </div>
      ) : null}
      {shownRest ? <div className="ssh-error-message">{shownRest}</div> : null}
      {shownFix ? <div className="ssh-error-fix">{shownFix}</div> : null}
      {canTrust ? (
        <div className="ssh-error-actions">
          <button type="button" className="btn btn-primary btn-sm" disabled={trusting} onClick={() => onTrust(error.fingerprint!)}>
            {trusting ? 'Trusting…' : 'Trust'}
          </button>
        </div>
      ) : null}
    </div>
  );
}

/**
 * The headline of the error and what the host's message adds after it: the host's messages
 * start with the headline ("Sign in to Codex on this host: run codex login …"), so it shows once.
 */
export function splitMessage(error: Pick<SshHostErrorInfo, 'code' | 'message'>): { headline: string; rest: string } {
  const headline = HEADLINES[error.code];
  if (!headline) return { headline: error.message, rest: '' };
  if (!error.message.startsWith(headline)) return { headline, rest: error.message };
  const rest = error.message.slice(headline.length).replace(/^\s*[:;,—–-]\s*/, '').trim();
  return { headline, rest: rest.charAt(0).toUpperCase() + rest.slice(1) };
}

/** Whether two sentences give mostly the same advice (half of the shorter one's words are in the other). */
export function sameAdvice(a: string, b: string): boolean {
  const words = (t: string) => new Set(t.toLowerCase().match(/[a-z0-9@/._-]{4,}/g) ?? []);
  const wa = words(a);
  const wb = words(b);
  const shorter = wa.size <= wb.size ? wa : wb;
  const other = shorter === wa ? wb : wa;
  if (shorter.size === 0) return false;
  let common = 0;
  for (const w of shorter) if (other.has(w)) common++;
  return common / shorter.size >= 0.5;
}
