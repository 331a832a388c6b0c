import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { askLine, confirm, isInteractive, PromptCancelledError, type TerminalIo } from './sshCommandPrompt.js';

/** A fake terminal: what the user types goes into `input`; `raw` records setRawMode calls. */
function terminal(tty = true) {
  const input = Object.assign(new PassThrough(), { isTTY: tty, raw: [] as boolean[], setRawMode(on: boolean) {
    input.raw.push(on);
  } });
  let shown = '';
  const io: TerminalIo = { input, output: { write: (t: string) => (shown += t) } };
  return { io, input, shown: () => shown };
}

describe('asking at the terminal', () => {
  it('reads a hidden answer without echoing anything, with Backspace, in raw mode only while asking', async () => {
    const t = terminal();
    const answer = askLine(t.io, 'Password: ', false);
    t.input.write('hunt');
    t.input.write('x\u007f');
    t.input.write('er2\r');
    expect(await answer).toBe('hunter2');
    expect(t.shown()).toBe('Password: \n');
    expect(t.input.raw).toEqual([true, false]);
  });

  it('echoes a visible answer', async () => {
    const t = terminal();
    const answer = askLine(t.io, 'Code? ', true);
    t.input.write('12\u007f3\n');
    expect(await answer).toBe('13');
    expect(t.shown()).toBe('Code? 12\b \b3\n');
  });

  it('cancels on Ctrl+C and on Ctrl+D at an empty answer', async () => {
    const t = terminal();
    const a = askLine(t.io, 'Password: ', false);
    t.input.write('abc\u0003');
    await expect(a).rejects.toBeInstanceOf(PromptCancelledError);
    expect(t.input.raw).toEqual([true, false]);
    const b = askLine(t.io, 'Password: ', false);
    t.input.write('\u0004');
    await expect(b).rejects.toBeInstanceOf(PromptCancelledError);
  });

  it('gives the terminal back when the question is withdrawn (the host stopped waiting)', async () => {
    const t = terminal();
    const stop = new AbortController();
    const a = askLine(t.io, 'Password: ', false, stop.signal);
    t.input.write('hal');
    stop.abort();
    await expect(a).rejects.toBeInstanceOf(PromptCancelledError);
    expect(t.input.raw).toEqual([true, false]);
    expect(t.input.isPaused()).toBe(true);
    expect(t.input.listenerCount('data')).toBe(0);
  });

  it('confirms only on y or yes', async () => {
    for (const [typed, yes] of [['y\r', true], ['YES\r', true], ['\r', false], ['no\r', false], ['yep\r', false]] as const) {
      const t = terminal();
      const c = confirm(t.io, 'Trust this key?');
      t.input.write(typed);
      expect(await c).toBe(yes);
      expect(t.shown().startsWith('Trust this key? [y/N] ')).toBe(true);
    }
  });

  it('is interactive only on a terminal that has a raw mode', () => {
    expect(isInteractive(terminal().io)).toBe(true);
    expect(isInteractive(terminal(false).io)).toBe(false);
    expect(isInteractive({ input: new PassThrough(), output: { write: () => true } })).toBe(false);
  });
});
