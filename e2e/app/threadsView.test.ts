/**
 * The threads view in a real browser (Debian Chromium via playwright-core) against the real
 * headless host (`codex-host serve --ui`, real engine, fake model): what a person does and
 * sees, from opening the printed URL to approving a command, steering, interrupting, paging a
 * 200-turn thread and surviving a dropped socket mid-turn.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, newPage, screenshot, startUiHost, type UiHost } from './appFixture.js';
import { connectInitialized, seedThread } from './bridgeClient.js';

let ui: UiHost;
let browser: Browser;

const UI_TIMEOUT = 30_000;

beforeAll(async () => {
  ui = await startUiHost('app-threads', { deltaMs: 5, slowDeltaMs: 120, slowDeltaCount: 25 });
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await ui?.stop();
});

async function openApp(width = 1280): Promise<Page> {
  const { page } = await newPage(browser, { width });
  await page.goto(ui.url);
  await page.getByTestId('new-thread').or(page.getByTestId('thread-view')).first().waitFor({ timeout: UI_TIMEOUT });
  return page;
}

async function startThread(page: Page, text: string): Promise<string> {
  await page.getByRole('button', { name: 'New thread' }).click();
  await page.getByLabel('Folder to work in').fill(ui.home.workdir);
  await page.getByLabel('Message', { exact: true }).fill(text);
  await page.keyboard.press('Enter');
  const view = page.getByTestId('thread-view');
  await view.waitFor({ timeout: UI_TIMEOUT });
  return (await view.getAttribute('data-thread-id'))!;
}

async function send(page: Page, text: string): Promise<void> {
  const box = page.getByRole('textbox', { name: /Message/ });
  await box.fill(text);
  await box.press('Enter');
}

const lastTurn = (page: Page) => page.getByTestId('turn').last();

describe('the threads view in a browser', () => {
  it('opens from the printed URL, hides the token, starts a thread in a folder and streams the reply', async () => {
    const page = await openApp();
    // The token left the address bar (it lives in this tab's sessionStorage only).
    expect(new URL(page.url()).hash).toBe('');
    await expect.poll(() => page.getByText('No threads yet').count(), { timeout: UI_TIMEOUT }).toBe(1);
    const threadId = await startThread(page, 'Please say hello with **bold** text');
    const reply = lastTurn(page).getByTestId('agent-message');
    await expect.poll(() => reply.textContent(), { timeout: UI_TIMEOUT }).toBe('Hello from the fake model! You said: Please say hello with bold text');
    // markdown: the bold part is a <strong>, not asterisks
    expect(await reply.locator('strong').textContent()).toBe('bold');
    await expect.poll(() => page.locator(`[data-testid="thread-row"][data-thread-id="${threadId}"]`).textContent(), { timeout: UI_TIMEOUT }).toContain('Please say hello with bold text');
    expect(await page.locator('.thread-title').textContent()).toBe('Please say hello with bold text');
    await page.close();
  }, 120_000);

  it('a command approval answered from the threads view runs the command and shows its output and exit code', async () => {
    const page = await openApp();
    await startThread(page, 'RUN echo approved-output-42');
    const card = page.getByTestId('approval-card');
    await card.waitFor({ timeout: UI_TIMEOUT });
    expect(await card.getByTestId('approval-command').textContent()).toBe('$ echo approved-output-42');
    expect(await card.textContent()).toContain(ui.home.workdir);
    expect(await card.textContent()).toContain('The fake model wants to run: echo approved-output-42');
    // exactly the engine's availableDecisions for this request: accept, an execpolicy amendment, cancel
    const labels = await card.getByRole('button').allTextContents();
    expect(labels).toEqual(['Run', 'Always allow “echo approved-output-42”', 'Decline and stop']);
    await screenshot(page, 'flow-approval');
    await card.getByRole('button', { name: 'Run', exact: true }).click();
    await expect.poll(() => page.getByTestId('approval-card').count(), { timeout: UI_TIMEOUT }).toBe(0);
    const group = lastTurn(page).getByTestId('command-group');
    await expect.poll(() => group.textContent(), { timeout: UI_TIMEOUT }).toContain('Ran echo approved-output-42');
    await group.getByRole('button').first().click();
    expect(await group.getByTestId('command-output').textContent()).toContain('approved-output-42');
    expect(await group.getByTestId('exit-code').textContent()).toBe('exit code 0');
    await expect.poll(() => lastTurn(page).getAttribute('data-status'), { timeout: UI_TIMEOUT }).toBe('completed');
    await page.close();
  }, 120_000);

  it('an approval answered elsewhere leaves this window too (serverRequest/resolved)', async () => {
    const page = await openApp();
    const threadId = await startThread(page, 'RUN echo answered-elsewhere');
    await page.getByTestId('approval-card').waitFor({ timeout: UI_TIMEOUT });
    // A second client (another window) resumes the thread: the engine replays the pending request to it.
    const other = await connectInitialized(ui, 'e2e-other-window');
    const since = other.messages.length;
    await other.request('thread/resume', { threadId, excludeTurns: true });
    const req = await other.waitFor((m) => m.method === 'item/commandExecution/requestApproval', UI_TIMEOUT, { since });
    other.respond(req.id!, { decision: 'decline' });
    await expect.poll(() => page.getByTestId('approval-card').count(), { timeout: UI_TIMEOUT }).toBe(0);
    await other.close();
    await page.close();
  }, 120_000);

  it('a file change is shown as a diff with the added lines', async () => {
    const page = await openApp();
    await startThread(page, 'PATCH notes/added-by-test.txt');
    const change = lastTurn(page).getByTestId('file-change');
    await change.waitFor({ timeout: UI_TIMEOUT });
    await expect.poll(() => change.textContent(), { timeout: UI_TIMEOUT }).toContain('Edited 1 file');
    const file = change.getByTestId('diff-file');
    expect(await file.textContent()).toContain('notes/added-by-test.txt');
    expect(await file.locator('.diff-stat-add').textContent()).toBe('+1');
    expect(await file.locator('tr.add').allTextContents()).toEqual(['1+patched by the fake model']);
    await page.close();
  }, 120_000);

  it('steers a running turn into the same turn, then stops it', async () => {
    const page = await openApp();
    await startThread(page, 'SLOW please');
    const turn = lastTurn(page);
    await expect.poll(() => turn.getByTestId('agent-message').count(), { timeout: UI_TIMEOUT }).toBe(1);
    await expect.poll(() => page.getByRole('button', { name: 'Stop the running turn' }).count(), { timeout: UI_TIMEOUT }).toBe(1);
    const turnId = await turn.getAttribute('data-turn-id');
    // (the steered text says SLOW too: the fake model answers the newest user text, and this keeps the turn running)
    await send(page, 'SLOW and also consider this');
    await expect.poll(() => page.locator(`[data-turn-id="${turnId}"] [data-testid="user-message"]`).allTextContents(), { timeout: UI_TIMEOUT }).toEqual(['SLOW please', 'SLOW and also consider this']);
    await page.getByRole('button', { name: 'Stop the running turn' }).click();
    await expect.poll(() => page.locator(`[data-turn-id="${turnId}"]`).getAttribute('data-status'), { timeout: UI_TIMEOUT }).toBe('interrupted');
    expect(await page.locator(`[data-turn-id="${turnId}"] .turn-footer`).textContent()).toContain('Stopped');
    expect(await page.getByRole('button', { name: 'Stop the running turn' }).count()).toBe(0);
    await page.close();
  }, 120_000);

  it('a dropped bridge socket mid-turn reconnects and the reply is complete: nothing missing, nothing doubled', async () => {
    const page = await openApp();
    await startThread(page, 'SLOW stream across a reconnect');
    const msg = lastTurn(page).getByTestId('agent-message');
    await expect.poll(async () => (await msg.textContent())?.includes('slow-4') ?? false, { timeout: UI_TIMEOUT }).toBe(true);
    const hadBefore = (await msg.textContent()) ?? '';
    await page.evaluate(() => (window as unknown as { __codexHost: { dropConnection(): void } }).__codexHost.dropConnection());
    await page.getByTestId('reconnecting').waitFor({ timeout: UI_TIMEOUT });
    await expect.poll(() => page.getByTestId('reconnecting').count(), { timeout: UI_TIMEOUT }).toBe(0);
    await expect.poll(() => lastTurn(page).getAttribute('data-status'), { timeout: 60_000 }).toBe('completed');
    const expected = Array.from({ length: 25 }, (_, i) => `slow-${i + 1}`).join(' ');
    const text = ((await msg.textContent()) ?? '').trim();
    expect(text).toBe(expected);
    expect(text.startsWith(hadBefore.trim())).toBe(true);
    // and it is one message in one turn
    expect(await page.getByTestId('agent-message').count()).toBe(1);
    await page.close();
  }, 120_000);

  it('a thread with 200 turns opens at its end and pages back on scroll to its first turn', async () => {
    const seed = await connectInitialized(ui);
    const threadId = await seedThread(seed, ui.home.workdir, 200, (i) => `turn number ${i}`);
    await seed.close();
    const page = await openApp();
    await page.locator(`[data-testid="thread-row"][data-thread-id="${threadId}"]`).click();
    const turns = page.getByTestId('turn');
    await expect.poll(() => turns.last().getByTestId('user-message').textContent(), { timeout: UI_TIMEOUT }).toBe('turn number 200');
    // it opened at its end: the newest turn is on screen, and only the newest page is loaded
    await expect.poll(() => turns.last().isVisible(), { timeout: UI_TIMEOUT }).toBe(true);
    const firstLoaded = await turns.count();
    expect(firstLoaded).toBeLessThan(200);
    expect(await page.getByTestId('thread-scroll').getByText('turn number 1', { exact: true }).count()).toBe(0);
    // scroll to the top until the beginning shows
    for (let i = 0; i < 40 && (await page.getByText('Beginning of the thread').count()) === 0; i++) {
      await page.getByTestId('thread-scroll').evaluate((el) => el.scrollTo({ top: 0 }));
      await page.waitForTimeout(150);
    }
    await expect.poll(() => page.getByText('Beginning of the thread').count(), { timeout: UI_TIMEOUT }).toBe(1);
    const texts = await page.getByTestId('user-message').allTextContents();
    expect(texts).toEqual(Array.from({ length: 200 }, (_, i) => `turn number ${i + 1}`));
    await page.close();
  }, 240_000);

  it('a wrong token is refused with a clear screen, and the page does not retry', async () => {
    const { page } = await newPage(browser, { width: 1280 });
    await page.goto(`${ui.origin}/#token=${'x'.repeat(43)}`);
    await page.getByTestId('blocked').waitFor({ timeout: UI_TIMEOUT });
    expect(await page.getByTestId('blocked').textContent()).toContain('This page’s link is not valid for this host');
    await page.close();
  }, 60_000);

  it('a page opened without the token says where to find it', async () => {
    const { page } = await newPage(browser, { width: 1280 });
    await page.goto(`${ui.origin}/`);
    await page.getByTestId('blocked').waitFor({ timeout: UI_TIMEOUT });
    expect(await page.getByTestId('blocked').textContent()).toContain('codex-host serve --ui');
    await page.close();
  }, 60_000);
});
