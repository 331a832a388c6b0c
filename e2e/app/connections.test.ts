/**
 * Settings > Connections, "Control this computer", in Chromium against the real host
 * (`codex-host serve --ui`, real engine with the fake model, its built-in relay) and a real
 * standalone relay process; the phone is the shared controller library (shared/controller),
 * pairing the way a phone does with the link decoded from the QR code's pixels.
 * Screenshots of every state go to test-results/screens/connections/.
 */
import { createServer, type AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { PNG } from 'pngjs';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pair, type ControllerSession } from '../../shared/controller/index.js';
import { parsePairingLink } from '../../shared/pairing/pairingLink.js';
import type { RpcConnection } from '../../shared/rpc/connection.js';
import { testPhone } from '../fixtures/controller.js';
import { useStack } from '../fixtures/stack.js';
import { startRelayProcess, type RelayProcess } from '../fixtures/relayProcess.js';
import { launchBrowser, newPage, printedUiAddress, screenshot } from './appFixture.js';

// jsqr is CommonJS whose typings say `export default`: load it the way Node does.
const jsQR = createRequire(import.meta.url)('jsqr') as typeof import('jsqr').default;
const T = 30_000;
const SHOTS = 'connections';

// The real host with its built-in relay and the UI; a standalone relay process to switch to.
const stack = useStack({ label: 'connections-ui', relay: 'embedded', hostArgs: ['--ui', '--name', 'Connections Test Host'] });
let relay: RelayProcess;
let browser: Browser;
let url: string;
const sessions: ControllerSession[] = [];

/** The one place that knows how to reach the tab (the integrator changes only this). */
async function openThisComputerTab(page: Page): Promise<void> {
  await page.goto(url);
  const narrow = (page.viewportSize()?.width ?? 1280) <= 720;
  if (narrow && (await page.getByRole('button', { name: 'Back to threads' }).count())) await page.getByRole('button', { name: 'Back to threads' }).click();
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByRole('navigation', { name: 'Settings sections' }).getByRole('button', { name: 'Connections', exact: true }).click();
  await page.getByRole('heading', { name: 'Devices that can control this computer' }).waitFor({ timeout: T });
}

/** Reads the pairing link out of the QR code on screen (its pixels, as a camera would). */
async function linkFromQr(page: Page): Promise<string> {
  const png = PNG.sync.read(await page.getByRole('img', { name: 'Pairing QR code', exact: true }).screenshot());
  const code = jsQR(new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.byteLength), png.width, png.height);
  if (!code) throw new Error('the QR code on the page could not be decoded');
  return code.data;
}

async function shot(page: Page, name: string): Promise<void> {
  await screenshot(page, `${SHOTS}/${name}`);
}

async function initialize(rpc: RpcConnection): Promise<void> {
  await rpc.request('initialize', { clientInfo: { name: 'test-phone', title: 'Test Phone', version: '0' }, capabilities: null });
  rpc.notify('initialized');
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

/** The bound for cutting a session (revoke, remote access off), from the click. */
const CUT_WITHIN_MS = 1000;

/**
 * Clicks `target` and returns when the page itself saw the click (epoch ms; the page and this
 * test share the machine's clock), so Playwright's own waiting before the click does not count.
 */
async function clickTimed(page: Page, target: Locator): Promise<number> {
  await page.evaluate(() => document.addEventListener('click', (e) => ((window as unknown as { clickedAt: number }).clickedAt = performance.timeOrigin + e.timeStamp), { capture: true, once: true }));
  await target.click();
  return page.evaluate(() => (window as unknown as { clickedAt: number }).clickedAt);
}

/** When (epoch ms) `session` stops being open: its socket was closed by the relay. */
function whenCut(session: ControllerSession): Promise<number> {
  return new Promise((resolve) => {
    if (session.state !== 'open') return resolve(Date.now());
    const sub = session.onStateChange((state) => {
      if (state === 'open') return;
      sub.dispose();
      resolve(Date.now());
    });
  });
}

async function waitUntil(what: string, check: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

beforeAll(async () => {
  relay = await startRelayProcess();
  url = printedUiAddress(stack.host.stdout()).url;
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  for (const s of sessions) s.close();
  await browser?.close();
  await relay?.stop();
});

describe('Settings > Connections: Control this computer', () => {
  it('pairs a phone from the QR code, shows it live, renames it and revokes it (its session ends)', async () => {
    const { page, context } = await newPage(browser, { width: 1280, height: 860 });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(url).origin });
    await openThisComputerTab(page);

    // setup state: nothing paired yet
    await page.getByTestId('setup-state').waitFor({ timeout: T });
    await expect.poll(() => page.getByTestId('devices-empty').textContent()).toBe('No device can control this computer yet');
    await expect.poll(() => page.getByTestId('remote-access-state').textContent(), { timeout: T }).toContain('On · connected to the relay');
    expect(await page.getByRole('switch', { name: 'Allow other devices to connect' }).getAttribute('aria-checked')).toBe('true');
    // keep-awake shows what this host's power feature says (here: whether systemd-inhibit works)
    await expect.poll(() => page.getByTestId('keep-awake-state').textContent(), { timeout: T }).toMatch(/^(Not available here: .+|Holding this computer awake now: .+|Not holding.*)$/);

    // the pairing dialog: a QR code for a phone, with the loopback relay called out
    await page.getByTestId('setup-state').getByRole('button', { name: 'Set up Codex mobile' }).click();
    const dialog = page.getByRole('dialog', { name: 'Set up Codex mobile' });
    await dialog.getByRole('img', { name: 'Pairing QR code', exact: true }).waitFor({ timeout: T });
    await dialog.getByText("A phone can't reach this relay").waitFor();
    await expect.poll(() => dialog.getByTestId('pairing-time-left').textContent()).toMatch(/^Expires in (9:[0-5]\d|10:00)$/);
    const first = await linkFromQr(page);
    expect(parsePairingLink(first).relay).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/);

    // Copy link puts exactly that link on the clipboard
    await dialog.getByRole('button', { name: 'Copy link' }).click();
    await page.getByRole('status').filter({ hasText: 'Link copied' }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(first);

    // Refresh code replaces it; the Computer view shows the new link to paste
    await dialog.getByRole('button', { name: 'Refresh code' }).click();
    await expect.poll(() => linkFromQr(page), { timeout: T }).not.toBe(first);
    const link = await linkFromQr(page);
    await dialog.getByRole('radio', { name: 'Computer' }).click();
    expect(await dialog.getByRole('textbox').inputValue()).toBe(link);
    await dialog.getByRole('radio', { name: 'Phone' }).click();

    // fullscreen and back
    await dialog.getByRole('button', { name: 'Show fullscreen' }).click();
    await page.getByRole('img', { name: 'Pairing QR code, fullscreen' }).waitFor();
    await page.getByRole('button', { name: 'Exit fullscreen' }).click();
    await expect.poll(() => page.getByTestId('qr-fullscreen').count()).toBe(0);

    // the replaced code no longer works; the current one pairs, and the dialog flips
    const thief = testPhone('Thief');
    await expect(pair(first, thief.deps, { reconnect: false })).rejects.toMatchObject({ kind: 'expired' });
    const phone = testPhone('Test Phone');
    const paired = await pair(link, phone.deps, { reconnect: false });
    sessions.push(paired.session);
    await page.getByRole('dialog', { name: "You're connected" }).waitFor({ timeout: T });
    await page.getByRole('dialog', { name: "You're connected" }).getByText('Test Phone').waitFor();
    await page.getByRole('button', { name: 'Done' }).click();

    // the device row, live
    const row = page.locator(`[data-testid="device-row"][data-device-id="${phone.deviceId}"]`);
    await row.waitFor({ timeout: T });
    await expect.poll(() => row.textContent()).toContain('Connected now');
    expect(await row.textContent()).toContain('iOS');
    expect(await row.getByRole('img', { name: 'Phone' }).count()).toBe(1);
    expect(await page.getByTestId('setup-state').count()).toBe(0);

    // rename: Esc cancels, an empty name is refused, Enter saves
    await row.getByRole('button', { name: 'Rename Test Phone' }).click();
    const input = page.getByRole('textbox', { name: 'New name for Test Phone' });
    await input.fill('Not this');
    await input.press('Escape');
    await expect.poll(() => row.locator('.device-name').textContent()).toBe('Test Phone');
    await row.getByRole('button', { name: 'Rename Test Phone' }).click();
    await input.fill('   ');
    await input.press('Enter');
    await row.getByRole('alert').filter({ hasText: 'A device needs a name' }).waitFor();
    await input.fill('Work phone');
    await input.press('Enter');
    await page.getByRole('status').filter({ hasText: 'Renamed to Work phone' }).waitFor({ timeout: T });
    const renamed = row;
    await expect.poll(() => row.locator('.device-name').textContent()).toBe('Work phone');

    // revoke: asks first; Cancel keeps it
    await renamed.getByRole('button', { name: 'Revoke access for Work phone' }).click();
    const confirm = page.getByRole('dialog', { name: 'Revoke access for Work phone?' });
    await confirm.waitFor();
    await shot(page, 'revoke-confirm-1280-light');
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    expect(await renamed.count()).toBe(1);
    expect(paired.session.state).toBe('open');
    await renamed.getByRole('button', { name: 'Revoke access for Work phone' }).click();
    const cut = whenCut(paired.session);
    const clickedAt = await clickTimed(page, confirm.getByRole('button', { name: 'Revoke access' }));
    await page.getByRole('status').filter({ hasText: 'Access revoked for Work phone' }).waitFor({ timeout: T });
    await expect.poll(() => page.getByTestId('device-row').count()).toBe(0);
    await waitUntil('the revoked phone’s session ends', () => paired.session.state !== 'open', 5000);
    // its session is cut within a second of the confirming click (measured: ~60 ms on loopback)
    expect((await cut) - clickedAt).toBeLessThanOrEqual(CUT_WITHIN_MS);
    expect(paired.session.state).toBe('denied');
    await page.getByTestId('setup-state').waitFor();
    await context.close();
  }, 120_000);

  it('turns a paired phone’s notifications off from its row (the host and the phone see it), follows the phone, and sets the required contact', async () => {
    const { page, context } = await newPage(browser, { width: 1280, height: 860 });
    await openThisComputerTab(page);
    await page.getByTestId('setup-state').getByRole('button', { name: 'Set up Codex mobile' }).click();
    const dialog = page.getByRole('dialog', { name: 'Set up Codex mobile' });
    await dialog.getByRole('img', { name: 'Pairing QR code', exact: true }).waitFor({ timeout: T });
    const phone = testPhone('Pocket Phone');
    const paired = await pair(await linkFromQr(page), phone.deps, { reconnect: false });
    sessions.push(paired.session);
    await page.getByRole('dialog', { name: "You're connected" }).waitFor({ timeout: T });
    await page.getByRole('button', { name: 'Done' }).click();
    const rpc = paired.session.rpc;
    await initialize(rpc);
    const phoneView = async () => ((await rpc.request('host/push/settings/get', {})) as { configured: boolean; devices: { enabled: boolean; subscribed: boolean }[] });

    // on by default, and the phone has not subscribed yet
    const row = page.locator(`[data-testid="device-row"][data-device-id="${phone.deviceId}"]`);
    const sw = row.getByRole('switch', { name: 'Notifications for Pocket Phone' });
    await sw.waitFor({ timeout: T });
    expect(await sw.isChecked()).toBe(true);
    expect(await row.getByTestId('device-push-state').textContent()).toBe('On · not set up on the phone yet');
    await shot(page, 'notifications-row-1280-light');

    // off from the row: the switch follows the host's answer, and the phone's own view says off
    await sw.click();
    await expect.poll(() => sw.isChecked(), { timeout: T }).toBe(false);
    expect(await row.getByTestId('device-push-state').textContent()).toBe('Off');
    expect((await phoneView()).devices).toEqual([expect.objectContaining({ enabled: false, subscribed: false })]);

    // the phone turns itself back on: the row follows live (host/push/changed)
    await rpc.request('host/push/settings/set', { enabled: true });
    await expect.poll(() => sw.isChecked(), { timeout: T }).toBe(true);

    // the contact subject: not set on this host; a bad one is refused with the host's reason and kept
    const subjectRow = page.getByTestId('push-subject-row');
    await subjectRow.scrollIntoViewIfNeeded();
    expect(await subjectRow.getByTestId('push-subject-state').textContent()).toContain('Not set: no phone gets notifications until it is');
    expect((await phoneView()).configured).toBe(false);
    const input = subjectRow.getByRole('textbox', { name: 'Contact for notifications' });
    await input.fill('ops@example.com');
    await subjectRow.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => subjectRow.getByRole('alert').textContent(), { timeout: T }).toBe('the contact subject must be a mailto: address or an https: URL');
    expect(await input.inputValue()).toBe('ops@example.com');
    await shot(page, 'notifications-subject-refused-1280-light');
    await input.fill('mailto:ops@example.com');
    await subjectRow.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => subjectRow.getByTestId('push-subject-state').textContent(), { timeout: T }).toBe('Set to mailto:ops@example.com');
    expect((await phoneView()).configured).toBe(true);

    // leave the host as the next test expects it: nothing paired
    await row.getByRole('button', { name: 'Revoke access for Pocket Phone' }).click();
    await page.getByRole('dialog', { name: 'Revoke access for Pocket Phone?' }).getByRole('button', { name: 'Revoke access' }).click();
    await page.getByTestId('setup-state').waitFor({ timeout: T });
    await context.close();
  }, 120_000);

  it('chooses a relay URL (refusing a bad one), pairs through it, shows remote activity, and turning remote access off ends the session', async () => {
    const { page, context } = await newPage(browser, { width: 1280, height: 860 });
    await openThisComputerTab(page);
    const choice = page.getByTestId('relay-choice');
    await choice.getByRole('radio', { name: /A relay URL/ }).check();
    await choice.getByRole('textbox', { name: 'Relay URL' }).fill('http://relay.invalid');
    await choice.getByRole('button', { name: 'Use this relay' }).click();
    await choice.getByRole('alert').waitFor({ timeout: T });
    expect(await choice.getByRole('alert').textContent()).toMatch(/^host\/relay\/set: /);
    await shot(page, 'relay-error-1280-light');
    // the refused choice left the built-in relay in use
    expect(await choice.textContent()).toContain('Reachable from this computer only');

    await choice.getByRole('textbox', { name: 'Relay URL' }).fill(relay.url);
    await choice.getByRole('button', { name: 'Use this relay' }).click();
    await expect.poll(() => choice.locator('code').first().textContent(), { timeout: T }).toBe(relay.url);
    await expect.poll(() => page.getByTestId('remote-access-state').textContent(), { timeout: T }).toContain('On · connected to the relay');

    // pair a computer-style client through the relay process, with the link from the Computer view
    await page.getByTestId('setup-state').getByRole('button', { name: 'Set up Codex mobile' }).click();
    const dialog = page.getByRole('dialog', { name: 'Set up Codex mobile' });
    await dialog.getByRole('radio', { name: 'Computer' }).click();
    const link = await dialog.getByRole('textbox').inputValue();
    const phone = testPhone('Relay Phone');
    const paired = await pair(link, phone.deps, { reconnect: false });
    sessions.push(paired.session);
    await page.getByRole('dialog', { name: "You're connected" }).waitFor({ timeout: T });
    await page.getByRole('button', { name: 'Done' }).click();
    await page.getByTestId('device-row').filter({ hasText: 'Relay Phone' }).waitFor({ timeout: T });
    await expect.poll(() => page.getByTestId('remote-access-state').textContent(), { timeout: T }).toContain('1 device connected');

    // an approval answered from the phone shows up in Remote activity
    const rpc = paired.session.rpc;
    rpc.onRequest('item/commandExecution/requestApproval', () => ({ decision: 'accept' }));
    const completed = new Promise<void>((resolve) => rpc.onNotification('turn/completed', () => resolve()));
    await initialize(rpc);
    const { thread } = (await rpc.request('thread/start', { cwd: stack.home.workdir })) as { thread: { id: string } };
    await rpc.request('turn/start', { threadId: thread.id, input: [{ type: 'text', text: 'please RUN echo from-the-phone', text_elements: [] }] });
    await completed;
    await page.getByRole('button', { name: 'Refresh remote activity' }).click();
    const activity = page.getByTestId('activity-row').filter({ hasText: 'Relay Phone' });
    await activity.waitFor({ timeout: T });
    expect(await activity.textContent()).toContain('Command');
    expect(await activity.textContent()).toContain('accept');

    // remote access off: the switch follows the host, the phone's session ends, no code can be made
    const sw = page.getByRole('switch', { name: 'Allow other devices to connect' });
    const cut = whenCut(paired.session);
    const clickedAt = await clickTimed(page, sw);
    await expect.poll(() => sw.getAttribute('aria-checked'), { timeout: T }).toBe('false');
    await waitUntil('the relay session ends', () => paired.session.state !== 'open', 5000);
    expect((await cut) - clickedAt).toBeLessThanOrEqual(CUT_WITHIN_MS);
    expect(await page.getByTestId('remote-access-state').textContent()).toContain('Off');
    await page.getByTestId('check-row').first().waitFor();
    await expect.poll(() => page.locator('[data-check-id][data-status="problem"]').count(), { timeout: T }).toBeGreaterThan(0);
    await shot(page, 'remote-off-1280-light');
    await page.getByRole('button', { name: 'Add device' }).click();
    await page.getByRole('dialog', { name: 'Set up Codex mobile' }).getByText(/^Code unavailable: /).waitFor({ timeout: T });
    await shot(page, 'pairing-unavailable-1280-light');
    // the fix from the dialog turns remote access back on and makes a code
    await page.getByRole('dialog', { name: 'Set up Codex mobile' }).getByRole('button', { name: 'Allow other devices to connect' }).click();
    await page.getByRole('dialog', { name: 'Set up Codex mobile' }).getByRole('textbox').waitFor({ timeout: T });
    await page.keyboard.press('Escape');
    await expect.poll(() => sw.getAttribute('aria-checked'), { timeout: T }).toBe('true');
    await context.close();
  }, 180_000);

  it('runs the remote-TUI listener from the screen: refuses a bad address, listens, generates a token file, and shows the command', async () => {
    const { page, context } = await newPage(browser, { width: 1280, height: 860 });
    await openThisComputerTab(page);
    const section = page.getByTestId('listener');
    await section.scrollIntoViewIfNeeded();
    expect(await section.getByTestId('listener-state').textContent()).toContain('Off');
    const address = section.getByRole('textbox', { name: /^Address/ });
    await address.fill('http://127.0.0.1:1');
    await section.getByRole('switch', { name: 'Remote TUI listener' }).click();
    expect(await section.getByRole('alert').textContent()).toContain('unsupported --listen URL');
    expect(await section.getByRole('switch', { name: 'Remote TUI listener' }).getAttribute('aria-checked')).toBe('false');

    const port = await freePort();
    await address.fill(`ws://127.0.0.1:${port}`);
    await section.getByRole('switch', { name: 'Remote TUI listener' }).click();
    await expect.poll(() => section.getByTestId('listener-state').textContent(), { timeout: T }).toContain(`Listening on ws://127.0.0.1:${port}`);
    expect(await section.locator('code').textContent()).toBe(`codex --remote ws://127.0.0.1:${port}`);

    await section.getByRole('combobox').selectOption('capability-token');
    await section.getByRole('button', { name: 'Generate token file' }).click();
    await page.getByRole('status').filter({ hasText: 'New token written to' }).waitFor({ timeout: T });
    await section.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(() => section.locator('code').textContent(), { timeout: T }).toContain('--remote-auth-token-env CODEX_TOKEN');
    await shot(page, 'listener-1280-light');
    await section.getByRole('switch', { name: 'Remote TUI listener' }).click();
    await expect.poll(() => section.getByTestId('listener-state').textContent(), { timeout: T }).toContain('Off');
    await context.close();
  }, 120_000);

  for (const scheme of ['light', 'dark'] as const) {
    for (const width of [1280, 390] as const) {
      it(`screens at ${width} px, ${scheme}`, async () => {
        const { page, context } = await newPage(browser, { width, height: width === 390 ? 844 : 800, colorScheme: scheme });
        const name = (s: string) => `${s}-${width}-${scheme}`;
        await openThisComputerTab(page);
        await page.getByTestId('device-row').first().waitFor({ timeout: T });
        await shot(page, name('devices'));
        await page.getByTestId('allow-connect-row').scrollIntoViewIfNeeded();
        await shot(page, name('settings'));
        await page.getByTestId('push-subject-row').scrollIntoViewIfNeeded();
        await shot(page, name('notifications'));
        await page.getByTestId('relay-choice').scrollIntoViewIfNeeded();
        await shot(page, name('relay'));
        await page.getByTestId('listener').scrollIntoViewIfNeeded();
        await shot(page, name('listener'));
        await page.getByTestId('activity-row').first().scrollIntoViewIfNeeded();
        await shot(page, name('activity'));
        await page.getByTestId('troubleshooting').scrollIntoViewIfNeeded();
        await shot(page, name('troubleshooting'));
        // a refused relay URL, beside the control that sent it (nothing is applied)
        const choice = page.getByTestId('relay-choice');
        await choice.getByRole('textbox', { name: 'Relay URL' }).fill('http://relay.invalid');
        await choice.getByRole('button', { name: 'Use this relay' }).click();
        await choice.getByRole('alert').waitFor({ timeout: T });
        await shot(page, name('relay-error'));
        // the revoke confirmation, cancelled
        await page.getByRole('button', { name: /^Revoke access for / }).first().click();
        await page.getByRole('dialog', { name: /^Revoke access for .*\?$/ }).waitFor();
        await shot(page, name('revoke-confirm'));
        await page.getByRole('dialog', { name: /^Revoke access for .*\?$/ }).getByRole('button', { name: 'Cancel' }).click();
        await page.getByRole('button', { name: 'Add device' }).click();
        const dialog = page.getByRole('dialog', { name: 'Set up Codex mobile' });
        await dialog.getByRole('img', { name: 'Pairing QR code', exact: true }).waitFor({ timeout: T });
        await shot(page, name('pairing-phone'));
        await dialog.getByRole('radio', { name: 'Computer' }).click();
        await shot(page, name('pairing-computer'));
        await dialog.getByRole('radio', { name: 'Phone' }).click();
        await dialog.getByRole('button', { name: 'Show fullscreen' }).click();
        await shot(page, name('pairing-fullscreen'));
        await page.getByRole('button', { name: 'Exit fullscreen' }).click();
        const link = await linkFromQr(page);
        const p = await pair(link, testPhone(`Phone ${width} ${scheme} with a rather long name`).deps, { reconnect: false });
        sessions.push(p.session);
        await page.getByRole('dialog', { name: "You're connected" }).waitFor({ timeout: T });
        await shot(page, name('pairing-connected'));
        await page.getByRole('button', { name: 'Done' }).click();
        const row = page.getByTestId('device-row').first();
        await row.getByRole('button', { name: /^Rename / }).click();
        await page.getByRole('textbox', { name: /^New name for / }).fill('');
        await page.getByRole('textbox', { name: /^New name for / }).press('Enter');
        await shot(page, name('rename-refused'));
        await page.getByRole('textbox', { name: /^New name for / }).press('Escape');
        await context.close();
      }, 120_000);
    }
  }
});
