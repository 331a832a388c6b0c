/**
 * The phone over plain http from a non-loopback name (docs/mobile.md "Serve it"), as on a LAN:
 * the relay serves plain http, and the phone opens it as `http://relay-box.local:PORT` (Chromium
 * resolves that name to this machine's loopback, so no traffic leaves it), so the page is NOT
 * a secure context — no WebCrypto AES-GCM, no service worker, no Web Push. The phone must still pair and work
 * end to end encrypted with the JavaScript (noble) AEAD and a device key kept in IndexedDB, and
 * say plainly that notifications need https. Real relay, real host, real engine, fake model.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeResponses, type FakeResponsesServer } from '../fixtures/fakeResponses.js';
import { clearShots, launchPhoneBrowser, newPhone, shoot, startPhoneHost, startTlsRelay, type PhoneHost, type TlsRelay } from './phoneFixture.js';

const T = 30_000;

const LAN_NAME = 'relay-box.local';
let fake: FakeResponsesServer;
let relay: TlsRelay;
let host: PhoneHost;
let browser: Browser;
let page: Page;
let origin: string;

describe('the phone over plain http from a LAN name', { timeout: 120_000 }, () => {
  beforeAll(async () => {
    await clearShots('lan-');
    fake = await startFakeResponses();
    relay = await startTlsRelay({ plain: true });
    host = await startPhoneHost('LAN Box', relay, fake);
    browser = await launchPhoneBrowser(relay, [`--host-resolver-rules=MAP ${LAN_NAME} 127.0.0.1`]);
    origin = relay.origin.replace('127.0.0.1', LAN_NAME);
    page = (await newPhone(browser, 'Pixel 7', origin)).page;
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
    await relay?.stop();
    await fake?.close();
  });

  it('pairs and runs a turn with the JavaScript AEAD, and says notifications need https', async () => {
    const printed = await host.pairingLink();
    expect(printed.startsWith(`${relay.origin}/pair#p=`)).toBe(true);
    // The same link as a phone on the LAN would open it: by the relay machine's name.
    await page.goto(printed.replace(relay.origin, origin));
    await page.getByTestId('pair-preview').waitFor({ timeout: T });
    expect(await page.evaluate(() => window.isSecureContext)).toBe(false);
    expect(await page.getByText('notifications need https').count()).toBe(1);
    await shoot(page, 'lan-pair-preview');
    await page.getByTestId('pair-confirm').tap();
    await page.locator('[data-testid="host-state"][data-state="online"]').waitFor({ timeout: T });

    await page.getByTestId('new-thread').tap();
    await page.getByLabel('Folder to work in').fill(host.home.workdir);
    await page.getByLabel('Message').fill('Hello over the LAN');
    await page.getByRole('button', { name: 'Send' }).tap();
    await page.getByText('Hello from the fake model! You said: Hello over the LAN').waitFor({ timeout: T });

    await page.goto(`${origin}/#/hosts/${host.hostId}/about`);
    await page.getByText(/Notifications need the app opened over https/).waitFor({ timeout: T });
    expect(await page.getByTestId('notifications-switch').isDisabled()).toBe(true);
    await shoot(page, 'lan-host-settings');
    await page.goto(`${origin}/#/settings`);
    expect(await page.getByTestId('device-key-kind').getAttribute('data-kind')).toBe('stored');
    expect(await page.getByText(/AES-256-GCM in JavaScript/).count()).toBe(1);
    await shoot(page, 'lan-settings');
  });
});
