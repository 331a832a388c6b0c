/**
 * The `npm start` launcher's decisions (scripts/start.mjs): the desktop app when Electron's binary
 * is there and a display exists, otherwise `serve --ui` with the reason; Electron found the way
 * `npx electron` finds it, without loading the package.
 */
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chooseLaunch, findElectronBinary, noDisplayReason, REPO_ROOT } from './start.mjs';

const installed = { binary: '/repo/node_modules/electron/dist/electron' } as const;
const missing = { reason: 'Electron is not installed (its binary has not been downloaded: run `npx install-electron` once, with network access)' } as const;

describe('npm start chooses', () => {
  it.each([
    ['the app on Linux with a display', 'linux', { DISPLAY: ':0' }, installed, 'electron'],
    ['the app on Wayland', 'linux', { WAYLAND_DISPLAY: 'wayland-0' }, installed, 'electron'],
    ['the app on macOS (no DISPLAY needed)', 'darwin', {}, installed, 'electron'],
    ['the app on Windows', 'win32', {}, installed, 'electron'],
    ['serve on Linux without a display', 'linux', {}, installed, 'serve'],
    ['serve without Electron', 'darwin', {}, missing, 'serve'],
    ['serve when asked to', 'linux', { DISPLAY: ':0', CODEX_HOST_START: 'serve' }, installed, 'serve'],
    ['the app when asked to, even without a display', 'linux', { CODEX_HOST_START: 'electron' }, installed, 'electron'],
  ] as const)('%s', (_name, platform, env, electron, mode) => {
    expect(chooseLaunch({ platform, env, electron, serveHasUi: true }).mode).toBe(mode);
  });

  it('says why it serves, and passes --ui and the arguments on', () => {
    expect(chooseLaunch({ platform: 'linux', env: {}, electron: missing, serveHasUi: true, args: ['--data-dir', '/d'] })).toEqual({
      mode: 'serve',
      reason: `${missing.reason}; no display ($DISPLAY and $WAYLAND_DISPLAY are not set)`,
      args: ['serve', '--ui', '--data-dir', '/d'],
    });
    expect(chooseLaunch({ platform: 'linux', env: {}, electron: installed, serveHasUi: true })).toMatchObject({ reason: 'no display ($DISPLAY and $WAYLAND_DISPLAY are not set)' });
    // A build whose serve has no --ui yet still starts the host.
    expect(chooseLaunch({ platform: 'linux', env: {}, electron: installed, serveHasUi: false }).args).toEqual(['serve']);
    expect(chooseLaunch({ platform: 'linux', env: { CODEX_HOST_START: 'electron' }, electron: missing, serveHasUi: true })).toMatchObject({ mode: 'serve', reason: missing.reason });
  });

  it('opens this repository as the app', () => {
    expect(chooseLaunch({ platform: 'win32', env: {}, electron: installed, serveHasUi: true, args: ['--data-dir=/d'] })).toEqual({ mode: 'electron', binary: installed.binary, args: [REPO_ROOT, '--data-dir=/d'] });
  });

  it('knows which platforms need a display variable', () => {
    expect(noDisplayReason('darwin', {})).toBeUndefined();
    expect(noDisplayReason('linux', { DISPLAY: ':99' })).toBeUndefined();
    expect(noDisplayReason('linux', {})).toMatch(/^no display/);
  });
});

describe('finding the Electron binary', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'start-'));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });
  const pkg = () => join(root, 'node_modules', 'electron');

  it('reports a missing package, then a package whose binary was never downloaded', async () => {
    expect(findElectronBinary(root, {})).toEqual({ reason: 'Electron is not installed (no node_modules/electron; run npm ci)' });
    await mkdir(pkg(), { recursive: true });
    await writeFile(join(pkg(), 'package.json'), '{}');
    expect(findElectronBinary(root, {})).toEqual(missing);
    await writeFile(join(pkg(), 'path.txt'), 'electron');
    expect(findElectronBinary(root, {})).toEqual(missing);
  });

  it('finds the downloaded binary through path.txt, or under ELECTRON_OVERRIDE_DIST_PATH', async () => {
    await mkdir(join(pkg(), 'dist'), { recursive: true });
    await writeFile(join(pkg(), 'package.json'), '{}');
    await writeFile(join(pkg(), 'path.txt'), 'electron');
    await writeFile(join(pkg(), 'dist', 'electron'), '#!/bin/sh\n');
    expect(findElectronBinary(root, {})).toEqual(missing); // not executable
    await chmod(join(pkg(), 'dist', 'electron'), 0o755);
    expect(findElectronBinary(root, {})).toEqual({ binary: join(pkg(), 'dist', 'electron') });
    const other = join(root, 'other');
    await mkdir(other);
    await writeFile(join(other, 'electron'), '#!/bin/sh\n', { mode: 0o755 });
    expect(findElectronBinary(root, { ELECTRON_OVERRIDE_DIST_PATH: other })).toEqual({ binary: join(other, 'electron') });
  });
});
