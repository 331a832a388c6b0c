/**
 * Password, keyboard-interactive and key-passphrase questions (docs/ssh.md, anti-pattern 6):
 * the SSH code never opens a dialog; it asks an injected `SshPrompter` (the UI and the CLI
 * answer through the SshHosts service), and every question has a deadline, so a prompt nobody
 * answers ends in a clear error instead of a connection that hangs (#44446).
 */
import { SshError } from './sshErrors.js';

export type SshPromptKind = 'password' | 'keyboard-interactive' | 'passphrase';

export interface SshPromptRequest {
  /** The host alias being connected. */
  readonly host: string;
  readonly kind: SshPromptKind;
  /** e.g. "Password for alice@devbox", or the server's keyboard-interactive name. */
  readonly title: string;
  /** The server's instructions (keyboard-interactive), else ''. */
  readonly instructions: string;
  /** One entry per answer wanted; `echo: false` for secrets. */
  readonly prompts: readonly { readonly text: string; readonly echo: boolean }[];
}

export interface SshPrompter {
  /**
   * Asks the user; resolves one answer per prompt, or undefined when the user cancelled. The
   * signal aborts when the question is no longer wanted (deadline passed, connection gone).
   */
  prompt(request: SshPromptRequest, signal: AbortSignal): Promise<readonly string[] | undefined>;
}

export const DEFAULT_PROMPT_TIMEOUT_MS = 60_000;
const MAX_ANSWER_CHARS = 4096;

/** Asks through `prompter` with a deadline; throws `SshError` when nobody can or does answer. */
export async function askUser(prompter: SshPrompter | undefined, request: SshPromptRequest, timeoutMs: number = DEFAULT_PROMPT_TIMEOUT_MS): Promise<string[]> {
  const what = request.kind === 'passphrase' ? 'Passphrase required' : 'Password required';
  if (!prompter) throw new SshError('password-required', `${what} — ${request.host} asked for ${describe(request)} and nothing can ask you here; use a key (IdentityFile or the agent), or connect from the app`);
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      // Reject before aborting: the abort makes the prompter resolve "cancelled", which must not win the race.
      reject(new SshError('prompt-timeout', `${what} — nobody answered the prompt for ${request.host} within ${Math.round(timeoutMs / 1000)} s; connect again and answer it`));
      controller.abort();
    }, timeoutMs);
  });
  try {
    const answers = await Promise.race([prompter.prompt(request, controller.signal), deadline]);
    if (answers === undefined) throw new SshError('password-required', `${what} — the prompt for ${request.host} was cancelled`);
    if (answers.length !== request.prompts.length || answers.some((a) => typeof a !== 'string' || a.length > MAX_ANSWER_CHARS)) {
      throw new SshError('password-required', `${what} — the answer for ${request.host} did not fit the prompt`);
    }
    return [...answers];
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}

function describe(r: SshPromptRequest): string {
  if (r.kind === 'passphrase') return 'a key passphrase';
  if (r.kind === 'password') return 'a password';
  return r.prompts.length === 1 ? `"${r.prompts[0]!.text.trim().slice(0, 60)}"` : 'answers to its questions';
}
