/**
 * The phone web client end to end (docs/mobile.md): a REAL relay (`codex-relay` over HTTPS/WSS
 * with a certificate this test makes, serving the built app), two REAL hosts (`codex-host
 * serve --relay wss://…`, the real engine, the fake model), and Debian's Chromium as a Pixel 7
 * and an iPhone 13 (viewport, touch, user agent). The phone opens the pairing link like the
 * camera would, pairs, lists threads, starts one and watches the fake model's answer stream,
 * approves a command, loses its connection and gets back without losing what was typed,
 * registers for notifications (the loopback push service decrypts what the host sends), holds
 * two hosts, and shows the removed screen when a host revokes it. Every screen is saved to
 * test-results/screens/mobile/ in light and dark.
 *
 * The one substitution: Chromium's `pushManager.subscribe` would ask Google's push service on
 * the internet for an endpoint, so the page's `PushManager` hands out a subscription of the
 * loopback push service instead (e2e/fixtures/pushService.ts, the allowed stand-in for a
 * browser vendor's push service). Everything the app and the host do with it is real.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeResponses, type FakeResponsesServer } from '../fixtures/fakeResponses.js';
import { PushServiceFixture } from '../fixtures/pushService.js';
import { clearShots, launchPhoneBrowser, newPhone, PUSH_SUBJECT, routeRelay, shoot, startPhoneHost, startTlsRelay, waitHostOnline, type PhoneHost, type TlsRelay } from './phoneFixture.js';

const T = 30_000;

let fake: FakeResponsesServer;
let relay: TlsRelay;
let push: PushServiceFixture;
let buildBox: PhoneHost;
let laptop: PhoneHost;
let browser: Browser;
let pixel: Page;
let iphone: Page;
let firstLink: string;
let threadId: string;
let blockPhone = false;

/** Groups a host id the way the pairing screen shows its fingerprint. */
const fingerprint = (hostId: string) => hostId.toUpperCase().match(/.{4}/g)!.join(' ');

/** Makes the page's PushManager hand out loopback push-service subscriptions (see the file comment). */
async function usePushStandIn(page: Page): Promise<void> {
  await page.exposeFunction('__pushStandInSubscribe', (applicationServerKey: string) => push.createSubscription(applicationServerKey).json);
  await page.addInitScript(() => {
    const b64u = (buf: ArrayBuffer) => btoa(String.fromCharCode(...new Uint8Array(buf))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    const subs = new WeakMap<object, unknown>();
    const make = (json: { endpoint: string }, key: ArrayBuffer, reg: object) => {
      const sub = { endpoint: json.endpoint, expirationTime: null, options: { applicationServerKey: key, userVisibleOnly: true }, toJSON: () => json, unsubscribe: () => (subs.delete(reg), Promise.resolve(true)) };
      subs.set(reg, sub);
      return sub;
    };
    const proto = PushManager.prototype as unknown as Record<string, unknown>;
    proto.subscribe = async function (this: object, o: { applicationServerKey: BufferSource }) {
      const key = (o.applicationServerKey instanceof ArrayBuffer ? o.applicationServerKey : (o.applicationServerKey as Uint8Array).slice().buffer) as ArrayBuffer;
      const json = await (window as unknown as { __pushStandInSubscribe(k: string): Promise<{ endpoint: string }> }).__pushStandInSubscribe(b64u(key));
      return make(json, key, this);
    };
    proto.getSubscription = async function (this: object) {
      return subs.get(this) ?? null;
    };
  });
}

async function hostCard(page: Page, hostId: string) {
  return page.locator(`[data-testid="host-card"][data-host-id="${hostId}"]`);
}

async function pairFromLink(page: Page, link: string, host: PhoneHost, shotName?: string): Promise<void> {
  await page.goto(link);
  await page.getByTestId('pair-preview').waitFor({ timeout: T });
  expect(await page.getByTestId('pair-host-name').textContent()).toBe(host.name);
  expect(await page.getByTestId('pair-fingerprint').textContent()).toBe(fingerprint(host.hostId));
  // The secret left the address bar before anything else ran.
  expect(page.url()).not.toContain('#p=');
  if (shotName) await shoot(page, shotName);
  await page.getByTestId('pair-confirm').tap();
  await waitHostOnline(page, host.hostId);
}

beforeAll(async () => {
  await clearShots('lan-', true);
  fake = await startFakeResponses();
  relay = await startTlsRelay();
  push = await PushServiceFixture.start({ expectedSubject: PUSH_SUBJECT });
  [buildBox, laptop] = await Promise.all([startPhoneHost('Build Box', relay, fake), startPhoneHost('Studio Laptop', relay, fake)]);
  browser = await launchPhoneBrowser(relay);
  pixel = (await newPhone(browser, 'Pixel 7', relay.origin)).page;
  await routeRelay(pixel, () => blockPhone);
  await usePushStandIn(pixel);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await buildBox?.stop();
  await laptop?.stop();
  await push?.close();
  await relay?.stop();
  await fake?.close();
});

describe('the phone web client against a real relay and real hosts', { timeout: 150_000 }, () => {
  it('is served by the relay over HTTPS in a secure context, and starts with how to pair', async () => {
    const res = await pixel.goto(`${relay.origin}/`);
    expect(res?.status()).toBe(200);
    expect(res?.headers()['content-security-policy']).toContain("script-src 'self'");
    await pixel.getByTestId('hosts-empty').waitFor({ timeout: T });
    expect(await pixel.evaluate(() => window.isSecureContext)).toBe(true);
    await shoot(pixel, 'hosts-empty');
    await pixel.getByRole('button', { name: 'Paste a pairing link' }).tap();
    await pixel.getByTestId('pair-link-input').fill('https://example.invalid/pair#p=not-a-link');
    await pixel.getByRole('button', { name: 'Continue' }).tap();
    await expect.poll(() => pixel.getByTestId('pair-failure-kind').getAttribute('data-kind')).toBe('invalid');
    await shoot(pixel, 'pair-invalid');
  });

  it('opens the pairing link, shows the host and its fingerprint, pairs and keeps the device key sealed', async () => {
    firstLink = await buildBox.pairingLink();
    expect(firstLink.startsWith(`${relay.origin}/pair#p=`)).toBe(true);
    await pairFromLink(pixel, firstLink, buildBox, 'pair-preview');
    const devices = await buildBox.devices();
    expect(devices).toHaveLength(1);
    expect(devices[0]!.name).toMatch(/\(Chrome\)$/);
    await pixel.getByRole('button', { name: 'All computers' }).tap();
    await expect.poll(async () => (await hostCard(pixel, buildBox.hostId)).getAttribute('data-state'), { timeout: T }).toBe('online');
    await pixel.getByRole('button', { name: 'Settings' }).tap();
    await expect.poll(() => pixel.getByTestId('device-key-kind').getAttribute('data-kind')).toBe('webcrypto');
    await shoot(pixel, 'settings');
  });

  it('says so when a code was already used, or has expired', async () => {
    await pixel.goto(firstLink);
    await pixel.getByTestId('pair-confirm').tap();
    await expect.poll(() => pixel.getByTestId('pair-failure-kind').getAttribute('data-kind'), { timeout: T }).toBe('used');
    await shoot(pixel, 'pair-used');
    const payload = JSON.parse(Buffer.from(firstLink.split('#p=')[1]!, 'base64url').toString('utf8')) as { exp: number };
    const expired = `${firstLink.split('#p=')[0]}#p=${Buffer.from(JSON.stringify({ ...payload, exp: Math.floor(Date.now() / 1000) - 5 })).toString('base64url')}`;
    await pixel.goto(expired);
    await expect.poll(() => pixel.getByTestId('pair-failure-kind').getAttribute('data-kind'), { timeout: T }).toBe('expired');
    expect(await pixel.getByRole('heading', { name: 'This code has expired' }).count()).toBe(1);
    await shoot(pixel, 'pair-expired');
  });

  it('starts a thread and shows the fake model’s answer as it streams, then lists the thread', async () => {
    await pixel.goto(`${relay.origin}/#/hosts/${buildBox.hostId}`);
    await waitHostOnline(pixel, buildBox.hostId);
    await shoot(pixel, 'threads-empty');
    await pixel.getByTestId('new-thread').tap();
    await pixel.getByLabel('Folder to work in').fill(buildBox.home.workdir);
    await pixel.getByLabel('Message').fill('Hello from my phone');
    await shoot(pixel, 'new-thread');
    await pixel.getByRole('button', { name: 'Send' }).tap();
    await pixel.getByTestId('thread-view').waitFor({ timeout: T });
    await pixel.getByText('Hello from the fake model! You said: Hello from my phone').waitFor({ timeout: T });
    threadId = (await pixel.getByTestId('thread-view').getAttribute('data-thread-id'))!;
    expect(pixel.url()).toBe(`${relay.origin}/#/hosts/${buildBox.hostId}/threads/${threadId}`);
    await shoot(pixel, 'thread');
    await pixel.getByRole('button', { name: 'Threads' }).tap();
    await pixel.locator(`[data-testid="thread-row"][data-thread-id="${threadId}"]`).waitFor({ timeout: T });
    await shoot(pixel, 'threads');
  });

  it('turns notifications on: the host registers the subscription and notifies on an approval, which the phone approves', async () => {
    await pixel.goto(`${relay.origin}/#/hosts/${buildBox.hostId}/about`);
    const sw = pixel.getByTestId('notifications-switch');
    await expect.poll(() => sw.isEnabled(), { timeout: T }).toBe(true);
    await sw.tap();
    await expect.poll(() => sw.getAttribute('aria-checked'), { timeout: T }).toBe('true');
    await shoot(pixel, 'host-settings');

    await pixel.goto(`${relay.origin}/#/hosts/${buildBox.hostId}/threads/${threadId}`);
    await pixel.getByLabel('Message').fill('RUN echo approved-from-phone');
    await pixel.getByRole('button', { name: 'Send' }).tap();
    const card = pixel.getByTestId('approval-card');
    await card.waitFor({ timeout: T });
    expect(await pixel.getByTestId('approval-command').textContent()).toContain('echo approved-from-phone');
    await shoot(pixel, 'approval');

    // The host pushed "Approval needed" through the push service, encrypted to this phone's subscription.
    await expect.poll(() => push.accepted.map((m) => (m.payload as { title?: string }).title), { timeout: T }).toContain('Approval needed');
    const msg = push.accepted.find((m) => (m.payload as { title?: string }).title === 'Approval needed')!;
    expect(msg.payload).toEqual({ title: 'Approval needed', body: 'Build Box: Codex is waiting for your approval', url: `/#/hosts/${buildBox.hostId}/threads/${threadId}` });
    expect(msg.text).not.toContain('approved-from-phone');
    expect(push.rejected).toEqual([]);

    await card.getByRole('button', { name: 'Run', exact: true }).tap();
    await card.waitFor({ state: 'detached', timeout: T });
    const ran = pixel.getByRole('button', { name: /^Ran echo approved-from-phone/ });
    await ran.waitFor({ timeout: T });
    await ran.tap();
    await pixel.locator('.cmd-output', { hasText: 'approved-from-phone' }).waitFor({ timeout: T });
    await expect.poll(() => push.accepted.map((m) => (m.payload as { title?: string }).title), { timeout: T }).toContain('Turn finished');
    await shoot(pixel, 'command-output');
  });

  it('lists a file change as changed files (+n −m) and opens a file’s diff full screen', async () => {
    await pixel.getByLabel('Message').fill('PATCH src/phone-note.ts');
    await pixel.getByRole('button', { name: 'Send' }).tap();
    const file = pixel.getByTestId('changed-file').first();
    await file.waitFor({ timeout: T });
    expect(await file.textContent()).toMatch(/^phone-note\.ts\+\d+−\d+$/);
    await pixel.getByText('Edited 1 file').waitFor({ timeout: T });
    await pixel.getByText('Running').waitFor({ state: 'detached', timeout: T });
    await shoot(pixel, 'thread-file-change');
    await file.tap();
    await pixel.getByTestId('diff-screen').waitFor({ timeout: T });
    await pixel.getByTestId('diff-file').waitFor({ timeout: T });
    expect(await pixel.getByTestId('diff-screen').textContent()).toContain('patched by the fake model');
    await shoot(pixel, 'diff');
    await pixel.getByRole('button', { name: 'Back to the thread' }).tap();
    await pixel.getByLabel('Message').waitFor({ timeout: T });
  });

  it('loses its connection, keeps what was typed, and sends it once when the host is back', async () => {
    try {
      await offlineAndBack();
    } finally {
      blockPhone = false;
    }
  });

  async function offlineAndBack(): Promise<void> {
    blockPhone = true;
    await pixel.evaluate(() => (window as unknown as { __codexPhone: { dropConnections(): void } }).__codexPhone.dropConnections());
    const banner = pixel.getByTestId('connection-banner');
    await banner.waitFor({ timeout: T });
    await pixel.getByLabel('Message').fill('written in the tunnel');
    await pixel.getByRole('button', { name: 'Send' }).tap();
    const queued = pixel.getByTestId('queued-item');
    await queued.waitFor({ timeout: T });
    expect(await queued.getAttribute('data-state')).toBe('queued');
    expect(await pixel.getByLabel('Message').inputValue()).toBe('');
    await shoot(pixel, 'thread-offline-queued');

    // A reload while offline keeps the queued message (it is on disk).
    await pixel.reload();
    await pixel.getByTestId('queued-item').waitFor({ timeout: T });

    blockPhone = false;
    await pixel.getByRole('button', { name: 'Retry now' }).tap().catch(() => undefined);
    await pixel.getByText('Hello from the fake model! You said: written in the tunnel').waitFor({ timeout: 45_000 });
    await pixel.getByTestId('queued-item').waitFor({ state: 'detached', timeout: T });
    // Sent exactly once.
    expect(await pixel.locator('.msg-user', { hasText: 'written in the tunnel' }).count()).toBe(1);
    const isTitleJob = (body: unknown) => (body as { text?: { format?: { type?: string } } } | undefined)?.text?.format?.type === 'json_schema';
    expect(fake.requests.filter((r) => r.lastUserText === 'written in the tunnel' && r.toolOutputs.length === 0 && !isTitleJob(r.body))).toHaveLength(1);
  }

  it('shows the complete reply, nothing missing and nothing doubled, after its socket dies mid-turn', async () => {
    await pixel.getByLabel('Message').fill('SLOW please');
    await pixel.getByRole('button', { name: 'Send' }).tap();
    const reply = pixel.locator('.msg-agent', { hasText: 'slow-1 ' });
    await reply.getByText(/slow-5 /).waitFor({ timeout: T });
    await pixel.evaluate(() => (window as unknown as { __codexPhone: { dropConnections(): void } }).__codexPhone.dropConnections());
    await reply.getByText(/slow-50/).waitFor({ timeout: 60_000 });
    // Deltas sent while the socket was down are not replayed; the message's item/completed,
    // which carries the whole text, fills them in (docs/renderer.md): read it once the turn ended.
    await expect.poll(() => pixel.getByTestId('turn').last().getAttribute('data-status'), { timeout: T }).toBe('completed');
    const words = ((await reply.textContent()) ?? '').trim().split(/\s+/);
    expect(words).toEqual(Array.from({ length: 50 }, (_, i) => `slow-${i + 1}`));
  });

  it('holds two hosts on one phone (an iPhone), each with its own state, neither replacing the other', async () => {
    const ctx = await newPhone(browser, 'iPhone 13', relay.origin);
    iphone = ctx.page;
    await pairFromLink(iphone, await buildBox.pairingLink(), buildBox);
    await pairFromLink(iphone, await laptop.pairingLink(), laptop, 'pair-second-host');
    await iphone.goto(`${relay.origin}/#/`);
    await expect.poll(async () => (await hostCard(iphone, buildBox.hostId)).getAttribute('data-state'), { timeout: T }).toBe('online');
    await expect.poll(async () => (await hostCard(iphone, laptop.hostId)).getAttribute('data-state'), { timeout: T }).toBe('online');
    // In the order they were paired.
    expect(await iphone.getByTestId('host-card').evaluateAll((els) => els.map((e) => e.getAttribute('data-host-id')))).toEqual([buildBox.hostId, laptop.hostId]);
    await shoot(iphone, 'hosts-two');
    await (await hostCard(iphone, buildBox.hostId)).tap();
    await iphone.locator(`[data-testid="thread-row"][data-thread-id="${threadId}"]`).waitFor({ timeout: T });
    await shoot(iphone, 'threads-iphone');
    await iphone.getByRole('button', { name: 'All computers' }).tap();
    await (await hostCard(iphone, laptop.hostId)).tap();
    await waitHostOnline(iphone, laptop.hostId);
    expect(await iphone.getByTestId('thread-row').count()).toBe(0);
  });

  it('shows "removed" when the host revokes this phone, leaves the other phone alone, and pairs again', async () => {
    const pixelDevice = (await buildBox.devices()).find((d) => d.revokedAt === null && /Android|Pixel/.test(d.name))!;
    expect(pixelDevice).toBeDefined();
    await pixel.goto(`${relay.origin}/#/hosts/${buildBox.hostId}`);
    await waitHostOnline(pixel, buildBox.hostId);
    await buildBox.revoke(pixelDevice.deviceId);
    await pixel.getByTestId('host-removed').waitFor({ timeout: T });
    expect(await pixel.getByRole('heading', { name: 'This device was removed from Build Box' }).count()).toBe(1);
    await shoot(pixel, 'host-removed');
    await pixel.getByRole('button', { name: 'All computers' }).tap();
    await expect.poll(async () => (await hostCard(pixel, buildBox.hostId)).getAttribute('data-state')).toBe('removed');
    expect(await (await hostCard(pixel, buildBox.hostId)).getByTestId('host-status').textContent()).toBe('Removed by Build Box');
    await shoot(pixel, 'hosts-removed');

    // The iPhone is another device: still online on the same host.
    await iphone.goto(`${relay.origin}/#/hosts/${buildBox.hostId}`);
    await waitHostOnline(iphone, buildBox.hostId);

    await pairFromLink(pixel, await buildBox.pairingLink(), buildBox);
    await pixel.locator(`[data-testid="thread-row"][data-thread-id="${threadId}"]`).waitFor({ timeout: T });
  });

  it('says the host is offline, on its card and when pairing with it', async () => {
    const link = await laptop.pairingLink();
    await laptop.process.stop();
    await iphone.goto(`${relay.origin}/#/`);
    await expect.poll(async () => (await hostCard(iphone, laptop.hostId)).getAttribute('data-state'), { timeout: 45_000 }).toBe('offline');
    expect(await (await hostCard(iphone, laptop.hostId)).getByTestId('host-status').textContent()).toContain('Studio Laptop is not connected to its relay');
    await shoot(iphone, 'hosts-offline');
    await (await hostCard(iphone, laptop.hostId)).tap();
    await iphone.getByTestId('connection-banner').waitFor({ timeout: T });
    await shoot(iphone, 'host-offline');
    await iphone.goto(link);
    await iphone.getByTestId('pair-confirm').tap();
    await expect.poll(() => iphone.getByTestId('pair-failure-kind').getAttribute('data-kind'), { timeout: T }).toBe('offline');
    await shoot(iphone, 'pair-offline');
  });
});
