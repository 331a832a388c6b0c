/**
 * Asking the person at the terminal (`codex-host ssh enable` / `ssh trust`): a password or
 * passphrase without echo, a keyboard-interactive answer, a y/N question. Only when standard
 * input is a terminal (the caller checks `isInteractive`); what is typed is returned to the
 * caller and never written anywhere. Ctrl+C or Ctrl+D cancels.
 */

/** The terminal: stdin/stdout, or fakes in tests. */
export interface TerminalIo {
  readonly input: NodeJS.ReadableStream & { readonly isTTY?: boolean; setRawMode?(raw: boolean): unknown };
  readonly output: { write(text: string): unknown };
}

/** The person cancelled (Ctrl+C / Ctrl+D). */
export class PromptCancelledError extends Error {
  constructor() {
    super('cancelled at the terminal');
    this.name = 'PromptCancelledError';
  }
}

export function isInteractive(io: TerminalIo): boolean {
  return io.input.isTTY === true && typeof io.input.setRawMode === 'function';
}

const MAX_ANSWER_CHARS = 4096;

/**
 * Reads one line in raw mode: printable characters are echoed only when `echo` (a hidden
 * answer shows nothing at all, not even stars), Backspace deletes, Enter ends. `signal`
 * withdraws the question (the terminal is given back, the promise rejects as cancelled).
 */
export function askLine(io: TerminalIo, question: string, echo: boolean, signal?: AbortSignal): Promise<string> {
  const { input, output } = io;
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new PromptCancelledError());
    let answer = '';
    let done = false;
    const onAbort = () => finish(new PromptCancelledError());
    const finish = (err?: Error) => {
      if (done) return;
      done = true;
      signal?.removeEventListener('abort', onAbort);
      input.removeListener('data', onData);
      input.setRawMode?.(false);
      input.pause();
      output.write('\n');
      if (err) reject(err);
      else resolve(answer);
    };
    const onData = (chunk: Buffer | string) => {
      for (const ch of typeof chunk === 'string' ? chunk : chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return finish();
        if (ch === '\u0003' || (ch === '\u0004' && answer === '')) return finish(new PromptCancelledError());
        if (ch === '\u007f' || ch === '\b') {
          if (answer) {
            answer = [...answer].slice(0, -1).join('');
            if (echo) output.write('\b \b');
          }
          continue;
        }
        // eslint-disable-next-line no-control-regex
        if (/[\u0000-\u001f]/.test(ch) || answer.length >= MAX_ANSWER_CHARS) continue;
        answer += ch;
        if (echo) output.write(ch);
      }
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    output.write(question);
    input.setRawMode?.(true);
    input.on('data', onData);
    input.resume();
  });
}

/** "… [y/N] ": true only for y or yes. */
export async function confirm(io: TerminalIo, question: string, signal?: AbortSignal): Promise<boolean> {
  return /^y(es)?$/i.test((await askLine(io, `${question} [y/N] `, true, signal)).trim());
}
