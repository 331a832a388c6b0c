/**
 * The SSH tab of Settings in a real browser (Debian Chromium via playwright-core) against the
 * real `codex-host serve --ui --ssh-config FILE` and a REAL sshd on loopback (e2e/fixtures/sshd.ts):
 * the discovered list with a broken entry, add by hand with the port checked, an unknown host
 * key trusted from the row, Connected, Details with the remote Codex version, the folder picker
 * over real remote folders, a remote project, a thread started on the SSH host from New thread
 * with the fake model's answer, Restart connection, the errors with their fix (codex missing on
 * the remote PATH, a password asked and cancelled, RemoteCommand, a host key that changed while
 * connected), disable, edit, remove, and "Loading SSH hosts…" (a window whose socket holds the
 * list's answer back). Every state
 * is saved at phone and desktop sizes, light and dark, to test-results/screens/ssh/. Needs root
 * (it creates the login users).
 */
import { chmod, chown, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findCodexBinary } from '../../host/engine/findCodexBinary.js';
import { createCodexHome, TEST_OUTPUT_DIR, type CodexHomeFixture } from '../fixtures/codexHome.js';
import { ENGINE_VERSION } from '../fixtures/engineVersion.js';
import type { HostProcess } from '../fixtures/hostProcess.js';
import { useStack } from '../fixtures/stack.js';
import { createTestUser, giveTo, hostKeyFingerprint, isRoot, removeTestUser, sshConfigText, startSshd, type SshdFixture, type TestUser } from '../fixtures/sshd.js';
import { launchBrowser, newPage, printedUiAddress, SCREENSHOT_DIR } from './appFixture.js';

if (!isRoot) console.warn('[sshTab.test] skipped: needs root to create login users for the test sshd (run npm test as root, as CI does)');

const suffix = process.pid.toString(36).slice(-4);
const USER = `cxh-u${suffix}`;
const NOCODEX_USER = `cxh-n${suffix}`;
const PW_USER = `cxh-p${suffix}`;
const LONG_ALIAS = 'build-server-in-the-basement-rack-seven-with-the-very-long-name';
const UI_TIMEOUT = 60_000;
const SHOTS = join(SCREENSHOT_DIR, 'ssh');

/** Opens Settings > SSH. The one place that knows where the tab is (Settings > Connections > SSH once the tabs join). */
async function openSshTab(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByRole('navigation', { name: 'Settings sections' }).getByRole('button', { name: 'Connections', exact: true }).click();
  await page.getByRole('tablist', { name: 'Connections' }).getByRole('tab', { name: 'SSH' }).click();
  await page.getByTestId('ssh-tab').waitFor({ timeout: UI_TIMEOUT });
}

const VARIANTS = [
  { size: 'desktop', width: 1280, height: 800, scheme: 'light' },
  { size: 'desktop', width: 1280, height: 800, scheme: 'dark' },
  { size: 'phone', width: 390, height: 844, scheme: 'light' },
  { size: 'phone', width: 390, height: 844, scheme: 'dark' },
] as const;

/** Saves the current state at phone and desktop sizes, light and dark (with `focus` scrolled into view); ends at desktop light. */
async function shoot(page: Page, name: string, focus?: Locator): Promise<void> {
  await mkdir(SHOTS, { recursive: true });
  for (const v of VARIANTS) {
    await page.setViewportSize({ width: v.width, height: v.height });
    await page.emulateMedia({ colorScheme: v.scheme });
    await page.waitForTimeout(150);
    await focus?.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, `${name}-${v.size}-${v.scheme}.png`) });
  }
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.emulateMedia({ colorScheme: 'light' });
  await page.waitForTimeout(100);
}

describe.skipIf(!isRoot)('the SSH tab in a browser, against a real sshd', { timeout: 180_000 }, () => {
  // The fake model, the host's CODEX_HOME and its teardown; the host starts below (it needs the sshd).
  const stack = useStack({ label: 'ssh-tab', host: false, fake: { deltaMs: 5 } });
  let sshd: SshdFixture;
  let host: HostProcess;
  let browser: Browser;
  let page: Page;
  let dir: string;
  let remoteHome: CodexHomeFixture;
  let pwHome: CodexHomeFixture;
  let user: TestUser;
  let fingerprint: string;
  let uiUrl: string;

  const row = (name: string) => page.getByTestId(`ssh-host-${name}`);
  const status = (name: string) => row(name).getByTestId('ssh-status');
  const statusOf = (name: string) => status(name).textContent();
  const menu = async (name: string, item: string) => {
    await row(name).getByRole('button', { name: `More for ${name}` }).click();
    await page.getByRole('menuitem', { name: item }).click();
  };

  beforeAll(async () => {
    await mkdir(TEST_OUTPUT_DIR, { recursive: true });
    dir = await mkdtemp(join(TEST_OUTPUT_DIR, 'ssh-tab-'));
    await chmod(dir, 0o755);
    sshd = await startSshd({ label: 'sshd-tab', passwordAuthentication: true });
    const codex = findCodexBinary({ env: process.env }).path;
    remoteHome = await createCodexHome({ modelBaseUrl: stack.fake.baseUrl, label: 'ssh-tab-remote' });
    user = await createTestUser({ name: USER, shell: 'bash', codexBin: codex, codexHome: remoteHome.codexHome, noise: 'Welcome to the box' });
    await giveTo(remoteHome.root, user);
    await createTestUser({ name: NOCODEX_USER, shell: 'bash' });
    pwHome = await createCodexHome({ modelBaseUrl: stack.fake.baseUrl, label: 'ssh-tab-pw' });
    const pwUser = await createTestUser({ name: PW_USER, shell: 'sh', codexBin: codex, codexHome: pwHome.codexHome, password: 'not typed in this test' });
    await giveTo(pwHome.root, pwUser);
    // Real remote folders for the picker: two projects, a hidden one, a file, one it cannot open.
    for (const d of ['projects/alpha', 'projects/Beta/src', 'projects/.cache']) await mkdir(join(user.home, d), { recursive: true });
    await writeFile(join(user.home, 'projects', 'notes.txt'), 'not a folder\n');
    await giveTo(join(user.home, 'projects'), user);
    await mkdir(join(user.home, 'projects', 'locked'));
    await chown(join(user.home, 'projects', 'locked'), 0, 0);
    await chmod(join(user.home, 'projects', 'locked'), 0o700);

    // The test's ssh config: good aliases, one without codex, one with a password only,
    // a RemoteCommand, a long alias, a broken entry (the others are still listed).
    const knownHosts = join(dir, 'known_hosts');
    await writeFile(knownHosts, '');
    const configFile = join(dir, 'ssh_config');
    await writeFile(
      configFile,
      [
        sshConfigText(sshd, knownHosts, [
          { alias: 'box', user: USER },
          { alias: LONG_ALIAS, user: USER },
          { alias: 'nocodex', user: NOCODEX_USER },
          { alias: 'scripted', user: USER, extra: ['RemoteCommand tmux attach'] },
        ]),
        ['Host pwbox', '  HostName 127.0.0.1', `  Port ${sshd.port}`, `  User ${PW_USER}`, '  PubkeyAuthentication no', `  UserKnownHostsFile ${knownHosts}`, '  GlobalKnownHostsFile /dev/null', ''].join('\n'),
        'Host broken\n  HostName "unterminated\n',
      ].join('\n'),
    );

    // The host's own HOME: an empty ~/.ssh (no config, known_hosts or keys), no agent.
    const home = join(dir, 'home');
    await mkdir(join(home, '.ssh'), { recursive: true, mode: 0o700 });
    host = await stack.startHost({ args: ['--ui', '--ssh-config', configFile], env: { HOME: home, SSH_AUTH_SOCK: undefined } });
    fingerprint = await hostKeyFingerprint(sshd);
    await rm(SHOTS, { recursive: true, force: true });
    browser = await launchBrowser();
    uiUrl = printedUiAddress(host.stdout()).url;
    ({ page } = await newPage(browser, { width: 1280, height: 800 }));
    await page.goto(uiUrl);
    await page.getByTestId('new-thread').waitFor({ timeout: UI_TIMEOUT });
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
    for (const u of [USER, NOCODEX_USER, PW_USER]) await removeTestUser(u);
    await sshd?.stop();
    for (const h of [remoteHome, pwHome]) await h?.cleanup();
    if (dir) await rm(dir, { recursive: true, force: true });
  }, 120_000);

  it('starts empty, lists the aliases of the ssh config with the broken entry and its error, and checked ones become rows (nothing contacted)', async () => {
    await openSshTab(page);
    await page.getByText('No SSH hosts yet').waitFor({ timeout: UI_TIMEOUT });
    await shoot(page, '01-empty');

    await page.getByRole('button', { name: 'Add', exact: true }).click();
    const dialog = page.getByTestId('ssh-add-dialog');
    const discovered = dialog.getByRole('list', { name: 'Hosts in your SSH config' });
    await expect.poll(() => discovered.getByRole('checkbox').count(), { timeout: UI_TIMEOUT }).toBe(5);
    expect(await discovered.locator('.ssh-alias').allTextContents()).toEqual(['box', LONG_ALIAS, 'nocodex', 'scripted', 'pwbox']);
    const problems = dialog.getByRole('list', { name: 'Entries that could not be read' });
    expect(await problems.locator('li').allTextContents()).toEqual(['broken · ssh_config' + 'line 46: Unexpected line break at unterminated']);
    await shoot(page, '02-add-discovered');

    for (const alias of ['box', LONG_ALIAS, 'nocodex', 'scripted', 'pwbox']) {
      await discovered.getByRole('checkbox').nth(['box', LONG_ALIAS, 'nocodex', 'scripted', 'pwbox'].indexOf(alias)).check();
    }
    await expect.poll(() => discovered.getByRole('checkbox', { checked: true }).count(), { timeout: UI_TIMEOUT }).toBe(5);
    await dialog.getByRole('button', { name: 'Refresh' }).click();
    await expect.poll(() => discovered.getByRole('checkbox', { checked: true }).count(), { timeout: UI_TIMEOUT }).toBe(5);
    await dialog.getByRole('button', { name: 'Close' }).click();
    for (const alias of ['box', LONG_ALIAS, 'nocodex', 'scripted', 'pwbox']) expect(await statusOf(alias)).toBe('Disconnected');
    await shoot(page, '03-rows-disconnected');
  });

  it('adds a host by hand: a bad port is refused in the form, a good one becomes a row', async () => {
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    const dialog = page.getByTestId('ssh-add-dialog');
    await dialog.getByRole('tab', { name: 'Add manually' }).click();
    await dialog.getByLabel('Display name').fill('manual-box');
    await dialog.getByLabel('User and host').fill(`${USER}@127.0.0.1`);
    await dialog.getByLabel('Port').fill('70000');
    await dialog.getByLabel('Identity file').fill(sshd.clientKey);
    await dialog.getByRole('button', { name: 'Add host' }).click();
    await dialog.getByText('A number from 1 to 65535').waitFor();
    await shoot(page, '04-add-manually-bad-port');
    await dialog.getByLabel('Port').fill(String(sshd.port));
    await dialog.getByRole('button', { name: 'Add host' }).click();
    await dialog.waitFor({ state: 'detached', timeout: UI_TIMEOUT });
    expect(await row('manual-box').locator('.ssh-row-sub').textContent()).toBe(`${USER}@127.0.0.1:${sshd.port}`);
    expect(await statusOf('manual-box')).toBe('Disconnected');
  });

  it('Connect stops at the unknown host key with its fingerprint; Trust connects it; the sidebar shows the environment live', async () => {
    await row('box').getByRole('switch', { name: 'Connect box' }).check();
    const error = row('box').getByTestId('ssh-host-error');
    await error.waitFor({ timeout: UI_TIMEOUT });
    expect(await error.getAttribute('data-code')).toBe('host-key-unknown');
    expect(await error.locator('.ssh-error-title').textContent()).toBe(`Host key unknown — fingerprint ${fingerprint} (ssh-ed25519)`);
    expect(await statusOf('box')).toBe('Error');
    // The toggle shows what the host reports: enabled, waiting for the decision.
    expect(await row('box').getByRole('switch').isChecked()).toBe(true);
    await shoot(page, '05-host-key-unknown');

    await error.getByRole('button', { name: 'Trust' }).click();
    await expect.poll(() => statusOf('box'), { timeout: UI_TIMEOUT }).toBe('Connected');
    expect(await row('box').getByTestId('ssh-host-error').count()).toBe(0);
    expect(await row('box').locator('.ssh-row-sub').textContent()).toBe(`${USER}@127.0.0.1:${sshd.port} · codex ${ENGINE_VERSION}`);
    await expect.poll(() => page.getByTestId('environment-ssh:box').textContent(), { timeout: UI_TIMEOUT }).toContain('Connected');
    await shoot(page, '06-connected');
  });

  it('Details shows alias, host, port, user, identity and the remote Codex version', async () => {
    await menu('box', 'Details');
    const d = page.getByTestId('ssh-details');
    const field = (k: string) => d.locator(`dd[data-field="${k}"]`).textContent();
    expect(await field('Alias')).toBe('box');
    expect(await field('Host')).toBe('127.0.0.1');
    expect(await field('Port')).toBe(String(sshd.port));
    expect(await field('User')).toBe(USER);
    expect(await field('Identity')).toBe(sshd.clientKey);
    expect(await field('Remote Codex')).toBe(`codex ${ENGINE_VERSION}`);
    await shoot(page, '07-details');
    await d.getByRole('button', { name: 'Close' }).click();
  });

  it('the folder picker browses the real remote folders (Up, empty, cannot open) and adds a remote project', async () => {
    await menu('box', 'Add remote project');
    const picker = page.getByTestId('ssh-folder-picker');
    const path = picker.getByTestId('ssh-picker-path');
    await expect.poll(() => path.textContent(), { timeout: UI_TIMEOUT }).toBe(user.home);
    await picker.getByRole('button', { name: 'projects' }).click();
    await expect.poll(() => path.textContent(), { timeout: UI_TIMEOUT }).toBe(`${user.home}/projects`);
    const entries = picker.getByRole('list', { name: `Folders in ${user.home}/projects` });
    await entries.waitFor({ timeout: UI_TIMEOUT });
    // Sorted as people read names; the file is not a folder; the hidden one waits behind its checkbox.
    expect(await entries.getByRole('button').allTextContents()).toEqual(['alpha', 'Beta', 'locked']);
    await picker.getByLabel(/Show hidden folders/).check();
    expect(await entries.getByRole('button').allTextContents()).toEqual(['alpha', 'Beta', 'locked', '.cache']);
    await shoot(page, '08-picker-folders');

    await entries.getByRole('button', { name: 'locked' }).click();
    await picker.getByText("Can't open this folder").waitFor({ timeout: UI_TIMEOUT });
    expect(await picker.locator('.ssh-picker-state-body').textContent()).toContain('permission denied');
    await shoot(page, '09-picker-cannot-open');
    await picker.getByRole('button', { name: `Back to ${user.home}/projects` }).click();
    await picker.getByRole('button', { name: 'alpha' }).click();
    await picker.getByText('No folders here').waitFor({ timeout: UI_TIMEOUT });
    await shoot(page, '10-picker-empty');
    await picker.getByRole('button', { name: 'Up' }).click();
    await expect.poll(() => path.textContent(), { timeout: UI_TIMEOUT }).toBe(`${user.home}/projects`);
    await picker.getByRole('button', { name: 'alpha' }).click();
    await picker.getByText('No folders here').waitFor({ timeout: UI_TIMEOUT });
    await picker.getByRole('button', { name: 'Add this folder' }).click();
    await picker.waitFor({ state: 'detached', timeout: UI_TIMEOUT });
    await expect.poll(() => row('box').getByRole('list', { name: 'Projects on box' }).textContent(), { timeout: UI_TIMEOUT }).toBe(`${user.home}/projects/alpha`);
  });

  it('a thread started on the SSH host from New thread runs there and shows the fake model’s answer', async () => {
    await page.getByTestId('environment-ssh:box').click();
    await page.getByRole('button', { name: 'New thread' }).click();
    const hero = page.getByTestId('new-thread');
    await expect.poll(() => hero.locator('.hero-body').textContent(), { timeout: UI_TIMEOUT }).toContain('the SSH host box');
    // The remote project is the folder offered.
    await expect.poll(() => page.getByLabel('Folder to work in').inputValue(), { timeout: UI_TIMEOUT }).toBe(`${user.home}/projects/alpha`);
    await shoot(page, '11-new-thread-on-ssh');
    await page.getByLabel('Message', { exact: true }).fill('hello from the SSH tab test');
    await page.keyboard.press('Enter');
    const view = page.getByTestId('thread-view');
    await view.waitFor({ timeout: UI_TIMEOUT });
    const reply = page.getByTestId('turn').last().getByTestId('agent-message');
    await expect.poll(() => reply.textContent(), { timeout: UI_TIMEOUT }).toBe('Hello from the fake model! You said: hello from the SSH tab test');
    // It ran on the remote: the engine's thread has the remote folder as its cwd, listed in box's threads only.
    expect(await page.locator('.thread-row').count()).toBe(1);
    await shoot(page, '12-thread-on-ssh');
    await page.getByTestId('environment-local').click();
    await expect.poll(() => page.locator('.thread-row').count(), { timeout: UI_TIMEOUT }).toBe(0);
    await openSshTab(page);
  });

  it('Restart connection goes through Connecting… and back to Connected', async () => {
    const seen = new Set<string>();
    const watch = setInterval(() => void statusOf('box').then((t) => t && seen.add(t), () => undefined), 50);
    await menu('box', 'Restart connection');
    await expect.poll(() => seen.has('Connected') && [...seen].some((s) => s.startsWith('Connecting…')), { timeout: UI_TIMEOUT }).toBe(true);
    await expect.poll(() => statusOf('box'), { timeout: UI_TIMEOUT }).toBe('Connected');
    clearInterval(watch);
  });

  it('shows each failure with its fix: codex missing on the remote PATH, RemoteCommand, a password asked (never hung) and cancelled', async () => {
    // The key of 127.0.0.1:PORT is trusted now (box), so these get past the host key.
    await row('nocodex').getByRole('switch').check();
    const missing = row('nocodex').getByTestId('ssh-host-error');
    await missing.waitFor({ timeout: UI_TIMEOUT });
    expect(await missing.getAttribute('data-code')).toBe('codex-missing');
    expect(await missing.locator('.ssh-error-title').textContent()).toBe("Codex is not installed on this host (not on the login shell's PATH)");
    expect(await missing.textContent()).toContain('npm install -g @openai/codex');

    await row('scripted').getByRole('switch').check();
    const rc = row('scripted').getByTestId('ssh-host-error');
    await rc.waitFor({ timeout: UI_TIMEOUT });
    expect(await rc.getAttribute('data-code')).toBe('remote-command');
    expect(await rc.locator('.ssh-error-title').textContent()).toBe('RemoteCommand in your config is not supported for this host');
    await shoot(page, '13-errors-codex-missing-remote-command', row('scripted'));

    await row('pwbox').getByRole('switch').check();
    const prompt = page.getByTestId('ssh-prompt');
    await prompt.waitFor({ timeout: UI_TIMEOUT });
    expect(await prompt.locator('h3').textContent()).toBe(`Password for ${PW_USER}@pwbox`);
    expect(await statusOf('pwbox')).toBe('Connecting… signing in');
    await shoot(page, '14-password-prompt');
    await prompt.getByRole('button', { name: 'Cancel' }).click();
    await prompt.waitFor({ state: 'detached', timeout: UI_TIMEOUT });
    const pw = row('pwbox').getByTestId('ssh-host-error');
    await pw.waitFor({ timeout: UI_TIMEOUT });
    expect(await pw.getAttribute('data-code')).toBe('password-required');
    expect(await pw.locator('.ssh-error-title').textContent()).toBe('Password required');
    expect(await statusOf('pwbox')).toBe('Error');
    await shoot(page, '15-password-required', row('pwbox'));
  });

  it('a long alias connects and stays readable', async () => {
    await row(LONG_ALIAS).getByRole('switch').check();
    await expect.poll(() => statusOf(LONG_ALIAS), { timeout: UI_TIMEOUT }).toBe('Connected');
    await shoot(page, '16-long-alias', row(LONG_ALIAS));
    await row(LONG_ALIAS).getByRole('switch').uncheck();
    await expect.poll(() => statusOf(LONG_ALIAS), { timeout: UI_TIMEOUT }).toBe('Disconnected');
  });

  it('a host whose key changed while connected (reinstalled) is refused with the warning and no Trust', async () => {
    expect(await statusOf('box')).toBe('Connected');
    await sshd.kill();
    await sshd.rotateHostKey();
    await sshd.start();
    const error = row('box').getByTestId('ssh-host-error');
    // First the lost connection (retried by itself), then the refusal at the next attempt.
    await expect.poll(() => error.getAttribute('data-code').catch(() => null), { timeout: UI_TIMEOUT }).toBe('host-key-changed');
    expect(await error.locator('.ssh-error-title').textContent()).toBe('Host key changed — refusing to connect');
    expect(await error.getByRole('button', { name: 'Trust' }).count()).toBe(0);
    expect(await statusOf('box')).toBe('Error');
    // Still enabled: the toggle says so, the host waits for the user.
    expect(await row('box').getByRole('switch').isChecked()).toBe(true);
    await shoot(page, '19-host-key-changed', row('box'));
  });

  it('disable disconnects and takes the environment away; remove takes the rows away', async () => {
    await row('box').getByRole('switch').uncheck();
    await expect.poll(() => statusOf('box'), { timeout: UI_TIMEOUT }).toBe('Disconnected');
    expect(await row('box').getByRole('switch').isChecked()).toBe(false);
    await expect.poll(() => page.getByTestId('environment-ssh:box').count(), { timeout: UI_TIMEOUT }).toBe(0);

    await menu('manual-box', 'Edit');
    const edit = page.getByTestId('ssh-edit');
    expect(await edit.getByLabel('Port').inputValue()).toBe(String(sshd.port));
    await shoot(page, '17-edit');
    await edit.getByRole('button', { name: 'Cancel' }).click();

    await menu('manual-box', 'Remove');
    await page.getByTestId('ssh-remove').getByRole('button', { name: 'Remove' }).click();
    await expect.poll(() => row('manual-box').count(), { timeout: UI_TIMEOUT }).toBe(0);
    await menu('nocodex', 'Remove');
    await page.getByTestId('ssh-remove').getByRole('button', { name: 'Remove' }).click();
    await expect.poll(() => row('nocodex').count(), { timeout: UI_TIMEOUT }).toBe(0);
    await shoot(page, '18-after-remove');
    // A config alias stays discovered, unchecked.
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    const discovered = page.getByTestId('ssh-add-dialog').getByRole('list', { name: 'Hosts in your SSH config' });
    await discovered.waitFor();
    expect(await discovered.getByRole('checkbox', { name: /nocodex/ }).isChecked()).toBe(false);
    await page.getByTestId('ssh-add-dialog').getByRole('button', { name: 'Close' }).click();
  });

  it('says "Loading SSH hosts…" while the host has not answered the list', async () => {
    // A second window whose bridge socket holds back the answer to host/ssh/list.
    const { context, page: slow } = await newPage(browser, { width: 1280, height: 800 });
    let release: (() => void) | undefined;
    const released = new Promise<void>((r) => (release = r));
    await slow.routeWebSocket(/\/ws$/, (ws) => {
      const server = ws.connectToServer();
      const held = new Set<unknown>();
      ws.onMessage((m) => {
        const msg = typeof m === 'string' ? (JSON.parse(m) as { id?: unknown; method?: string }) : {};
        if (msg.method === 'host/ssh/list') held.add(msg.id);
        server.send(m);
      });
      server.onMessage((m) => {
        const msg = typeof m === 'string' ? (JSON.parse(m) as { id?: unknown }) : {};
        if (msg.id !== undefined && held.has(msg.id)) void released.then(() => ws.send(m));
        else ws.send(m);
      });
    });
    await slow.goto(uiUrl);
    await slow.getByTestId('new-thread').waitFor({ timeout: UI_TIMEOUT });
    await openSshTab(slow);
    await slow.getByText('Loading SSH hosts…').waitFor({ timeout: UI_TIMEOUT });
    await shoot(slow, '00-loading');
    release!();
    await slow.getByTestId('ssh-host-box').waitFor({ timeout: UI_TIMEOUT });
    await context.close();
  });
});
