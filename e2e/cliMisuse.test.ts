/**
 * `codex-host` misuse gets one clear line and a non-zero exit, never a stack trace (README.md
 * "Configuration"): bad flags, the listener flag rules of docs/engine.md §9 (checked before
 * anything starts), an unwritable data dir, a busy port, a second host on the same data dir,
 * and CLI commands when no host runs.
 */
import { createServer, type Server } from 'node:net';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCliAsync } from './fixtures/hostProcess.js';
import { useStack } from './fixtures/stack.js';

// Only the model and CODEX_HOME: each test runs the CLI (or a host) itself, in folders of home.root.
const stack = useStack({ label: 'cli-misuse', host: false });
const dir = (): string => stack.home.root;

function noStack(stderr: string) {
  expect(stderr).not.toMatch(/\n\s+at /);
}

describe('codex-host usage errors', () => {
  it('rejects an unknown flag with exit 2 and a hint', async () => {
    const r = await runCliAsync(['serve', '--bogus']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("error: unknown option '--bogus'");
    expect(r.stderr).toContain('(run codex-host --help for usage)');
  });

  it('rejects an unknown command', async () => {
    const r = await runCliAsync(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("error: unknown command 'frobnicate'");
  });

  const tokenFile = () => join(dir(), 'token');
  const listenerCases: [string, string[], RegExp][] = [
    ['a hostname listen URL', ['--listen', 'ws://localhost:0'], /invalid websocket --listen URL `ws:\/\/localhost:0`; expected `ws:\/\/IP:PORT`/],
    ['non-loopback without auth', ['--listen', 'ws://0.0.0.0:0'], /refusing to start non-loopback websocket listener 0\.0\.0\.0:0 without auth/],
    ['capability-token without a source', ['--listen', 'ws://127.0.0.1:0', '--ws-auth', 'capability-token'], /`--ws-token-file` or `--ws-token-sha256` is required when `--ws-auth capability-token` is set/],
    ['a bad sha256', ['--listen', 'ws://127.0.0.1:0', '--ws-auth', 'capability-token', '--ws-token-sha256', 'abc'], /--ws-token-sha256 must be a 64-character hex SHA-256 digest/],
    ['token flags without --ws-auth', ['--listen', 'ws://127.0.0.1:0', '--ws-token-sha256', 'a'.repeat(64)], /websocket auth flags require `--ws-auth capability-token` or `--ws-auth signed-bearer-token`/],
    ['an audience with capability tokens', ['--listen', 'ws://127.0.0.1:0', '--ws-auth', 'capability-token', '--ws-token-sha256', 'a'.repeat(64), '--ws-audience', 'x'], /require `--ws-auth signed-bearer-token`/],
    ['auth flags without --listen', ['--ws-auth', 'capability-token'], /websocket auth flags require --listen ws:\/\/IP:PORT/],
  ];
  for (const [what, args, message] of listenerCases) {
    it(`refuses ${what}`, async () => {
      const r = await runCliAsync(['serve', '--data-dir', join(dir(), 'never-used'), '--no-remote', ...args]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      noStack(r.stderr);
    });
  }

  it('refuses a short signed-bearer secret and an empty token file', async () => {
    await writeFile(tokenFile(), '');
    const short = join(dir(), 'short-secret');
    await writeFile(short, 'x'.repeat(31));
    const a = await runCliAsync(['serve', '--no-remote', '--listen', 'ws://127.0.0.1:0', '--ws-auth', 'signed-bearer-token', '--ws-shared-secret-file', short]);
    expect(a.stderr).toMatch(/signed websocket bearer secret .*short-secret must be at least 32 bytes/);
    const b = await runCliAsync(['serve', '--no-remote', '--listen', 'ws://127.0.0.1:0', '--ws-auth', 'capability-token', '--ws-token-file', tokenFile()]);
    expect(b.stderr).toMatch(/websocket auth secret .*token must not be empty/);
    expect([a.code, b.code]).toEqual([2, 2]);
  });

  it('explains a data dir that cannot be written', async () => {
    const file = join(dir(), 'a-file');
    await writeFile(file, 'x');
    const r = await runCliAsync(['serve', '--no-remote', '--data-dir', join(file, 'sub')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^codex-host: data dir .*a-file\/sub is not writable \(a path component is not a directory\); choose another with --data-dir\n$/);
  });

  it('explains a codex binary that does not exist', async () => {
    const r = await runCliAsync(['serve', '--no-remote', '--data-dir', join(dir(), 'd1'), '--codex-bin', '/nonexistent/codex']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^codex-host: .*\/nonexistent\/codex/);
    noStack(r.stderr);
  });

  it('explains a busy listener port', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    try {
      const r = await runCliAsync(['serve', '--no-remote', '--data-dir', join(dir(), 'd2'), '--listen', `ws://127.0.0.1:${port}`], stack.env);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`codex-host: listen ws://127.0.0.1:${port}: address already in use`);
      noStack(r.stderr);
    } finally {
      blocker.close();
    }
  });

  it('says the host is not running for status, pair and devices', async () => {
    for (const cmd of [['status'], ['pair'], ['devices'], ['devices', 'revoke', '1325b850c2871916eae203f0efc3c898']]) {
      const r = await runCliAsync([...cmd, '--data-dir', join(dir(), 'empty')]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/codex-host is not running \(no control file at .*\); start it with `codex-host serve`/);
    }
  });

  it('refuses to start a second host on the same data dir', async () => {
    const dataDir = join(dir(), 'shared');
    await stack.startHost({ dataDir });
    const r = await runCliAsync(['serve', '--no-remote', '--data-dir', dataDir], stack.env);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/codex-host is already running with data dir .*shared; stop it first or choose another --data-dir/);
  });
});
