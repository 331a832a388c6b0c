/**
 * Settings > Connections > Control other devices in a real browser (Debian Chromium via
 * playwright-core), with two real hosts and a real relay on loopback: host B shows a pairing
 * link, the person pastes it into host A's UI, sees B Connected, reads its Details, renames it,
 * runs a turn on B from A's threads view (answering the approval there; B's audit log names
 * A), continues a thread another client of B started, turns the Connect toggle off and on,
 * B revokes A ("Removed by {name}"), and A removes it. A host on Windows never offers the
 * section. Every state is saved at phone and desktop size, light and dark, to
 * test-results/screens/remotes/.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { createHost, type HostHandle } from '../../host/app/createHost.js';
import { createUiBridgeExtension } from '../../host/ui-bridge/uiBridgeExtension.js';
import { silentLogger } from '../../shared/util/logger.js';
import { createCodexHome, type CodexHomeFixture } from '../fixtures/codexHome.js';
import { startFakeResponses, type FakeResponsesServer } from '../fixtures/fakeResponses.js';
import { REPO_ROOT, runCliAsync, startHostProcess, type HostProcess } from '../fixtures/hostProcess.js';
import { startRelayProcess, type RelayProcess } from '../fixtures/relayProcess.js';
import { openWsDriver } from '../fixtures/wsDriver.js';
import { launchBrowser, newPage, printedUiAddress } from './appFixture.js';

const UI_TIMEOUT = 45_000;
const SHOTS = join(REPO_ROOT, 'test-results', 'screens', 'remotes');
const VARIANTS = [
  { size: 'desktop', width: 1280, height: 800, scheme: 'light' },
  { size: 'desktop', width: 1280, height: 800, scheme: 'dark' },
  { size: 'phone', width: 390, height: 844, scheme: 'light' },
  { size: 'phone', width: 390, height: 844, scheme: 'dark' },
] as const;

interface Side {
  fake: FakeResponsesServer;
  home: CodexHomeFixture;
  dataDir: string;
  host: HostProcess;
}

let relay: RelayProcess;
let a: Side & { url: string };
let b: Side;
let browser: Browser;

async function startSide(name: string, label: string, extra: readonly string[]): Promise<Side> {
  const fake = await startFakeResponses();
  const home = await createCodexHome({ modelBaseUrl: fake.baseUrl, label });
  const dataDir = await mkdtemp(join(home.root, 'data-'));
  const host = await startHostProcess({ dataDir, env: home.env, cwd: home.workdir, args: ['--relay', relay.url, '--name', name, ...extra] });
  return { fake, home, dataDir, host };
}

async function pairLink(side: Side): Promise<string> {
  const r = await runCliAsync(['pair', '--json', '--data-dir', side.dataDir], side.home.env);
  expect(r.stderr).toBe('');
  return (JSON.parse(r.stdout) as { link: string }).link;
}

function auditLines(side: Side): { client: { kind: string; name: string }; environmentId: string; decision: string; summary?: string; outcome: string }[] {
  const file = join(side.dataDir, 'audit.jsonl');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { client: { kind: string; name: string }; environmentId: string; decision: string; summary?: string; outcome: string });
}

async function openApp(url: string, o: { width: number; height?: number; scheme?: 'light' | 'dark' } = { width: 1280 }): Promise<Page> {
  const { page } = await newPage(browser, { width: o.width, height: o.height ?? 800, colorScheme: o.scheme ?? 'light' });
  await page.goto(url);
  // Desktop: the sidebar and New thread; phone: the sidebar alone (one pane at a time).
  await page.getByRole('button', { name: 'Settings' }).waitFor({ timeout: UI_TIMEOUT });
  await page.getByTestId('new-thread').or(page.getByTestId('thread-view')).or(page.getByText('No threads yet')).first().waitFor({ timeout: UI_TIMEOUT });
  return page;
}

/**
 * The one place that knows how the tab is reached: Settings, then its "Other devices" section
 * (until Settings > Connections joins the tabs; then this opens Connections > Control other devices).
 */
async function openOtherDevicesTab(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByRole('navigation', { name: 'Settings sections' }).getByRole('button', { name: 'Connections', exact: true }).click();
  await page.getByRole('tablist', { name: 'Connections' }).getByRole('tab', { name: 'Control other devices' }).click();
  await page.getByTestId('other-devices-tab').waitFor({ timeout: UI_TIMEOUT });
}

/** The tab's row of the host with id `id`. */
const rowOf = (page: Page, id: string) => page.getByTestId(`remote-${id}`);

async function menu(page: Page, id: string, item: string): Promise<void> {
  const row = rowOf(page, id);
  await row.getByRole('button', { name: /^More for / }).click();
  await row.getByRole('menuitem', { name: item }).click();
}

/**
 * Saves `remotes/<name>-<size>-<scheme>.png` in every variant: each a fresh window of A on the
 * tab (the state is the host's, so every window shows it), with `prepare` opening a dialog.
 */
async function shootAll(name: string, prepare?: (page: Page) => Promise<void>): Promise<void> {
  await mkdir(SHOTS, { recursive: true });
  for (const v of VARIANTS) {
    const page = await openApp(a.url, { width: v.width, height: v.height, scheme: v.scheme });
    try {
      await openOtherDevicesTab(page);
      await page.getByTestId('other-devices-tab').locator('[aria-busy="true"]').waitFor({ state: 'detached', timeout: UI_TIMEOUT });
      await prepare?.(page);
      await page.screenshot({ path: join(SHOTS, `${name}-${v.size}-${v.scheme}.png`) });
    } finally {
      await page.context().close();
    }
  }
}

beforeAll(async () => {
  await rm(SHOTS, { recursive: true, force: true });
  relay = await startRelayProcess();
  b = await startSide('Host B', 'od-b', ['--listen', 'ws://127.0.0.1:0']);
  const side = await startSide('Host A', 'od-a', ['--ui']);
  a = { ...side, url: printedUiAddress(side.host.stdout()).url };
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  for (const s of [a, b]) await s?.host.stop();
  await relay?.stop();
  for (const s of [a, b]) {
    await s?.fake.close();
    await s?.home.cleanup();
  }
});

describe('Control other devices in the desktop UI', () => {
  it('adds B from its pairing link, shows it Connected with its Details, renames it, and runs a turn on B from A\u2019s threads view', async () => {
    const bId = b.host.hostId!;
    const page = await openApp(a.url);
    await openOtherDevicesTab(page);
    const tab = page.getByTestId('other-devices-tab');
    expect(await tab.getByRole('heading', { level: 3 }).textContent()).toBe('Devices you can control from this computer');
    await tab.getByText('No devices yet').waitFor({ timeout: UI_TIMEOUT });
    await shootAll('empty');

    // Add: what is not a link is caught here; this computer's own link is refused by the host.
    await tab.getByRole('button', { name: 'Add' }).click();
    const dialog = page.getByTestId('remote-add');
    await dialog.getByLabel('Pairing link').fill('hello');
    await dialog.getByRole('button', { name: 'Add device' }).click();
    expect(await dialog.locator('.ssh-field-error').textContent()).toBe('This is not a pairing link: it looks like https://…/pair#p=…');
    await dialog.getByLabel('Pairing link').fill(await pairLink(a));
    await dialog.getByRole('button', { name: 'Add device' }).click();
    await expect.poll(() => dialog.getByRole('alert').textContent(), { timeout: UI_TIMEOUT }).toBe('This is this host\u2019s own pairing link; paste it on the other host');
    await shootAll('add-refused', async (p) => {
      await p.getByTestId('other-devices-tab').getByRole('button', { name: 'Add' }).click();
      const d = p.getByTestId('remote-add');
      await d.getByLabel('Pairing link').fill(await pairLink(a));
      await d.getByRole('button', { name: 'Add device' }).click();
      await d.getByRole('alert').waitFor({ timeout: UI_TIMEOUT });
    });
    await shootAll('add-dialog', async (p) => {
      await p.getByTestId('other-devices-tab').getByRole('button', { name: 'Add' }).click();
      await p.getByTestId('remote-add').getByLabel('Pairing link').fill('https://relay.example/pair#p=AAAA');
    });

    await dialog.getByLabel('Pairing link').fill(await pairLink(b));
    await dialog.getByRole('button', { name: 'Add device' }).click();
    await dialog.waitFor({ state: 'detached', timeout: UI_TIMEOUT });
    const row = rowOf(page, bId);
    await expect.poll(() => row.getByTestId('remote-subtitle').textContent(), { timeout: UI_TIMEOUT }).toBe('Connected');
    expect(await row.getByTestId('remote-name').textContent()).toBe('Host B');
    expect(await row.getByRole('switch', { name: 'Connect Host B' }).isChecked()).toBe(true);
    // B lists A among its devices, as a host.
    const devices = JSON.parse((await runCliAsync(['devices', '--json', '--data-dir', b.dataDir], b.home.env)).stdout) as { devices: { name: string; kind: string }[] };
    expect(devices.devices).toContainEqual(expect.objectContaining({ name: 'Host A', kind: 'host' }));
    await shootAll('connected');

    // Details: host name, last seen, OS / arch, Codex version, key fingerprint.
    await menu(page, bId, 'Details');
    const details = page.getByTestId('remote-details');
    const field = (k: string) => details.locator(`dd[data-field="${k}"]`).textContent();
    expect(await field('Host name')).toBe('Host B');
    expect(await field('OS / arch')).toBe(`${process.platform === 'linux' ? 'Linux' : process.platform === 'darwin' ? 'macOS' : process.platform} / ${process.arch}`);
    expect(await field('Codex version')).toMatch(/^\d+\.\d+\.\d+/);
    expect(await field('Key fingerprint')).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    // A time ("Just now (…)" or the date and time), not "Never" or a blank.
    expect(await field('Last seen')).toMatch(/^(Just now \()?\d/);
    await details.getByRole('button', { name: 'Close' }).click();
    await shootAll('details', (p) => menu(p, bId, 'Details'));

    // Rename: the row and the sidebar's environment take the new name.
    await menu(page, bId, 'Rename');
    const rename = page.getByTestId('remote-rename');
    await rename.getByRole('textbox', { name: /^Name/ }).fill('Build box');
    await shootAll('rename', async (p) => {
      await menu(p, bId, 'Rename');
      await p.getByTestId('remote-rename').getByRole('textbox', { name: /^Name/ }).fill('Build box');
    });
    await rename.getByRole('button', { name: 'Save' }).click();
    await rename.waitFor({ state: 'detached', timeout: UI_TIMEOUT });
    expect(await row.getByTestId('remote-name').textContent()).toBe('Build box');
    const env = page.getByTestId(`environment-remote:${bId}`);
    await expect.poll(() => env.textContent(), { timeout: UI_TIMEOUT }).toContain('Build box');
    expect(await env.textContent()).toContain('Connected');

    // The threads view on B: a thread started here runs on B's engine, with its approval answered here.
    await env.click();
    const hero = page.getByTestId('new-thread');
    await expect.poll(() => hero.textContent(), { timeout: UI_TIMEOUT }).toContain('Codex runs on Build box, another device you control');
    await page.getByLabel('Folder to work in').fill(b.home.workdir);
    await page.getByLabel('Message', { exact: true }).fill('please RUN touch from-a-ui.txt && echo shell-ran-ok');
    // The window's own session to B's environment is open once Send is offered.
    await expect.poll(() => page.getByRole('button', { name: 'Send' }).isEnabled(), { timeout: UI_TIMEOUT }).toBe(true);
    await page.keyboard.press('Enter');
    const card = page.getByTestId('approval-card');
    await card.waitFor({ timeout: UI_TIMEOUT });
    expect(await card.getByTestId('approval-command').textContent()).toBe('$ touch from-a-ui.txt && echo shell-ran-ok');
    expect(await card.textContent()).toContain(b.home.workdir);
    await mkdir(SHOTS, { recursive: true });
    await page.screenshot({ path: join(SHOTS, 'thread-approval-desktop-light.png') });
    await card.getByRole('button', { name: 'Run', exact: true }).click();
    const turn = page.getByTestId('turn').last();
    await expect.poll(() => turn.getAttribute('data-status'), { timeout: UI_TIMEOUT }).toBe('completed');
    const group = turn.getByTestId('command-group');
    await group.getByRole('button').first().click();
    expect(await group.getByTestId('command-output').textContent()).toContain('shell-ran-ok');
    await page.screenshot({ path: join(SHOTS, 'thread-done-desktop-light.png') });
    // It ran on B: B's workdir, B's model; B's audit log names A.
    expect(existsSync(join(b.home.workdir, 'from-a-ui.txt'))).toBe(true);
    expect(existsSync(join(a.home.workdir, 'from-a-ui.txt'))).toBe(false);
    expect(b.fake.responsesRequests().some((r) => r.lastUserText.includes('from-a-ui.txt'))).toBe(true);
    expect(a.fake.responsesRequests().some((r) => r.lastUserText.includes('from-a-ui.txt'))).toBe(false);
    expect(auditLines(b).find((l) => l.summary?.includes('from-a-ui.txt'))).toMatchObject({ client: { kind: 'host', name: 'Host A' }, environmentId: 'local', decision: 'accept', outcome: 'applied' });
    // The thread is listed in B's environment, and not in this computer's.
    await expect.poll(() => page.getByTestId('thread-row').allTextContents(), { timeout: UI_TIMEOUT }).toEqual([expect.stringContaining('from-a-ui.txt')]);
    await page.getByTestId('environment-local').click();
    await expect.poll(() => page.getByText('No threads yet').count(), { timeout: UI_TIMEOUT }).toBe(1);

    // A thread started on B by another of its clients (say, a phone) is continued from here.
    const onB = await openWsDriver(b.host.listenUrl!);
    await onB.initialize('phone-on-b');
    const started = (await onB.request('thread/start', { cwd: b.home.workdir })) as { thread: { id: string } };
    const since = onB.messages.length;
    await onB.request('turn/start', { threadId: started.thread.id, input: [{ type: 'text', text: 'started on B from elsewhere', text_elements: [] }] });
    await onB.waitFor((m) => m.method === 'turn/completed', UI_TIMEOUT, { since });
    onB.terminate();
    await env.click();
    const elsewhere = page.locator(`[data-testid="thread-row"][data-thread-id="${started.thread.id}"]`);
    await expect.poll(() => elsewhere.count(), { timeout: UI_TIMEOUT }).toBe(1);
    await elsewhere.click();
    await expect.poll(() => page.getByTestId('agent-message').first().textContent(), { timeout: UI_TIMEOUT }).toContain('You said: started on B from elsewhere');
    const box = page.getByRole('textbox', { name: /Message/ });
    await box.fill('and continued from Host A');
    await box.press('Enter');
    await expect.poll(() => page.getByTestId('turn').last().getByTestId('agent-message').textContent(), { timeout: UI_TIMEOUT }).toContain('You said: and continued from Host A');
    expect(b.fake.responsesRequests().some((r) => r.lastUserText.includes('and continued from Host A'))).toBe(true);
    await page.context().close();
  }, 420_000);

  it('the Connect toggle shows what the host reports; B revokes A and A shows "Removed by Build box"; Remove forgets it', async () => {
    const bId = b.host.hostId!;
    const page = await openApp(a.url);
    await openOtherDevicesTab(page);
    const row = rowOf(page, bId);
    const subtitle = row.getByTestId('remote-subtitle');
    const toggle = row.getByRole('switch', { name: 'Connect Build box' });
    // The switch a person clicks (the input itself is invisible under it).
    const flip = () => row.locator('label.ssh-switch').click();

    await flip();
    await expect.poll(() => subtitle.textContent(), { timeout: UI_TIMEOUT }).toBe('Disconnected');
    expect(await toggle.isChecked()).toBe(false);
    await expect.poll(() => page.getByTestId(`environment-remote:${bId}`).count(), { timeout: UI_TIMEOUT }).toBe(0);
    const list = JSON.parse((await runCliAsync(['remotes', '--json', '--data-dir', a.dataDir], a.home.env)).stdout) as { remotes: { id: string; autoConnect: boolean }[] };
    expect(list.remotes.find((r) => r.id === bId)?.autoConnect).toBe(false);
    await shootAll('disconnected');
    await flip();
    await expect.poll(() => subtitle.textContent(), { timeout: UI_TIMEOUT }).toBe('Connected');
    // The menu's Disconnect is the same toggle.
    await menu(page, bId, 'Disconnect');
    await expect.poll(() => subtitle.textContent(), { timeout: UI_TIMEOUT }).toBe('Disconnected');
    await flip();
    await expect.poll(() => subtitle.textContent(), { timeout: UI_TIMEOUT }).toBe('Connected');

    // B revokes A: the row says so at once (a live notification), the toggle cannot turn it back on.
    const aDevice = (JSON.parse((await runCliAsync(['remotes', '--json', '--data-dir', a.dataDir], a.home.env)).stdout) as { deviceId: string }).deviceId;
    const r = await runCliAsync(['devices', 'revoke', aDevice, '--data-dir', b.dataDir], b.home.env);
    expect(r.code).toBe(0);
    await expect.poll(() => subtitle.textContent(), { timeout: UI_TIMEOUT }).toBe('Removed by Build box');
    expect(await toggle.isDisabled()).toBe(true);
    await expect.poll(() => page.getByTestId(`environment-remote:${bId}`).count(), { timeout: UI_TIMEOUT }).toBe(0);
    await shootAll('removed-by-host');
    await shootAll('remove-confirm', (p) => menu(p, bId, 'Remove'));

    await menu(page, bId, 'Remove');
    const confirm = page.getByTestId('remote-remove');
    await confirm.getByRole('button', { name: 'Remove' }).click();
    await page.getByTestId('other-devices-tab').getByText('No devices yet').waitFor({ timeout: UI_TIMEOUT });
    expect(JSON.parse((await runCliAsync(['remotes', '--json', '--data-dir', a.dataDir], a.home.env)).stdout)).toMatchObject({ remotes: [] });
    await page.context().close();
  }, 300_000);

  it('a host on Windows does not offer Other devices (the host says so; the UI only reflects it)', async () => {
    const fake = await startFakeResponses();
    const home = await createCodexHome({ modelBaseUrl: fake.baseUrl, label: 'od-win' });
    let url = '';
    let host: HostHandle | undefined;
    try {
      host = await createHost({
        dataDir: await mkdtemp(join(home.root, 'data-')),
        env: home.env,
        logger: silentLogger,
        engineCwd: home.workdir,
        hostName: 'Windows box',
        platform: 'win32',
        extensions: [createUiBridgeExtension({ onReady: (bridge) => (url = bridge.url) })],
      });
      expect(host.info().features).not.toContain('remotes');
      const page = await openApp(url);
      await page.getByRole('button', { name: 'Settings' }).click();
      const nav = page.getByRole('navigation', { name: 'Settings sections' });
      await nav.getByRole('button', { name: 'About this host' }).waitFor({ timeout: UI_TIMEOUT });
      // host/info has arrived (About shows the host's name) and the section is not there.
      await nav.getByRole('button', { name: 'About this host' }).click();
      await expect.poll(() => page.getByText('Windows box').count(), { timeout: UI_TIMEOUT }).toBeGreaterThan(0);
      await nav.getByRole('button', { name: 'Connections', exact: true }).click();
      await page.getByTestId('connections').waitFor({ timeout: UI_TIMEOUT });
      expect(await page.getByRole('tab', { name: 'Control other devices' }).count()).toBe(0);
      expect(await page.getByText('Devices you can control from this computer').count()).toBe(0);
      await mkdir(SHOTS, { recursive: true });
      await page.screenshot({ path: join(SHOTS, 'windows-settings-desktop-light.png') });
      await page.context().close();
    } finally {
      await host?.dispose();
      await fake.close();
      await home.cleanup();
    }
    // Every state was saved in every variant.
    const files = await readdir(SHOTS);
    for (const s of ['empty', 'add-dialog', 'add-refused', 'connected', 'details', 'rename', 'disconnected', 'removed-by-host', 'remove-confirm']) {
      for (const v of VARIANTS) expect(files).toContain(`${s}-${v.size}-${v.scheme}.png`);
    }
  }, 180_000);
});
