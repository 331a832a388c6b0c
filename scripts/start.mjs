#!/usr/bin/env node
// `npm start` (after the build): the desktop app where it can run, the browser UI where it
// cannot (README.md, docs/desktop.md "npm start").
// - Electron is used when its binary is installed (read from node_modules/electron/path.txt and
//   the dist folder; `require('electron')` is never called here, because in plain Node it starts
//   a download) and there is a display (macOS and Windows always; Linux needs DISPLAY or
//   WAYLAND_DISPLAY).
// - Otherwise it runs `codex-host serve --ui` and says why, then repeats the UI's address once
//   the host prints it. CODEX_HOST_START=serve or =electron forces a choice.
// Arguments after `npm start --` go to the app or to `serve`.
import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The Electron binary `npx electron` would run, or undefined with the reason it is missing. */
export function findElectronBinary(repoRoot = REPO_ROOT, env = process.env) {
  const pkg = join(repoRoot, 'node_modules', 'electron');
  if (!existsSync(join(pkg, 'package.json'))) return { reason: 'Electron is not installed (no node_modules/electron; run npm ci)' };
  let rel;
  try {
    rel = readFileSync(join(pkg, 'path.txt'), 'utf8').trim();
  } catch {
    rel = undefined;
  }
  const base = env.ELECTRON_OVERRIDE_DIST_PATH || join(pkg, 'dist');
  const binary = rel ? join(base, rel) : env.ELECTRON_OVERRIDE_DIST_PATH ? join(base, 'electron') : undefined;
  if (!binary || !isExecutable(binary)) {
    return { reason: 'Electron is not installed (its binary has not been downloaded: run `npx install-electron` once, with network access)' };
  }
  return { binary };
}

function isExecutable(file) {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, process.platform === 'win32' ? constants.F_OK : constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Why there is no display to open a window on, or undefined. */
export function noDisplayReason(platform = process.platform, env = process.env) {
  if (platform !== 'linux' && platform !== 'freebsd' && platform !== 'openbsd') return undefined;
  if (env.DISPLAY || env.WAYLAND_DISPLAY) return undefined;
  return 'no display ($DISPLAY and $WAYLAND_DISPLAY are not set)';
}

/**
 * What `npm start` runs: `{mode: 'electron', binary, args}` or `{mode: 'serve', reason, args}`.
 * `serveHasUi` says whether this build's `serve` accepts `--ui`.
 */
export function chooseLaunch({ platform = process.platform, env = process.env, electron, serveHasUi, args = [] }) {
  const forced = env.CODEX_HOST_START;
  const serve = (reason) => ({ mode: 'serve', reason, args: ['serve', ...(serveHasUi ? ['--ui'] : []), ...args] });
  if (forced === 'serve') return serve('CODEX_HOST_START=serve');
  if (forced !== 'electron') {
    const display = noDisplayReason(platform, env);
    if (electron.reason && display) return serve(`${electron.reason}; ${display}`);
    if (electron.reason || display) return serve(electron.reason ?? display);
  } else if (electron.reason) return serve(electron.reason);
  return { mode: 'electron', binary: electron.binary, args: [REPO_ROOT, ...args] };
}

/** Whether this build's `codex-host serve` knows `--ui` (the browser UI). */
export function serveSupportsUi(cli) {
  const r = spawnSync(process.execPath, [cli, 'serve', '--help'], { encoding: 'utf8', timeout: 20_000 });
  return r.status === 0 && /--ui\b/.test(r.stdout);
}

// The child runs in its own process group (not on Windows, where that would open a console),
// so a Ctrl+C in the terminal reaches it once, through us, and a second Ctrl+C still means "now".
const OWN_GROUP = process.platform !== 'win32';

function forwardSignals(child) {
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(sig, () => {
      if (OWN_GROUP || sig !== 'SIGINT') child.kill(sig);
    });
  }
}

function main() {
  const args = process.argv.slice(2);
  const cli = join(REPO_ROOT, 'dist', 'host', 'cli', 'main.js');
  if (!existsSync(cli)) {
    console.error('npm start: the host is not built (no dist/host/cli/main.js); run `npm run build` first');
    process.exit(1);
  }
  const electron = findElectronBinary();
  const serveHasUi = serveSupportsUi(cli);
  const plan = chooseLaunch({ electron, serveHasUi, args });
  if (plan.mode === 'electron') {
    console.log('npm start: opening the Codex Host desktop app (Electron)');
    const child = spawn(plan.binary, plan.args, { stdio: ['ignore', 'inherit', 'inherit'], env: process.env, detached: OWN_GROUP });
    forwardSignals(child);
    child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
    return;
  }
  const what = serveHasUi ? 'serving the UI in your browser instead' : 'running the headless host instead (this build has no browser UI: `serve --ui` is missing)';
  console.log(`npm start: ${plan.reason}: ${what} (codex-host ${plan.args.join(' ')})`);
  const child = spawn(process.execPath, [cli, ...plan.args], { stdio: ['ignore', 'pipe', 'inherit'], env: process.env, detached: OWN_GROUP });
  forwardSignals(child);
  const lines = createInterface({ input: child.stdout });
  lines.on('line', (line) => {
    process.stdout.write(`${line}\n`);
    const ui = /^\s*ui:\s+(https?:\/\/\S+)/.exec(line);
    if (ui) process.stdout.write(`npm start: ${plan.reason}: serving the UI at ${ui[1]}\n`);
  });
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
