/**
 * The errors an SSH host can end in, each with a stable code (for UI/CLI logic) and a one-line
 * message a user can act on (docs/connections-ui.md, "SSH": the texts the UI shows). Messages never
 * carry secrets (passwords, key material); paths to identity files are fine (they stay in the host).
 */
import { SSH_ERROR_CODE_NAMES } from '../../shared/protocol/features/sshApi.js';

/** The codes, declared once in the host API (shared/protocol/features/sshApi.ts) and re-exported here. */
export const SSH_ERROR_CODES = SSH_ERROR_CODE_NAMES;
export type SshErrorCode = (typeof SSH_ERROR_CODES)[number];

/** Codes that will not fix themselves: reconnecting with backoff is pointless until the user acts. */
const PERMANENT: ReadonlySet<SshErrorCode> = new Set<SshErrorCode>([
  'config',
  'resolve',
  'remote-command',
  'unsupported-config',
  'host-key-unknown',
  'host-key-changed',
  'host-key-revoked',
  'auth',
  'password-required',
  'prompt-timeout',
  'codex-missing',
  'codex-too-old',
  'codex-broken',
  'sign-in',
]);

export class SshError extends Error {
  constructor(
    readonly code: SshErrorCode,
    message: string,
    /** Extra facts for the UI (e.g. the fingerprint to trust); never secrets. */
    readonly details: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'SshError';
  }

  /** False when retrying cannot help (bad config, host key, auth, missing codex). */
  get retryable(): boolean {
    return !PERMANENT.has(this.code);
  }
}

/** The message shown for a `RemoteCommand` (or `RequestTTY force`) in the resolved config. */
export const REMOTE_COMMAND_MESSAGE = 'RemoteCommand in your config is not supported for this host';
export const CODEX_MISSING_MESSAGE = "Codex is not installed on this host (not on the login shell's PATH)";
export const SIGN_IN_MESSAGE = 'Sign in to Codex on this host';
