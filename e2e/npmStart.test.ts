/**
 * `npm start` on a machine like this one (README.md's first command): no display and no Electron
 * binary, so the launcher (scripts/start.mjs) says why and runs `codex-host serve --ui`; the host
 * answers `codex-host status`, the UI address it repeats serves the page, and a SIGTERM to the launcher stops the host cleanly.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCodexHome, TEST_OUTPUT_DIR, type CodexHomeFixture } from './fixtures/codexHome.js';
import { startFakeResponses, type FakeResponsesServer } from './fixtures/fakeResponses.js';
import { CLI, REPO_ROOT, runCliAsync } from './fixtures/hostProcess.js';

let fake: FakeResponsesServer;
let home: CodexHomeFixture;
let dataDir: string;
let launcher: ChildProcess | undefined;
let out = '';
let exited: Promise<number | null>;

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first (npm test does it)`);
  fake = await startFakeResponses();
  home = await createCodexHome({ modelBaseUrl: fake.baseUrl, label: 'npm-start' });
  dataDir = await mkdtemp(join(TEST_OUTPUT_DIR, 'npm-start-data-'));
  const env = { ...home.env };
  delete env.DISPLAY;
  delete env.WAYLAND_DISPLAY;
  delete env.CODEX_HOST_START;
  delete env.ELECTRON_OVERRIDE_DIST_PATH;
  launcher = spawn(process.execPath, [join(REPO_ROOT, 'scripts', 'start.mjs'), '--data-dir', dataDir, '--no-remote'], { cwd: home.workdir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  launcher.stdout!.on('data', (c: Buffer) => (out += c.toString('utf8')));
  launcher.stderr!.resume();
  exited = new Promise((r) => launcher!.once('exit', (code) => r(code)));
  const deadline = Date.now() + 60_000;
  while (!/Press Ctrl\+C to stop\./.test(out)) {
    if (Date.now() > deadline || launcher.exitCode !== null) throw new Error(`npm start did not bring the host up:\n${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
});

afterAll(async () => {
  if (launcher && launcher.exitCode === null) {
    launcher.kill('SIGKILL');
    await exited;
  }
  await fake?.close();
  await home?.cleanup();
  await rm(dataDir, { recursive: true, force: true });
});

describe('npm start without a display or Electron', () => {
  it('says why it does not open the desktop app, and serves instead', async () => {
    const first = out.split('\n')[0]!;
    const electronDownloaded = existsSync(join(REPO_ROOT, 'node_modules', 'electron', 'path.txt'));
    expect(first).toMatch(/^npm start: /);
    if (!electronDownloaded) expect(first).toContain('Electron is not installed (its binary has not been downloaded: run `npx install-electron` once, with network access)');
    expect(first).toContain('no display ($DISPLAY and $WAYLAND_DISPLAY are not set)');
    expect(out).toMatch(/Codex Host \S+ is running on /);
    const status = await runCliAsync(['status', '--data-dir', dataDir]);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/engine:\s+running/);

    expect(first).toContain('serving the UI in your browser instead (codex-host serve --ui');
    const url = /^npm start: .*: serving the UI at (http:\/\/127\.0\.0\.1:\d+\/\S*)$/m.exec(out)?.[1];
    expect(url).toMatch(/#token=[A-Za-z0-9_-]{16,}/);
    const page = await fetch(url!.split('#')[0]!);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');
  });

  it('stops the host cleanly when the launcher is told to stop', async () => {
    launcher!.kill('SIGTERM');
    await expect(exited).resolves.toBe(0);
    expect(existsSync(join(dataDir, 'host.lock'))).toBe(false);
  });
});
