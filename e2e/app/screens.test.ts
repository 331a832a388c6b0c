/**
 * Every screen of the desktop UI, light and dark, at 1024, 1920 and 390 px wide, saved to
 * test-results/screens/<screen>-<width>-<scheme>.png for a person to look at. Each state is
 * reached the way a user reaches it, against the real host; the assertions check that the
 * screen shows what it is named for (so a screenshot of the wrong state fails the test).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { WsDriver } from '../fixtures/wsDriver.js';
import { clearScreenshots, launchBrowser, newPage, screenshot, startUiHost, type UiHost } from './appFixture.js';
import { connectInitialized } from './bridgeClient.js';

const WIDTHS = [1024, 1920, 390] as const;
const SCHEMES = ['light', 'dark'] as const;
const T = 30_000;

let ui: UiHost;
let browser: Browser;
const ids: { items?: string; approval?: string; long?: string } = {};

/** Runs one turn; answers every approval with `accept`. */
async function turn(d: WsDriver, threadId: string, text: string, answer = true): Promise<void> {
  const since = d.messages.length;
  const res = (await d.request('turn/start', { threadId, input: [{ type: 'text', text, text_elements: [] }] })) as { turn: { id: string } };
  if (!answer) {
    await d.waitFor((m) => m.method === 'item/commandExecution/requestApproval', T, { since });
    return;
  }
  let from = since;
  for (;;) {
    const m = await d.waitFor((x) => (x.method === 'turn/completed' && (x.params as { turn: { id: string } }).turn.id === res.turn.id) || (x.id !== undefined && typeof x.method === 'string'), 60_000, { since: from });
    from = d.messages.indexOf(m) + 1;
    if (m.method === 'turn/completed') return;
    d.respond(m.id!, { decision: 'accept' });
  }
}

async function seed(): Promise<void> {
  const d = await connectInitialized(ui, 'e2e-screens-seed');
  const start = async () => ((await d.request('thread/start', { cwd: ui.home.workdir })) as { thread: { id: string } }).thread.id;
  ids.long = await start();
  await turn(d, ids.long, 'A deliberately very long first message that names this thread, to check that long titles are cut with an ellipsis everywhere they appear');
  ids.items = await start();
  await turn(d, ids.items, 'Explain the **plan** in `README.md`, with a list:\n\n- first step\n- second step');
  await turn(d, ids.items, 'RUN ls -a');
  await turn(d, ids.items, 'RUN false');
  await turn(d, ids.items, 'PATCH src/feature/greeting.ts');
  ids.approval = await start();
  await turn(d, ids.approval, 'RUN echo needs-your-ok', false);
  await d.close(); // the approval stays pending on the engine and is replayed to the page
}

interface Ctx {
  page: Page;
  holdServer: (on: boolean) => void;
  blockConnects: (on: boolean) => void;
}

async function open(width: number, scheme: 'light' | 'dark'): Promise<Ctx> {
  const { page } = await newPage(browser, { width, height: width === 1920 ? 1080 : width === 390 ? 844 : 720, colorScheme: scheme });
  let hold = false;
  let block = false;
  const held: (() => void)[] = [];
  await page.routeWebSocket(/\/ws$/, (ws) => {
    if (block) {
      ws.close({ code: 1001, reason: 'network unreachable' });
      return;
    }
    const server = ws.connectToServer();
    ws.onMessage((m) => server.send(m));
    server.onMessage((m) => (hold ? held.push(() => ws.send(m)) : ws.send(m)));
    server.onClose((code, reason) => ws.close({ code, reason }));
    ws.onClose((code, reason) => server.close({ code, reason }));
  });
  await page.goto(ui.url);
  return {
    page,
    holdServer: (on) => {
      hold = on;
      if (!on) for (const f of held.splice(0)) f();
    },
    blockConnects: (on) => (block = on),
  };
}

const narrow = (w: number) => w <= 720;

async function openThread(page: Page, width: number, threadId: string): Promise<void> {
  if (narrow(width) && (await page.getByTestId('thread-list').count()) === 0) await page.getByRole('button', { name: 'Back to threads' }).click();
  await page.locator(`[data-testid="thread-row"][data-thread-id="${threadId}"]`).click();
}

beforeAll(async () => {
  await clearScreenshots('');
  ui = await startUiHost('app-screens', { deltaMs: 2 });
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await ui?.stop();
});

describe('screens', () => {
  it('empty: no threads yet', async () => {
    for (const width of WIDTHS) {
      for (const scheme of SCHEMES) {
        const { page } = await open(width, scheme);
        await page.getByText('No threads yet').waitFor({ timeout: T });
        if (!narrow(width)) await page.getByText('What should Codex work on?').waitFor({ timeout: T });
        await screenshot(page, `empty-${width}-${scheme}`);
        if (narrow(width)) {
          await page.getByRole('button', { name: 'New thread' }).click();
          await page.getByText('What should Codex work on?').waitFor({ timeout: T });
          await screenshot(page, `new-thread-${width}-${scheme}`);
        }
        await page.close();
      }
    }
  }, 180_000);

  it('every other screen', async () => {
    await seed();
    for (const width of WIDTHS) {
      for (const scheme of SCHEMES) {
        const name = (s: string) => `${s}-${width}-${scheme}`;
        const { page, holdServer, blockConnects } = await open(width, scheme);
        await page.getByTestId('thread-row').first().waitFor({ timeout: T });
        await screenshot(page, name('thread-list'));

        // loading: the thread's first page is on its way
        holdServer(true);
        await openThread(page, width, ids.items!);
        await page.locator('.thread-view [aria-busy="true"]').waitFor({ timeout: T });
        await screenshot(page, name('loading'));
        holdServer(false);

        // a thread with items: markdown, commands (one failed), a diff
        await page.getByTestId('file-change').waitFor({ timeout: T });
        expect(await page.getByTestId('command-group').count()).toBe(2);
        await page.getByTestId('thread-scroll').evaluate((el) => el.scrollTo({ top: 0 }));
        await screenshot(page, name('thread'));
        // the failed command, opened
        const failed = page.getByTestId('command-group').filter({ hasText: 'false' });
        await failed.getByRole('button').first().click();
        expect(await failed.getByTestId('exit-code').textContent()).toBe('exit code 1');
        await page.getByTestId('file-change').scrollIntoViewIfNeeded();
        await screenshot(page, name('diff'));

        // an approval the engine replays on opening the thread
        await openThread(page, width, ids.approval!);
        await page.getByTestId('approval-card').waitFor({ timeout: T });
        await screenshot(page, name('approval'));

        // a long title
        await openThread(page, width, ids.long!);
        await page.getByTestId('agent-message').waitFor({ timeout: T });
        await screenshot(page, name('long-title'));

        // reconnecting: the socket drops and the host cannot be reached for a while
        blockConnects(true);
        await page.evaluate(() => (window as unknown as { __codexHost: { dropConnection(): void } }).__codexHost.dropConnection());
        await page.getByTestId('reconnecting').waitFor({ timeout: T });
        await expect.poll(() => page.getByTestId('reconnecting').textContent(), { timeout: T }).toContain('cannot reach the host');
        await screenshot(page, name('reconnecting'));
        blockConnects(false);
        // Retry now, unless the session's own retry got there first (timers on a loaded machine):
        // then the banner is gone before the click, which is what the click was for.
        await page
          .getByRole('button', { name: 'Retry now' })
          .click({ timeout: 10_000 })
          .catch(async (err: unknown) => {
            if ((await page.getByTestId('reconnecting').count()) !== 0) throw err;
          });
        await expect.poll(() => page.getByTestId('reconnecting').count(), { timeout: T }).toBe(0);

        // settings
        if (narrow(width)) await page.getByRole('button', { name: 'Back to threads' }).click();
        await page.getByRole('button', { name: 'Settings' }).click();
        await page.getByRole('radiogroup', { name: 'Theme' }).waitFor({ timeout: T });
        await screenshot(page, name('settings'));
        await page.getByRole('button', { name: 'About this host' }).click();
        await page.getByText('Connected clients').waitFor({ timeout: T });
        await screenshot(page, name('settings-about'));

        // error: a thread that cannot be opened (remembered from another host's session)
        await page.evaluate(() => sessionStorage.setItem('codexHost.screen', JSON.stringify({ kind: 'thread', threadId: '00000000-0000-7000-8000-000000000000' })));
        await page.reload();
        await page.getByText('This thread could not be opened').waitFor({ timeout: T }).catch(async (err: unknown) => {
          await screenshot(page, name('debug-error'));
          console.log(await page.locator('body').textContent());
          throw err;
        });
        await screenshot(page, name('error'));
        await page.close();
      }
    }
  }, 600_000);
});
