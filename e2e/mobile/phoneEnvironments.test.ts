/**
 * Environments on the phone (docs/mobile.md "Threads"): a host's other environments are chips
 * above its thread list, and a tap shows that environment's threads. Real processes: the relay
 * over HTTPS, two hosts (`codex-host serve`, the real engine, the fake model). "Build Box" adds
 * "Studio Laptop" as a remote (`codex-host remotes add -`, docs/remotes.md), so the Laptop is
 * an environment of the Build Box; the phone is paired with the Build Box only. Covered: the
 * chips, switching shows the other environment's threads and opens one, a thread started from
 * the phone in that environment runs on the Laptop's engine, the choice survives a reload, and
 * switching back shows the Build Box's own threads; when the Laptop goes away its chip stays
 * (also after a reload), a link into the Laptop's environment (a notification's) switches to
 * it and opens the thread, the screen says the Laptop (not the Build Box) is out of reach, and a
 * tap goes back to the Build Box. The local environment's chip carries the host's name. Screens: test-results/screens/mobile/env-*.
 */
import { spawn } from 'node:child_process';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectInitialized, seedThread } from '../app/bridgeClient.js';
import { CLI, runCliAsync } from '../fixtures/hostProcess.js';
import { startFakeResponses, type FakeResponsesServer } from '../fixtures/fakeResponses.js';
import type { WsDriver } from '../fixtures/wsDriver.js';
import { clearShots, launchPhoneBrowser, newPhone, pairFromLink, shoot, startPhoneHost, startTlsRelay, waitHostOnline, type PhoneHost, type TlsRelay } from './phoneFixture.js';

const T = 30_000;

let fake: FakeResponsesServer;
let relay: TlsRelay;
let box: PhoneHost;
let laptop: PhoneHost;
/** Local clients of each host (their UI bridges), to seed threads and read what ran where. */
let boxBridge: WsDriver;
let laptopBridge: WsDriver;
let browser: Browser;
let page: Page;
let laptopThread: string;
let boxThread: string;

const cliEnv = (h: PhoneHost) => ({ ...h.home.env, NODE_EXTRA_CA_CERTS: relay.cert.certFile });

/** `codex-host remotes add -` on `on`, the link on stdin (never in the process list). */
function addRemote(on: PhoneHost, link: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, 'remotes', 'add', '-', '--data-dir', on.dataDir], { env: cliEnv(on), stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('exit', (code) => resolve({ code, stderr }));
    child.stdin.end(`${link}\n`);
  });
}

async function remoteState(on: PhoneHost, remoteId: string): Promise<string | undefined> {
  const r = await runCliAsync(['remotes', '--json', '--data-dir', on.dataDir], cliEnv(on));
  return (JSON.parse(r.stdout) as { remotes: { id: string; state: string }[] }).remotes.find((x) => x.id === remoteId)?.state;
}

async function threadIdsOn(bridge: WsDriver): Promise<string[]> {
  const r = (await bridge.request('thread/list', { limit: 50 })) as { data: { id: string }[] };
  return r.data.map((t) => t.id);
}

const chips = () => page.getByRole('navigation', { name: 'Environments' }).getByRole('button');
const chip = (name: RegExp) => page.getByRole('navigation', { name: 'Environments' }).getByRole('button', { name });
const row = (threadId: string) => page.locator(`[data-testid="thread-row"][data-thread-id="${threadId}"]`);

beforeAll(async () => {
  await clearShots('env-');
  fake = await startFakeResponses();
  relay = await startTlsRelay();
  [box, laptop] = await Promise.all([startPhoneHost('Build Box', relay, fake, { ui: true }), startPhoneHost('Studio Laptop', relay, fake, { ui: true })]);
  const bridgeOf = (h: PhoneHost) => connectInitialized({ origin: h.ui!.origin, token: h.ui!.token });
  [boxBridge, laptopBridge] = await Promise.all([bridgeOf(box), bridgeOf(laptop)]);
  [boxThread, laptopThread] = await Promise.all([seedThread(boxBridge, box.home.workdir, 1, () => 'Release checklist for the box'), seedThread(laptopBridge, laptop.home.workdir, 1, () => 'Notes kept on the laptop')]);

  const added = await addRemote(box, await laptop.pairingLink());
  expect([added.code, added.stderr]).toEqual([0, '']);
  const deadline = Date.now() + 60_000;
  let state: string | undefined;
  while ((state = await remoteState(box, laptop.hostId)) !== 'connected') {
    if (Date.now() > deadline) throw new Error(`the Build Box never connected to the Studio Laptop (state: ${state})`);
    await new Promise((r) => setTimeout(r, 250));
  }

  browser = await launchPhoneBrowser(relay);
  page = (await newPhone(browser, 'Pixel 7', relay.origin)).page;
  await pairFromLink(page, box, T);
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await boxBridge?.close();
  await laptopBridge?.close();
  await box?.stop();
  await laptop?.stop();
  await relay?.stop();
  await fake?.close();
});

describe('a host’s environments on the phone', { timeout: 120_000 }, () => {
  it('shows the host’s environments as chips, the host’s own first and chosen', async () => {
    await expect.poll(() => chips().allTextContents(), { timeout: T }).toEqual(['Build Box', 'Studio Laptop']);
    expect(await chips().first().getAttribute('aria-pressed')).toBe('true');
    await row(boxThread).waitFor({ timeout: T });
    expect(await row(laptopThread).count()).toBe(0);
    await shoot(page, 'env-chips');
  });

  it('a tap on the other environment shows its threads, and one opens with its messages', async () => {
    await chip(/Studio Laptop/).tap();
    await expect.poll(() => chip(/Studio Laptop/).getAttribute('aria-pressed'), { timeout: T }).toBe('true');
    await row(laptopThread).waitFor({ timeout: T });
    expect(await row(boxThread).count()).toBe(0);
    await shoot(page, 'env-remote-threads');
    await row(laptopThread).tap();
    await page.getByText('Hello from the fake model! You said: Notes kept on the laptop').waitFor({ timeout: T });
    // The header says where the thread runs.
    expect(await page.getByTestId('thread-place').textContent()).toBe(' Studio Laptop · ');
    await shoot(page, 'env-remote-thread');
  });

  it('a thread started from the phone in that environment runs on the other computer', async () => {
    await page.goto(`${relay.origin}/#/hosts/${box.hostId}`);
    await expect.poll(() => chip(/Studio Laptop/).getAttribute('aria-pressed'), { timeout: T }).toBe('true');
    await page.getByTestId('new-thread').tap();
    await page.getByLabel('Folder to work in').fill(laptop.home.workdir);
    await page.getByLabel('Message').fill('Started on the laptop from my phone');
    await page.getByRole('button', { name: 'Send' }).tap();
    await page.getByText('Hello from the fake model! You said: Started on the laptop from my phone').waitFor({ timeout: T });
    const started = (await page.getByTestId('thread-view').getAttribute('data-thread-id'))!;
    expect(await threadIdsOn(laptopBridge)).toContain(started);
    expect(await threadIdsOn(boxBridge)).not.toContain(started);
  });

  it('keeps the chosen environment across a reload, and a tap on the host’s own goes back', async () => {
    await page.goto(`${relay.origin}/#/hosts/${box.hostId}`);
    await page.reload();
    await waitHostOnline(page, box.hostId, T);
    await expect.poll(() => chip(/Studio Laptop/).getAttribute('aria-pressed'), { timeout: T }).toBe('true');
    await row(laptopThread).waitFor({ timeout: T });

    await chip(/Build Box/).tap();
    await row(boxThread).waitFor({ timeout: T });
    expect(await row(laptopThread).count()).toBe(0);
    expect(await chips().first().getAttribute('aria-pressed')).toBe('true');
  });

  it('a link into the other environment (what a notification about its thread opens) shows that environment, then the thread', async () => {
    await page.goto(`${relay.origin}/#/hosts/${box.hostId}`);
    await expect.poll(() => chip(/Build Box/).getAttribute('aria-pressed'), { timeout: T }).toBe('true');
    const link = `#/hosts/${box.hostId}/environments/${encodeURIComponent(`remote:${laptop.hostId}`)}/threads/${encodeURIComponent(laptopThread)}`;
    await page.evaluate((h) => (location.hash = h), link);
    await page.getByText('Hello from the fake model! You said: Notes kept on the laptop').waitFor({ timeout: T });
    // The thread at its plain address, in the environment the link named.
    expect(new URL(page.url()).hash).toBe(`#/hosts/${box.hostId}/threads/${encodeURIComponent(laptopThread)}`);
    await page.getByRole('button', { name: 'Threads' }).tap();
    await expect.poll(() => chip(/Studio Laptop/).getAttribute('aria-pressed'), { timeout: T }).toBe('true');
    await chip(/Build Box/).tap();
    await row(boxThread).waitFor({ timeout: T });
  });

  it('an environment whose computer went away says so, keeps its chips (after a reload too), and the host’s own still works', async () => {
    await laptopBridge.close();
    await laptop.process.stop();
    await chip(/Studio Laptop/).tap();
    const banner = page.getByTestId('connection-banner');
    await expect.poll(() => banner.textContent(), { timeout: T }).toBe('Not reachable Build Box cannot reach Studio Laptop right now. It keeps trying; the other environments work meanwhile.Retry now');
    await page.getByRole('heading', { name: 'Studio Laptop is not reachable' }).waitFor({ timeout: T });
    expect(await page.getByTestId('host-state').textContent()).toContain('Not reachable');
    await shoot(page, 'env-remote-offline');

    // The list came from a session in another environment: a reload still has it.
    await page.reload();
    await page.getByRole('heading', { name: 'Studio Laptop is not reachable' }).waitFor({ timeout: T });
    expect(await chips().allTextContents()).toEqual(['Build Box', 'Studio Laptop']);

    await chip(/Build Box/).tap();
    await waitHostOnline(page, box.hostId, T);
    await row(boxThread).waitFor({ timeout: T });
  });
});
