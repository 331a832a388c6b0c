/**
 * The installers' configuration (electron-builder.yml, docs/desktop.md "Packaging"), offline:
 * it passes electron-builder's own loader and schema validator (and an unknown key would not),
 * every target and file it names exists, and an offline `--dir` build with a stand-in Electron
 * distribution (`-c.electronDist`) produces an app whose app.asar holds main, preload, host
 * code, renderer and package.json, with the engine binary and every native addon unpacked next
 * to it, and nothing of the dev tooling. The real installers (dmg, nsis, AppImage, deb) need
 * tools this machine cannot download; .github/workflows/installers.yml builds them.
 */
import { spawn } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_OUTPUT_DIR } from './fixtures/codexHome.js';
import { REPO_ROOT } from './fixtures/hostProcess.js';

const require = createRequire(import.meta.url);
const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
  getConfig(projectDir: string, configPath: string | null, configFromOptions: unknown): Promise<Record<string, unknown>>;
  validateConfiguration(config: unknown, debugLogger: unknown): Promise<void>;
};
const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };

const BUILD_TIMEOUT_MS = 240_000;
let work: string;

beforeAll(async () => {
  await mkdir(TEST_OUTPUT_DIR, { recursive: true });
  // Under the repo (same file system as node_modules), so electron-builder can hard-link.
  work = await mkdtemp(join(TEST_OUTPUT_DIR, 'installers-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

async function loadConfig(file = 'electron-builder.yml'): Promise<Record<string, unknown>> {
  return getConfig(REPO_ROOT, file, null);
}

describe('electron-builder.yml', () => {
  it('passes electron-builder’s schema validation, which does reject an unknown key', async () => {
    const config = await loadConfig();
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
    await expect(validateConfiguration({ ...config, bogusKey: true }, new DebugLogger(false))).rejects.toThrow(/unknown property 'bogusKey'/);
    await expect(validateConfiguration({ ...config, mac: { ...(config.mac as object), hardenedRuntime: 'yes' } }, new DebugLogger(false))).rejects.toThrow(/hardenedRuntime/);
  });

  it('builds dmg + zip (hardened runtime, entitlements), nsis, AppImage and deb, with icons that exist', async () => {
    const c = (await loadConfig()) as Record<string, Record<string, unknown> & { target?: { target: string }[] }>;
    expect(c.mac!.target!.map((t) => t.target)).toEqual(['dmg', 'zip']);
    expect(c.mac!.hardenedRuntime).toBe(true);
    expect(c.win!.target!.map((t) => t.target)).toEqual(['nsis']);
    expect(c.linux!.target!.map((t) => t.target)).toEqual(['AppImage', 'deb']);
    expect((c as unknown as { npmRebuild: boolean }).npmRebuild).toBe(false);
    const plist = await readFile(join(REPO_ROOT, String(c.mac!.entitlements)), 'utf8');
    for (const key of ['com.apple.security.cs.allow-jit', 'com.apple.security.network.client', 'com.apple.security.network.server']) expect(plist).toContain(`<key>${key}</key>`);
    expect(plist).not.toContain('disable-library-validation');
    expect(c.mac!.entitlementsInherit).toBe(c.mac!.entitlements);
    for (const icon of [c.mac!.icon, c.win!.icon, join(String(c.linux!.icon), '256x256.png'), join(String(c.linux!.icon), '1024x1024.png')]) {
      expect((await stat(join(REPO_ROOT, String(icon)))).size).toBeGreaterThan(0);
    }
  });
});

/** A stand-in Electron distribution: what electron-builder copies as the app's skeleton. */
async function fakeElectronDist(dir: string): Promise<void> {
  await mkdir(join(dir, 'resources'), { recursive: true });
  await writeFile(join(dir, 'electron'), '#!/bin/sh\necho "stand-in Electron for the packaging test"\n');
  await chmod(join(dir, 'electron'), 0o755);
  await writeFile(join(dir, 'LICENSE'), 'stand-in');
  await writeFile(join(dir, 'LICENSES.chromium.html'), '<p>stand-in</p>');
  const electronVersion = (JSON.parse(await readFile(join(REPO_ROOT, 'node_modules', 'electron', 'package.json'), 'utf8')) as { version: string }).version;
  await writeFile(join(dir, 'version'), electronVersion);
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (output += c.toString('utf8')));
    child.on('exit', (code) => resolve({ code, output }));
  });
}

describe('an offline --dir build', () => {
  it(
    'holds main, preload, host, renderer and package.json in app.asar, the engine and native addons unpacked',
    async () => {
      expect(existsSync(join(REPO_ROOT, 'dist', 'electron', 'main', 'index.js')), 'run `npm run build` first (npm test does)').toBe(true);
      const dist = join(work, 'electron-dist');
      await fakeElectronDist(dist);
      const out = join(work, 'release');
      const env = { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1', CSC_IDENTITY_AUTO_DISCOVERY: 'false', USE_HARD_LINKS: 'true' };
      const r = await run(process.execPath, [join(REPO_ROOT, 'node_modules', 'electron-builder', 'cli.js'), '--dir', '--linux', '--x64', '--publish', 'never', `-c.electronDist=${dist}`, `-c.directories.output=${out}`], env);
      expect(r.code, r.output).toBe(0);

      const resources = join(out, 'linux-unpacked', 'resources');
      const asar = (await import('@electron/asar')) as unknown as { listPackage(a: string, o: { isPack: boolean }): string[]; extractFile(a: string, f: string): Buffer };
      const archive = join(resources, 'app.asar');
      const entries = asar.listPackage(archive, { isPack: false });
      const has = (p: string) => entries.includes(p);

      const pkg = JSON.parse(asar.extractFile(archive, 'package.json').toString('utf8')) as { main: string; type: string; productName?: string };
      expect(pkg.main).toBe('dist/electron/main/index.js');
      expect(pkg.type).toBe('module');
      for (const f of ['/dist/electron/main/index.js', '/dist/electron/main/desktopApp.js', '/dist/electron/preload/preload.cjs', '/dist/host/app/createHost.js', '/dist/relay/server/relayServer.js', '/resources/icon.png']) {
        expect(has(f), f).toBe(true);
      }
      // The renderer is part of the package wherever this repository builds one (vite).
      if (existsSync(join(REPO_ROOT, 'vite.config.ts'))) expect(has('/dist/renderer/desktop/index.html')).toBe(true);

      // The sandboxed preload can require nothing but electron.
      const preload = asar.extractFile(archive, 'dist/electron/preload/preload.cjs').toString('utf8');
      expect([...preload.matchAll(/require\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1])).toEqual(['electron']);

      // The engine binary: listed in the archive, the real file unpacked beside it and executable.
      const engineRel = 'node_modules/@openai/codex-linux-x64/vendor/x86_64-unknown-linux-musl/bin/codex';
      expect(has(`/${engineRel}`)).toBe(true);
      const engine = await stat(join(resources, 'app.asar.unpacked', engineRel));
      expect(engine.isFile()).toBe(true);
      expect(engine.mode & 0o111).not.toBe(0);
      expect(engine.size).toBe((await stat(join(REPO_ROOT, engineRel))).size);

      // Every native addon is unpacked (a .node file cannot be loaded from inside app.asar).
      const natives = entries.filter((e) => e.endsWith('.node'));
      expect(natives).toContain('/node_modules/@napi-rs/keyring-linux-x64-gnu/keyring.linux-x64-gnu.node');
      for (const n of natives) expect(existsSync(join(resources, 'app.asar.unpacked', n)), n).toBe(true);

      // Nothing of the dev tooling, the sources or the tests.
      for (const dev of ['electron', 'electron-builder', 'vitest', 'typescript', 'tsx', '@types', 'jsqr', '@electron']) expect(has(`/node_modules/${dev}`), dev).toBe(false);
      expect(entries.filter((e) => /\.(ts|cts|map)$/.test(e) && !e.endsWith('.d.ts') && e.startsWith('/dist'))).toEqual([]);
      expect(entries.filter((e) => /\/(e2e|bench)\//.test(e) || e.includes('.test.'))).toEqual([]);
    },
    BUILD_TIMEOUT_MS,
  );
});
