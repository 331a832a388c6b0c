/**
 * The real Codex TUI (`codex --remote`, the dependency's binary) against our host's listener,
 * in tmux (docs/engine.md §10): it starts, takes a prompt, shows the command approval, runs the
 * command after `y`, and shows its output. Then again through a capability-token listener with
 * `--remote-auth-token-env`.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { findCodexBinary } from '../host/engine/findCodexBinary.js';
import { useStack } from './fixtures/stack.js';
import { TmuxSession } from './fixtures/tmux.js';

const stack = useStack({ label: 'real-tui', host: false });
const codex = findCodexBinary({ env: process.env }).path;
let tuiHome: string;

beforeAll(async () => {
  // The TUI's own, nearly empty CODEX_HOME: the engine (and its config) lives behind our host.
  tuiHome = join(stack.home.root, 'tui-home');
  await mkdir(tuiHome);
  await writeFile(join(tuiHome, 'config.toml'), 'check_for_update_on_startup = false\n');
});

async function runApprovalThroughTui(session: TmuxSession, marker: string): Promise<string> {
  await session.waitFor(/Ask Codex to do anything/, 45_000);
  session.type(`please RUN touch ${marker} && echo shell-ran-ok`);
  // The TUI treats keys that arrive in a burst as a paste, and on a loaded machine it may still
  // be busy with its start-up requests: give it a moment, and press Enter again if the prompt
  // was not submitted (the composer still holds it and nothing runs).
  let asking = '';
  for (let attempt = 0; attempt < 3 && !asking; attempt++) {
    await new Promise((r) => setTimeout(r, 1000));
    session.press('Enter');
    asking = await session.waitFor(/Would you like to run the following command\?/, attempt === 2 ? 45_000 : 15_000).catch(() => '');
  }
  expect(asking).toMatch(/Would you like to run the following command\?/);
  expect(asking).toContain(`$ touch ${marker} && echo shell-ran-ok`);
  session.press('y');
  // The command's output block follows "• Ran …" (└ …). The user's login shell may print its own
  // noise first (e.g. a pyenv rehash warning), so look for the output anywhere in that block.
  const screen = await session.waitFor(/• Ran touch [^\n]*\n\s*└[\s\S]*?shell-ran-ok[\s\S]*Worked for/, 45_000);
  const block = screen.slice(screen.indexOf('• Ran touch'));
  expect(block.slice(0, block.search(/\n• (?!Ran)|Worked for/)).split('\n').slice(1).some((l) => l.trim().endsWith('shell-ran-ok'))).toBe(true);
  return screen;
}

describe('the real codex TUI over our listener', () => {
  it('runs a turn with an approval (no auth, loopback)', async () => {
    const host = await stack.startHost({ args: ['--listen', 'ws://127.0.0.1:0'] });
    const s = stack.track(TmuxSession.start(`tui-plain-${process.pid}`, [codex, '--remote', host.listenUrl!], { cwd: stack.home.workdir, env: { CODEX_HOME: tuiHome } }));
    const screen = await runApprovalThroughTui(s, 'tui-plain.txt');
    expect(screen).toContain('✔ You approved codex to run touch tui-plain.txt && echo shell-ran-ok this time');
    expect(existsSync(join(stack.home.workdir, 'tui-plain.txt'))).toBe(true);
  }, 120_000);

  it('authenticates with a capability token passed through --remote-auth-token-env', async () => {
    const token = randomBytes(32).toString('base64url');
    const tokenFile = join(stack.home.root, 'listener-token');
    await writeFile(tokenFile, `${token}\n`, { mode: 0o600 });
    const host = await stack.startHost({ args: ['--listen', 'ws://127.0.0.1:0', '--ws-auth', 'capability-token', '--ws-token-file', tokenFile] });
    const s = stack.track(
      TmuxSession.start(`tui-token-${process.pid}`, [codex, '--remote', host.listenUrl!, '--remote-auth-token-env', 'CODEX_HOST_TEST_TOKEN'], {
        cwd: stack.home.workdir,
        env: { CODEX_HOME: tuiHome, CODEX_HOST_TEST_TOKEN: token },
      }),
    );
    const screen = await runApprovalThroughTui(s, 'tui-token.txt');
    expect(screen).toContain('✔ You approved codex to run touch tui-token.txt && echo shell-ran-ok this time');
    expect(existsSync(join(stack.home.workdir, 'tui-token.txt'))).toBe(true);

    // The same listener turns away a TUI with the wrong token.
    // Wrapped so the pane (and the TUI's last words) outlive the TUI's exit.
    const bad = stack.track(
      TmuxSession.start(`tui-badtoken-${process.pid}`, ['sh', '-c', '"$@"; echo "[tui exited $?]"; sleep 60', 'sh', codex, '--remote', host.listenUrl!, '--remote-auth-token-env', 'CODEX_HOST_TEST_TOKEN'], {
        cwd: stack.home.workdir,
        env: { CODEX_HOME: tuiHome, CODEX_HOST_TEST_TOKEN: 'wrong-token' },
      }),
    );
    const refused = await bad.waitFor(/\[tui exited \d+\]/, 30_000);
    expect(refused).toMatch(/401/);
    expect(refused).not.toContain('[tui exited 0]');
  }, 120_000);
});
