/**
 * The real headless host with the browser UI (`codex-host serve --ui`, real engine, the fake
 * model as the only stand-in) and Debian's Chromium driven by playwright-core: what the app
 * e2e tests and the renderer benchmark share. Screenshots go to test-results/ (gitignored).
 */
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { createCodexHome, type CodexHomeFixture } from '../fixtures/codexHome.js';
import { startFakeResponses, type FakeResponsesOptions, type FakeResponsesServer } from '../fixtures/fakeResponses.js';
import { REPO_ROOT, startHostProcess, type HostProcess } from '../fixtures/hostProcess.js';

export const CHROMIUM_PATH = process.env.PW_CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-quic',
];
export const SCREENSHOT_DIR = join(REPO_ROOT, 'test-results', 'screens');

export interface UiHost extends PrintedUiAddress {
  readonly fake: FakeResponsesServer;
  readonly home: CodexHomeFixture;
  readonly host: HostProcess;
  readonly dataDir: string;
  stop(): Promise<void>;
}

export interface PrintedUiAddress {
  /** The printed URL, token included. */
  readonly url: string;
  readonly origin: string;
  readonly token: string;
}

/** The UI address `codex-host serve --ui` printed (its URL, origin and token); throws when there is none. */
export function printedUiAddress(stdout: string): PrintedUiAddress {
  const m = /ui:\s+(http:\/\/127\.0\.0\.1:\d+)\/#token=([A-Za-z0-9_-]+)/.exec(stdout);
  if (!m) throw new Error(`serve --ui printed no UI address:\n${stdout}`);
  return { url: `${m[1]}/#token=${m[2]}`, origin: m[1]!, token: m[2]! };
}

/** Starts fake model → CODEX_HOME → `codex-host serve --ui --no-remote` and reads the printed UI address. */
export async function startUiHost(label: string, fakeOptions: FakeResponsesOptions = {}, prepareHome?: (home: CodexHomeFixture) => Promise<void>): Promise<UiHost> {
  const fake = await startFakeResponses(fakeOptions);
  const home = await createCodexHome({ modelBaseUrl: fake.baseUrl, label });
  await prepareHome?.(home);
  const dataDir = join(home.root, 'host-data');
  const host = await startHostProcess({ dataDir, env: home.env, cwd: home.workdir, args: ['--ui', '--no-remote'] });
  let ui: PrintedUiAddress;
  try {
    ui = printedUiAddress(host.stdout());
  } catch (err) {
    await host.stop();
    throw err;
  }
  return {
    fake,
    home,
    host,
    ...ui,
    dataDir,
    async stop() {
      await host.stop();
      await fake.close();
      await home.cleanup();
    },
  };
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}

export interface ViewOptions {
  readonly width: number;
  readonly height?: number;
  readonly colorScheme?: 'light' | 'dark';
}

export async function newPage(browser: Browser, o: ViewOptions = { width: 1280 }): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    viewport: { width: o.width, height: o.height ?? (o.width <= 420 ? 844 : 860) },
    deviceScaleFactor: 1,
    colorScheme: o.colorScheme ?? 'light',
    ...(o.width <= 420 ? { isMobile: true, hasTouch: true } : {}),
  });
  const page = await context.newPage();
  return { context, page };
}

/** Saves `test-results/screens/<name>.png` (full window). */
export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

export async function clearScreenshots(prefix: string): Promise<void> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const { readdir } = await import('node:fs/promises');
  // Only files: areas keep their screenshots in their own sub-folders (screens/ssh/, …).
  for (const f of await readdir(SCREENSHOT_DIR, { withFileTypes: true })) if (f.isFile() && f.name.startsWith(prefix)) await rm(join(SCREENSHOT_DIR, f.name), { force: true });
}
