/**
 * The SSH hosts as the host API shows them (shared/protocol/features/sshApi.ts): each host's
 * state, phase, last error with its code and the fix (docs/ssh.md, "States, phases, errors";
 * the texts the SSH tab of Settings shows), and the details (alias, host, port, user, identity
 * files, remote Codex version). Only facts the user may see: no key material, no secrets.
 */
import type { SshHostInfo, SshPrompt } from '../../shared/protocol/features/sshApi.js';
import type { SshHostError } from './sshHostConnection.js';
import type { PendingPrompt, SshHostView } from './sshHosts.js';
import type { SshErrorCode } from './sshErrors.js';

/** What the user can do about each error (the message itself says what happened). */
export const SSH_ERROR_FIXES: Readonly<Record<SshErrorCode, string>> = {
  config: 'Check the host’s settings (or the ssh config), then connect again.',
  resolve: 'Check this host’s entry in your ssh config (ssh -G ALIAS shows what OpenSSH makes of it).',
  'remote-command': 'Remove RemoteCommand (or RequestTTY force) from this Host block, or add a separate alias without it.',
  'unsupported-config': 'Use ProxyJump instead of ProxyCommand for this host.',
  connect: 'Check that sshd runs on the host and that the address and port are right; it retries by itself.',
  'host-key-unknown': 'Compare the fingerprint with the host’s own (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub there), then Trust it.',
  'host-key-changed': 'If the host was reinstalled, remove the old key (ssh-keygen -R HOST) or remove and add the host again; otherwise do not connect.',
  'host-key-revoked': 'The key is marked @revoked in your known_hosts: ask the host’s owner.',
  auth: 'Check the user, the IdentityFile and the agent (ssh-add -l), then Restart connection.',
  'password-required': 'Connect again and answer the password prompt, or use a key (IdentityFile or the agent).',
  'prompt-timeout': 'Connect again and answer the prompt within its time, or use a key.',
  'codex-missing': 'Install Codex on the host (npm install -g @openai/codex), or add its folder to PATH in the login shell’s startup file, then Restart connection.',
  'codex-too-old': 'Run npm install -g @openai/codex@latest on the host, then Restart connection.',
  'codex-broken': 'Check the login shell and the codex binary on the host, then Restart connection.',
  'engine-start': 'See the message; it retries by itself. Restart connection to try now.',
  'sign-in': 'Run codex login on the host as this user, then Restart connection.',
  disconnected: 'It reconnects by itself; Restart connection to try now.',
  internal: 'Restart connection; if it happens again, see the host log.',
};

/** The hub environment id of a host: `ssh:<alias>`, or a safe form with a hash when the alias does not fit. */
export function environmentIdOf(name: string): string {
  if (/^[A-Za-z0-9._@-]{1,60}$/.test(name) && /^[A-Za-z0-9]/.test(name)) return `ssh:${name}`;
  const safe = name.replace(/[^A-Za-z0-9._@-]/g, '-').slice(0, 40);
  return `ssh:${/^[A-Za-z0-9]/.test(safe) ? safe : `h${safe}`}-${fnv1a(name)}`;
}

/** One host as `host/ssh/list` and `host/ssh/changed` carry it. */
export function toSshHostInfo(view: SshHostView): SshHostInfo {
  const s = view.status;
  const target = s.target;
  const manual = view.manual;
  return {
    name: view.name,
    source: view.source,
    ...(view.file !== undefined ? { file: view.file } : {}),
    ...(view.line !== undefined ? { line: view.line } : {}),
    enabled: view.enabled,
    listed: view.listed,
    ...(view.enabled ? { environmentId: environmentIdOf(view.name) } : {}),
    state: s.state,
    ...(s.phase ? { phase: s.phase } : {}),
    ...(s.retryInMs !== undefined ? { retryInMs: Math.max(0, Math.round(s.retryInMs)) } : {}),
    disconnects: s.disconnects,
    ...(s.lastError ? { lastError: toErrorInfo(s.lastError) } : {}),
    details: {
      ...(target ? { hostName: target.hostName, port: target.port, user: target.user } : manual ? { hostName: manual.hostName, port: manual.port, user: manual.user } : {}),
      identityFiles: [...(target?.identityFiles ?? (manual?.identityFile ? [manual.identityFile] : []))].slice(0, 32),
      via: [...(target?.via ?? [])].slice(0, 8),
      ...(s.remote ? { remote: { codexVersion: s.remote.codexVersion, shell: s.remote.shell, user: s.remote.user } } : {}),
    },
  };
}

export function toErrorInfo(e: SshHostError): NonNullable<SshHostInfo['lastError']> {
  const d = e.details;
  return {
    code: e.code,
    message: e.message.slice(0, 1000),
    fix: SSH_ERROR_FIXES[e.code],
    ...(d.fingerprint ? { fingerprint: d.fingerprint } : {}),
    ...(d.keyType ? { keyType: d.keyType } : {}),
    ...(d.expected ? { expectedFingerprint: d.expected } : {}),
    ...(d.found ? { foundVersion: d.found } : {}),
    ...(d.need ? { neededVersion: d.need } : {}),
  };
}

/** A waiting prompt as `host/ssh/prompt` carries it (the question only, never an answer). */
export function toPromptInfo(p: PendingPrompt): SshPrompt {
  const r = p.request;
  return {
    promptId: p.id,
    host: r.host,
    kind: r.kind,
    title: r.title.slice(0, 500),
    instructions: r.instructions.slice(0, 2000),
    prompts: r.prompts.slice(0, 16).map((q) => ({ text: q.text.slice(0, 500), echo: q.echo })),
    expiresAt: new Date(p.expiresAt).toISOString(),
  };
}

function fnv1a(s: string): string {
  let h = 0x811c9dc5;
  for (const ch of s) {
    h ^= ch.codePointAt(0)!;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}
