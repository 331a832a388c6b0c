/**
 * Real processes for the phone e2e tests (docs/mobile.md "Tests"): the standalone relay
 * (`codex-relay`) serving HTTPS/WSS with a certificate made for the test and the built phone
 * app at `/` and `/pair`; hosts (`codex-host serve --relay wss://…`, the real engine, the fake
 * model as the only model stand-in, and the loopback push service as the only stand-in for a
 * browser vendor's push service); Debian's Chromium with phone profiles that trusts exactly the
 * test certificate (by its SPKI hash), so the app runs in a real secure context with service
 * workers. Screenshots go to test-results/screens/mobile/, light and dark.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, devices, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { makeTestCertificate, type TestCertificate } from '../../relay/testing/testCertificate.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH, printedUiAddress, SCREENSHOT_DIR, type PrintedUiAddress } from '../app/appFixture.js';
import { createCodexHome, type CodexHomeFixture } from '../fixtures/codexHome.js';
import type { FakeResponsesServer } from '../fixtures/fakeResponses.js';
import { runCliAsync, startHostProcess, type HostProcess } from '../fixtures/hostProcess.js';
import { RELAY_CLI } from '../fixtures/relayProcess.js';

export const MOBILE_SCREENS = join(SCREENSHOT_DIR, 'mobile');
export const PUSH_SUBJECT = 'mailto:ops@example.com';

export interface TlsRelay {
  readonly cert: TestCertificate;
  /** wss://127.0.0.1:PORT (ws:// for a plain relay) */
  readonly url: string;
  /** https://127.0.0.1:PORT (http:// for a plain relay) */
  readonly origin: string;
  output(): string;
  stop(): Promise<void>;
}

/** The relay on loopback over HTTPS (default), or over plain http (`plain`). */
export async function startTlsRelay(o: { readonly plain?: boolean } = {}): Promise<TlsRelay> {
  const cert = makeTestCertificate({ ips: ['127.0.0.1'] });
  const tlsArgs = o.plain ? [] : ['--tls-cert', cert.certFile, '--tls-key', cert.keyFile];
  const child: ChildProcess = spawn(process.execPath, [RELAY_CLI, '--listen', 'ws://127.0.0.1:0', ...tlsArgs], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const url = await new Promise<string>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`relay did not start:\n${out}`)), 20_000);
    child.stdout!.on('data', () => {
      const m = /listening on (wss?:\/\/[0-9.]+:\d+)/.exec(out);
      if (m && /phone app:/.test(out)) {
        clearTimeout(t);
        resolve(m[1]!);
      }
    });
    void exited.then(() => reject(new Error(`relay exited before it was ready:\n${out}`)));
  });
  return {
    cert,
    url,
    origin: url.replace(/^ws(s?):/, 'http$1:'),
    output: () => out,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

export interface PhoneHost {
  readonly name: string;
  readonly home: CodexHomeFixture;
  readonly dataDir: string;
  readonly process: HostProcess;
  readonly hostId: string;
  /** With `ui` (the benchmark's second, local client): the printed UI address, token included. */
  readonly ui?: PrintedUiAddress;
  /** A fresh pairing link (`codex-host pair --json`). */
  pairingLink(): Promise<string>;
  /** `codex-host devices --json`: the trusted devices. */
  devices(): Promise<{ deviceId: string; name: string; revokedAt: string | null }[]>;
  revoke(deviceId: string): Promise<string>;
  stop(): Promise<void>;
}

export interface PhoneHostOptions {
  /** Also serve the desktop UI (`--ui`): its bridge is a local client of the same hub. */
  readonly ui?: boolean;
  /** Changes the home before the host starts (e.g. bench/lib/seededThreads.ts points CODEX_HOME at seeded threads). */
  readonly prepareHome?: (home: CodexHomeFixture) => Promise<void>;
}

export async function startPhoneHost(name: string, relay: TlsRelay, fake: FakeResponsesServer, o: PhoneHostOptions = {}): Promise<PhoneHost> {
  const home = await createCodexHome({ modelBaseUrl: fake.baseUrl, label: `phone-${name}` });
  await o.prepareHome?.(home);
  const dataDir = join(home.root, 'host-data');
  const env = { ...home.env, NODE_EXTRA_CA_CERTS: relay.cert.certFile };
  const process_ = await startHostProcess({ dataDir, env, cwd: home.workdir, args: ['--relay', relay.url, '--name', name, '--push-subject', PUSH_SUBJECT, ...(o.ui ? ['--ui'] : [])] });
  const hostId = process_.hostId ?? /host id:\s+([0-9a-f]{32})/.exec(process_.stdout())?.[1];
  if (!hostId) throw new Error(`serve printed no host id:\n${process_.stdout()}`);
  let ui: PrintedUiAddress | undefined;
  try {
    ui = o.ui ? printedUiAddress(process_.stdout()) : undefined;
  } catch (err) {
    await process_.stop();
    throw err;
  }
  const cli = async (args: string[]) => {
    const r = await runCliAsync([...args, '--data-dir', dataDir], env);
    if (r.code !== 0) throw new Error(`codex-host ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
    return r.stdout;
  };
  return {
    name,
    home,
    dataDir,
    process: process_,
    hostId,
    ...(ui ? { ui } : {}),
    pairingLink: async () => (JSON.parse(await cli(['pair', '--json'])) as { link: string }).link,
    devices: async () => (JSON.parse(await cli(['devices', '--json'])) as { devices: { deviceId: string; name: string; revokedAt: string | null }[] }).devices,
    revoke: (deviceId) => cli(['devices', 'revoke', deviceId]),
    async stop() {
      await process_.stop();
      await home.cleanup();
    },
  };
}

/** base64 SHA-256 of the certificate's SubjectPublicKeyInfo, for --ignore-certificate-errors-spki-list. */
function spkiHash(certFile: string): string {
  const pub = execFileSync('openssl', ['x509', '-in', certFile, '-pubkey', '-noout']);
  const der = execFileSync('openssl', ['pkey', '-pubin', '-outform', 'der'], { input: pub });
  return execFileSync('openssl', ['dgst', '-sha256', '-binary'], { input: der }).toString('base64');
}

/** Chromium that trusts the relay's test certificate (and nothing else extra); `extraArgs` e.g. a host-resolver rule. */
export async function launchPhoneBrowser(relay: TlsRelay, extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, `--ignore-certificate-errors-spki-list=${spkiHash(relay.cert.certFile)}`, ...extraArgs], headless: true });
}

export type PhoneProfile = 'Pixel 7' | 'iPhone 13';

/**
 * A phone as a persistent browser profile in `userDataDir` (what `newPhone` makes is an
 * incognito-like context, from which Chromium never installs an app): same trust, viewport,
 * touch and notification permission as `newPhone`.
 */
export async function launchPhoneProfile(relay: TlsRelay, userDataDir: string, profile: PhoneProfile): Promise<BrowserContext> {
  return chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    args: [...CHROMIUM_ARGS, `--ignore-certificate-errors-spki-list=${spkiHash(relay.cert.certFile)}`],
    headless: true,
    ...phoneContextOptions(profile),
    ...(relay.origin.startsWith('https:') ? { permissions: ['notifications'] } : {}),
  });
}

/** What makes a browser context a phone of the profile: viewport, user agent, touch, light theme. */
function phoneContextOptions(profile: PhoneProfile) {
  const d = devices[profile];
  return { viewport: d.viewport, userAgent: d.userAgent, deviceScaleFactor: 2, isMobile: true, hasTouch: true, colorScheme: 'light' as const };
}

/**
 * Sends the page's relay sessions through the test, so it can cut the phone's network like a
 * tunnel would: while `blocked()` holds, a new session fails as unreachable.
 */
export async function routeRelay(page: Page, blocked: () => boolean): Promise<void> {
  await page.routeWebSocket(/\/v1\/connect\?/, (ws) => {
    if (blocked()) {
      ws.close({ code: 1006, reason: 'network unreachable' });
      return;
    }
    const server = ws.connectToServer();
    ws.onMessage((m) => server.send(m));
    server.onMessage((m) => ws.send(m));
    server.onClose((code, reason) => ws.close({ code, reason }));
    ws.onClose((code, reason) => server.close({ code, reason }));
  });
}

/** Waits until the phone shows `hostId`'s screen with the host online. */
export async function waitHostOnline(page: Page, hostId: string, timeout = 30_000): Promise<void> {
  await page.locator(`[data-testid="host-screen"][data-host-id="${hostId}"] [data-testid="host-state"][data-state="online"]`).waitFor({ timeout });
}

/** Opens a fresh pairing link of `host` on the phone, taps Pair, and waits until the host is online there. */
export async function pairFromLink(page: Page, host: Pick<PhoneHost, 'hostId' | 'pairingLink'>, timeout = 30_000): Promise<void> {
  await page.goto(await host.pairingLink());
  await page.getByTestId('pair-confirm').tap();
  await waitHostOnline(page, host.hostId, timeout);
}

/** A phone: the profile's viewport, touch, user agent; notifications allowed for the relay origin. */
export async function newPhone(browser: Browser, profile: PhoneProfile, origin: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext(phoneContextOptions(profile));
  // Only a secure origin can be granted notifications (plain http has none to grant).
  if (origin.startsWith('https:')) await context.grantPermissions(['notifications'], { origin });
  const page = await context.newPage();
  return { context, page };
}

/** Removes this test file's old screenshots (those whose name does, or with `except` does not, start with `prefix`). */
export async function clearShots(prefix: string, except = false): Promise<void> {
  await mkdir(MOBILE_SCREENS, { recursive: true });
  for (const f of await readdir(MOBILE_SCREENS)) if (f.startsWith(prefix) !== except) await rm(join(MOBILE_SCREENS, f), { force: true });
}

/** Saves test-results/screens/mobile/<name>-light.png and -dark.png. */
export async function shoot(page: Page, name: string): Promise<void> {
  await mkdir(MOBILE_SCREENS, { recursive: true });
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    // Let the theme change settle: a frame for the new colours, then the colour transitions
    // (buttons fade theirs) run to their end, or a shot catches a button half-way.
    await page.evaluate(async () => {
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      await Promise.all(document.getAnimations().filter((a) => a instanceof CSSTransition).map((a) => a.finished.catch(() => undefined)));
    });
    await page.screenshot({ path: join(MOBILE_SCREENS, `${name}-${scheme}.png`) });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}
