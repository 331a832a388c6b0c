/**
 * The phone web app as an installed app would use it (docs/mobile.md "Install and offline",
 * "Threads", "Notifications"): a REAL relay over HTTPS serving the build, a REAL host
 * (`codex-host serve --relay wss://… --ui`, the real engine, the fake model) and Debian's
 * Chromium as a Pixel 7.
 * - Install: every icon the manifest names is served as a real PNG of its declared size, and
 *   Chromium itself (CDP `Page.getInstallabilityErrors`) finds nothing missing.
 * - Offline: a phone that paired once (that visit installed the worker) opens the app with no
 *   network from the worker's cache, shows the thread list it saw last, and says the phone is
 *   offline; with the network back it reconnects.
 * - Images: a thread holding a picture (seeded through the host's UI bridge, like a desktop
 *   user attaching one) shows it on the phone; a tap opens it full screen, a tap on it shows it
 *   at full size, ✕ closes it.
 * - The service worker's push handler: Chromium delivers a push message to the per-host
 *   registration (CDP `ServiceWorker.deliverPushMessage`, the way the browser hands a message
 *   to the worker once its push service delivered and decrypted it), and the worker shows the
 *   notification with the host's title, body and thread link; tapping it (the worker's
 *   notificationclick) opens that thread in the app window already open.
 * Screenshots go to test-results/screens/mobile/app-*.png.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, CDPSession, Page, Worker } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectInitialized, seedThread } from '../app/bridgeClient.js';
import { REPO_ROOT } from '../fixtures/hostProcess.js';
import { startFakeResponses, type FakeResponsesServer } from '../fixtures/fakeResponses.js';
import type { WsDriver } from '../fixtures/wsDriver.js';
import { clearShots, launchPhoneProfile, pairFromLink, shoot, startPhoneHost, startTlsRelay, waitHostOnline, type PhoneHost, type TlsRelay } from './phoneFixture.js';

const T = 30_000;
const PICTURE = readFileSync(join(REPO_ROOT, 'renderer', 'mobile', 'public', 'icons', 'icon-512.png'));

let fake: FakeResponsesServer;
let relay: TlsRelay;
let host: PhoneHost;
let bridge: WsDriver;
let context: BrowserContext;
let profileDir: string | undefined;
let page: Page;
let cdp: CDPSession;

beforeAll(async () => {
  await clearShots('app-');
  fake = await startFakeResponses();
  relay = await startTlsRelay();
  host = await startPhoneHost('Build Box', relay, fake, { ui: true });
  bridge = await connectInitialized({ origin: host.ui!.origin, token: host.ui!.token });
  // A persistent profile, not a fresh incognito-like context: an app cannot be installed from incognito.
  profileDir = await mkdtemp(join(tmpdir(), 'phone-app-profile-'));
  context = await launchPhoneProfile(relay, profileDir, 'Pixel 7');
  page = context.pages()[0] ?? (await context.newPage());
  cdp = await context.newCDPSession(page);
}, 180_000);

afterAll(async () => {
  await context?.close();
  if (profileDir) await rm(profileDir, { recursive: true, force: true });
  await bridge?.close();
  await host?.stop();
  await relay?.stop();
  await fake?.close();
});

/** What the page fetches from its relay: status, content type and the body (base64). */
async function fetchInPage(path: string): Promise<{ status: number; type: string | null; base64: string }> {
  return page.evaluate(async (p) => {
    const res = await fetch(p, { cache: 'no-store' });
    const bytes = new Uint8Array(await res.arrayBuffer());
    let bin = '';
    for (const b of bytes) bin += String.fromCharCode(b);
    return { status: res.status, type: res.headers.get('content-type'), base64: btoa(bin) };
  }, path);
}

describe('the phone web app, installed and in use', { timeout: 150_000 }, () => {
  it('serves every manifest icon as a PNG of its declared size, and Chromium reports no installability error', async () => {
    await page.goto(`${relay.origin}/`);
    await page.getByTestId('hosts-empty').waitFor({ timeout: T });
    // The app-shell worker is what an installed app opens with: wait until it controls the page.
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));

    const manifestRes = await fetchInPage('/manifest.webmanifest');
    expect(manifestRes.type).toBe('application/manifest+json');
    const manifest = JSON.parse(Buffer.from(manifestRes.base64, 'base64').toString('utf8')) as { icons: { src: string; sizes: string; type: string; purpose: string }[] };
    const pngs = manifest.icons.filter((i) => i.type === 'image/png');
    expect(pngs.map((i) => `${i.sizes} ${i.purpose}`).sort()).toEqual(['192x192 any', '512x512 any', '512x512 maskable']);
    for (const icon of pngs) {
      const res = await fetchInPage(icon.src);
      expect([icon.src, res.status, res.type]).toEqual([icon.src, 200, 'image/png']);
      const img = PNG.sync.read(Buffer.from(res.base64, 'base64'));
      expect(`${img.width}x${img.height}`).toBe(icon.sizes);
      // A maskable icon is full bleed: its corners are opaque (the launcher cuts the shape).
      if (icon.purpose === 'maskable') expect(img.data[3]).toBe(255);
    }
    const touch = await page.locator('link[rel="apple-touch-icon"]').getAttribute('href');
    const touchRes = await fetchInPage(touch!);
    expect(touchRes.type).toBe('image/png');
    expect(PNG.sync.read(Buffer.from(touchRes.base64, 'base64')).width).toBe(180);

    const parsed = (await cdp.send('Page.getAppManifest')) as { errors: { message: string }[]; url: string };
    expect(parsed.url).toBe(`${relay.origin}/manifest.webmanifest`);
    expect(parsed.errors).toEqual([]);
    const { installabilityErrors } = (await cdp.send('Page.getInstallabilityErrors')) as { installabilityErrors: { errorId: string; errorArguments: unknown[] }[] };
    expect(installabilityErrors).toEqual([]);
  });

  it('opens without a network right after the first visit, shows the threads it saw, says the phone is offline, and reconnects when the network is back', async () => {
    const threadId = await seedThread(bridge, host.home.workdir, 1, () => 'Plan for the offline train ride');
    // A phone that only ever paired: its first visit is also the one that installed the worker.
    const dir = await mkdtemp(join(tmpdir(), 'phone-app-first-visit-'));
    const fresh = await launchPhoneProfile(relay, dir, 'Pixel 7');
    try {
      const p = fresh.pages()[0] ?? (await fresh.newPage());
      await pairFromLink(p, host, T);
      const row = p.locator(`[data-testid="thread-row"][data-thread-id="${threadId}"]`);
      await row.waitFor({ timeout: T });
      await p.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
      // The worker's install step holds every file of the build (the first visit fetched them before it existed).
      const built = readdirSync(join(REPO_ROOT, 'dist', 'renderer', 'mobile', 'assets'))
        .filter((f) => /\.(js|css)$/.test(f))
        .map((f) => `/assets/${f}`);
      expect(built.length).toBeGreaterThan(3);
      await expect
        .poll(() => p.evaluate(async (list) => (await Promise.all(list.map(async (f) => ((await caches.match(f)) ? null : f)))).filter(Boolean), built), { timeout: T })
        .toEqual([]);

      await fresh.setOffline(true);
      await p.reload();
      const state = p.locator(`[data-testid="host-screen"][data-host-id="${host.hostId}"] [data-testid="host-state"]`);
      await expect.poll(() => state.getAttribute('data-state'), { timeout: T }).toBe('offline');
      expect(await p.getByTestId('connection-banner').textContent()).toContain('This phone has no network connection');
      // The list as the phone last saw it, under the offline banner.
      await row.waitFor({ timeout: T });
      expect(await row.textContent()).toContain('Plan for the offline train ride');
      await shoot(p, 'app-opened-offline');

      // Long enough offline that the next retry is seconds away (250 ms doubling, ±25 %: the
      // attempt after 9 s comes at 13-18 s); the network coming back must not wait for it.
      await p.waitForTimeout(9_000);
      await fresh.setOffline(false);
      await waitHostOnline(p, host.hostId, 3_000);
    } finally {
      await fresh.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('shows a picture from a thread, full screen on tap, at full size on a second tap, and closes', async () => {
    await pairFromLink(page, host, T);

    // A desktop user attached a picture to a message (the engine keeps it in the thread).
    const started = (await bridge.request('thread/start', { cwd: host.home.workdir })) as { thread: { id: string } };
    const threadId = started.thread.id;
    const since = bridge.messages.length;
    const turn = (await bridge.request('turn/start', {
      threadId,
      input: [
        { type: 'text', text: 'What does this icon show?', text_elements: [] },
        { type: 'image', url: `data:image/png;base64,${PICTURE.toString('base64')}` },
      ],
    })) as { turn: { id: string } };
    await bridge.waitFor((m) => m.method === 'turn/completed' && (m.params as { turn?: { id?: string } }).turn?.id === turn.turn.id, 60_000, { since });

    await page.goto(`${relay.origin}/#/hosts/${host.hostId}/threads/${threadId}`);
    const thumb = page.getByRole('button', { name: 'Enlarge Attached image' });
    await thumb.waitFor({ timeout: T });
    await page.getByText('You said: What does this icon show?').waitFor({ timeout: T });
    await shoot(page, 'app-thread-image');

    await thumb.tap();
    const viewer = page.getByRole('dialog', { name: 'Attached image' });
    await viewer.waitFor({ timeout: T });
    expect(await viewer.getAttribute('data-zoom')).toBe('fit');
    // Fitted: the whole 512 px picture inside the 412 px wide screen.
    const fitted = await viewer.locator('img').boundingBox();
    const vw = page.viewportSize()!.width;
    expect(fitted!.width).toBeLessThanOrEqual(vw);
    expect(fitted!.width).toBeGreaterThan(vw * 0.9);
    await shoot(page, 'app-image-viewer');

    await page.getByRole('button', { name: 'Show at full size' }).tap();
    expect(await viewer.getAttribute('data-zoom')).toBe('natural');
    const natural = await viewer.locator('img').boundingBox();
    expect(natural!.width).toBe(512);
    // Larger than the screen, so it pans: the scroller scrolls sideways.
    const scrolled = await viewer.locator('.image-viewer-scroll').evaluate((el) => {
      el.scrollLeft = 50;
      return el.scrollLeft;
    });
    expect(scrolled).toBe(50);
    await shoot(page, 'app-image-full-size');

    await page.getByRole('button', { name: 'Close' }).tap();
    await viewer.waitFor({ state: 'detached', timeout: T });
    await thumb.tap();
    await viewer.waitFor({ timeout: T });
    await page.keyboard.press('Escape');
    await viewer.waitFor({ state: 'detached', timeout: T });
  });

  it('the service worker shows a delivered push message as a notification with the host’s title, body and thread link', async () => {
    await openApp();
    const { registrationId, scope } = await hostPushRegistration();

    const url = `/#/hosts/${host.hostId}/threads/t-1`;
    const payload = JSON.stringify({ title: 'Approval needed', body: 'Build Box: Codex is waiting for your approval', url });
    await deliverUntilShown(registrationId, scope, payload);
    const shown = () => shownNotifications(scope);
    await expect.poll(shown, { timeout: T }).toHaveLength(1);
    expect(await shown()).toEqual([
      { title: 'Approval needed', body: 'Build Box: Codex is waiting for your approval', data: { url }, icon: `${relay.origin}/icons/icon-192.png`, badge: `${relay.origin}/icons/badge-96.png`, tag: url },
    ]);

    // A message it cannot read still shows one (iOS drops subscriptions that push silently), and a link off the origin is not kept.
    await cdp.send('ServiceWorker.deliverPushMessage', { origin: relay.origin, registrationId, data: '{"title":"x","url":"https://elsewhere.invalid/"}' });
    await expect.poll(async () => (await shown()).map((n) => [n.title, n.data]), { timeout: T }).toContainEqual(['x', { url: '/' }]);
    await closeNotifications(scope);
  });

  it('a tap on a notification opens its thread in the app window that is already open', async () => {
    await pairFromLink(page, host, T);
    const threadId = await seedThread(bridge, host.home.workdir, 1, () => 'Say when the build is done');

    // The app is open on its home screen (controlled by the shell's worker, not the host's).
    await openApp();
    const { registrationId, scope } = await hostPushRegistration();
    const url = `/#/hosts/${host.hostId}/threads/${encodeURIComponent(threadId)}`;
    await deliverUntilShown(registrationId, scope, JSON.stringify({ title: 'Turn finished', body: 'Build Box: Codex finished', url }));
    await expect.poll(async () => (await shownNotifications(scope)).map((n) => n.title), { timeout: T }).toEqual(['Turn finished']);

    // Chromium has no way to tap a notification from a test, so the host's worker gets the
    // notificationclick event a tap would give it, for the notification it showed.
    const worker = await hostWorker(scope);
    const outcome = await worker.evaluate(async () => {
      const g = globalThis as unknown as {
        registration: { getNotifications(): Promise<Notification[]> };
        NotificationEvent: new (type: string, init: { notification: Notification }) => Event;
        dispatchEvent(e: Event): boolean;
      };
      const [notification] = await g.registration.getNotifications();
      const click = new g.NotificationEvent('notificationclick', { notification: notification! });
      let work: Promise<unknown> | undefined;
      // A made-up event may not extend the worker's life: keep the promise the handler hands over instead.
      Object.defineProperty(click, 'waitUntil', { value: (p: Promise<unknown>) => (work = p) });
      g.dispatchEvent(click);
      return work;
    });
    expect(outcome).toBe('posted');
    await page.getByText('You said: Say when the build is done').waitFor({ timeout: T });
    expect(new URL(page.url()).hash).toBe(url.slice(1));
    expect(await shownNotifications(scope)).toEqual([]);
    await shoot(page, 'app-opened-from-notification');
  });
});

/** The app's home screen, controlled by the app-shell worker. */
async function openApp(): Promise<void> {
  await page.goto(`${relay.origin}/#/`);
  await page.locator('[data-testid="hosts-empty"], [data-testid="host-screen"], [data-testid="hosts-screen"]').first().waitFor({ timeout: T });
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
}

/** The registration the app makes for this host's notifications (renderer/mobile/platform/webPush.ts), active, with its CDP id. */
async function hostPushRegistration(): Promise<{ registrationId: string; scope: string }> {
  const scope = `/push/${host.hostId}/`;
  const scopeUrl = `${relay.origin}${scope}`;
  const registrations = new Map<string, string>();
  const onUpdate = (e: { registrations: { registrationId: string; scopeURL: string; isDeleted: boolean }[] }) => {
    for (const r of e.registrations) if (!r.isDeleted) registrations.set(r.scopeURL, r.registrationId);
  };
  cdp.on('ServiceWorker.workerRegistrationUpdated', onUpdate);
  try {
    await cdp.send('ServiceWorker.enable');
    await page.evaluate(async (s) => {
      const reg = await navigator.serviceWorker.register('/sw.js', { scope: s });
      const worker = reg.installing ?? reg.waiting ?? reg.active;
      if (worker && worker.state !== 'activated') await new Promise<void>((r) => worker.addEventListener('statechange', () => worker.state === 'activated' && r()));
    }, scope);
    await expect.poll(() => registrations.get(scopeUrl), { timeout: T }).toBeDefined();
    return { registrationId: registrations.get(scopeUrl)!, scope };
  } finally {
    cdp.off('ServiceWorker.workerRegistrationUpdated', onUpdate);
  }
}

/**
 * Hands the worker a push message the way the browser does once its push service delivered it.
 * Chromium drops a message handed over in the moment a new registration activates (seen under
 * load: the version reported "activated", the message went to it, no push event ran), so it
 * hands it over again until a notification shows; each has the link as its tag, so a second
 * one replaces the first rather than adding to it.
 */
async function deliverUntilShown(registrationId: string, scope: string, data: string): Promise<void> {
  const deadline = Date.now() + T;
  while (Date.now() < deadline) {
    await cdp.send('ServiceWorker.deliverPushMessage', { origin: relay.origin, registrationId, data });
    const until = Date.now() + 3_000;
    while (Date.now() < until) {
      if ((await shownNotifications(scope)).length > 0) return;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** The running worker of a registration (a push just woke it). */
async function hostWorker(scope: string): Promise<Worker> {
  let found: Worker | undefined;
  await expect
    .poll(
      async () => {
        for (const w of context.serviceWorkers()) {
          const s = await w.evaluate(() => (globalThis as unknown as { registration: { scope: string } }).registration.scope).catch(() => undefined);
          if (s === `${relay.origin}${scope}`) found = w;
        }
        return found !== undefined;
      },
      { timeout: T },
    )
    .toBe(true);
  return found!;
}

async function shownNotifications(scope: string) {
  return page.evaluate(async (s) => {
    const reg = await navigator.serviceWorker.getRegistration(s);
    return (await reg!.getNotifications()).map((n) => ({ title: n.title, body: n.body, data: n.data as unknown, icon: n.icon, badge: (n as Notification & { badge?: string }).badge, tag: n.tag }));
  }, scope);
}

async function closeNotifications(scope: string): Promise<void> {
  await page.evaluate(async (s) => {
    const reg = await navigator.serviceWorker.getRegistration(s);
    for (const n of await reg!.getNotifications()) n.close();
  }, scope);
}
