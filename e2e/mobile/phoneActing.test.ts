/**
 * Acting and approvals from the phone (docs/mobile.md "Acting", "Approvals"), against REAL
 * processes: the relay (`codex-relay` over HTTPS/WSS with a certificate this test makes), a host
 * (`codex-host serve --relay wss://…`, the real engine, the fake model), Debian's Chromium as a
 * Pixel 7 and an iPhone 13. A second client of the same host — another paired device, the
 * shared controller library in this process — plays "someone else answering": it sees the same
 * approvals the engine fans out, answers or interrupts while the phone watches, and starts a
 * turn while the phone is away.
 *
 * Covered here: decline an approval (the card offers exactly the engine's `availableDecisions`;
 * the command does not run), change the model and reasoning effort for the next turn (the fake
 * model's request carries them), steer and stop a running turn, an approval that arrived while
 * the phone was away is there when it comes back and leaves when answered elsewhere, and a card
 * leaves when its turn ends. Screens go to test-results/screens/mobile/acting-*.
 */
import { existsSync, readFileSync } from 'node:fs';
import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { pair, type ControllerSession } from '../../shared/controller/index.js';
import type { WebSocketFactory } from '../../shared/controller/webSocketLike.js';
import type { RpcConnection } from '../../shared/rpc/connection.js';
import { testPhone } from '../fixtures/controller.js';
import { FAKE_PATCH_CONTENT, startFakeResponses, type FakeResponsesServer } from '../fixtures/fakeResponses.js';
import { clearShots, launchPhoneBrowser, newPhone, pairFromLink, routeRelay, shoot, startPhoneHost, startTlsRelay, type PhoneHost, type TlsRelay } from './phoneFixture.js';

const T = 30_000;
/**
 * The approvals the other device holds unanswered (any other server request it refuses; the
 * hub keeps a refused approval open for the phone anyway, docs/engine.md §6).
 */
const APPROVALS = ['item/commandExecution/requestApproval', 'item/fileChange/requestApproval'];

let fake: FakeResponsesServer;
let relay: TlsRelay;
let host: PhoneHost;
let browser: Browser;
let pixel: Page;
let iphone: Page;
let threadId: string;
let blockPixel = false;
/** What the Pixel chose for its turns (model id, reasoning effort). */
let chosen: { model: string; effort: string } | undefined;

/** The other device: its session, and the approval requests the engine sent it (unanswered until the test says). */
let other: { session: ControllerSession; rpc: RpcConnection; requests: { id: number | string; params: ApprovalParams; answer(result: unknown): void }[]; resolved: (number | string)[] };

interface ApprovalParams {
  readonly threadId: string;
  readonly turnId: string;
  readonly command?: string;
  readonly availableDecisions?: readonly (string | Record<string, { execpolicy_amendment?: string[] }>)[];
}

/** The label the card must show for each decision the engine offers (renderer/common/views/ApprovalCard.tsx). */
function labelOf(d: string | Record<string, { execpolicy_amendment?: string[] }>): string {
  if (d === 'accept') return 'Run';
  if (d === 'acceptForSession') return 'Allow for this session';
  if (d === 'decline') return 'Decline';
  if (d === 'cancel') return 'Decline and stop';
  if (typeof d === 'object' && 'acceptWithExecpolicyAmendment' in d) return `Always allow “${d.acceptWithExecpolicyAmendment!.execpolicy_amendment!.join(' ')}”`;
  throw new Error(`the test does not know the decision ${JSON.stringify(d)}`);
}

function pairPhone(page: Page): Promise<void> {
  return pairFromLink(page, host);
}

async function openThread(page: Page): Promise<void> {
  await page.goto(`${relay.origin}/#/hosts/${host.hostId}/threads/${threadId}`);
  await page.getByTestId('thread-view').waitFor({ timeout: T });
  await page.getByLabel('Message').waitFor({ timeout: T });
}

async function send(page: Page, text: string): Promise<void> {
  await page.getByRole('textbox', { name: /Message/ }).fill(text);
  await page.getByRole('button', { name: /^(Send|Steer)$/ }).tap();
}

/** Waits for the other device to get an approval for `command` (the engine fans it out to every subscriber). */
async function otherGets(command: string): Promise<(typeof other.requests)[number]> {
  await expect.poll(() => other.requests.some((r) => r.params.command?.includes(command)), { timeout: T }).toBe(true);
  return other.requests.find((r) => r.params.command?.includes(command))!;
}

const lastTurn = (page: Page) => page.getByTestId('turn').last();

beforeAll(async () => {
  await clearShots('acting-');
  fake = await startFakeResponses({ slowDeltaMs: 150, slowDeltaCount: 60 });
  relay = await startTlsRelay();
  // The engine lets a patch write anywhere under /tmp without asking, and a clean clone's test
  // folders can live there: only the project folder stays writable, so "outside the project" asks.
  host = await startPhoneHost('Build Box', relay, fake, {
    prepareHome: (home) => appendFile(home.configPath, '\n[sandbox_workspace_write]\nexclude_slash_tmp = true\nexclude_tmpdir_env_var = true\n'),
  });
  browser = await launchPhoneBrowser(relay);
  pixel = (await newPhone(browser, 'Pixel 7', relay.origin)).page;
  await routeRelay(pixel, () => blockPixel);
  iphone = (await newPhone(browser, 'iPhone 13', relay.origin)).page;

  // The other device pairs like any controller (trusting the test certificate, as the phones do).
  const ca = readFileSync(relay.cert.certFile);
  const device = testPhone('Other Phone');
  const deps = { ...device.deps, webSocket: ((url: string) => new WebSocket(url, { ca })) as unknown as WebSocketFactory };
  const { session } = await pair(await host.pairingLink(), deps, { reconnect: false });
  const rpc = session.rpc;
  other = { session, rpc, requests: [], resolved: [] };
  for (const method of APPROVALS) rpc.onRequest(method, (params, ctx) => new Promise((resolve) => other.requests.push({ id: ctx.id, params: params as ApprovalParams, answer: resolve })));
  rpc.onNotification('serverRequest/resolved', (p) => other.resolved.push((p as { requestId: number | string }).requestId));
  await rpc.request('initialize', { clientInfo: { name: 'e2e_other_phone', title: 'Other Phone', version: '0' }, capabilities: null });
  rpc.notify('initialized');
}, 180_000);

afterAll(async () => {
  other?.session.close();
  await browser?.close();
  await host?.stop();
  await relay?.stop();
  await fake?.close();
});

describe('acting and approvals from the phone', { timeout: 150_000 }, () => {
  it('pairs a Pixel 7, starts a thread, and the other device follows it', async () => {
    await pairPhone(pixel);
    await pixel.getByTestId('new-thread').tap();
    await pixel.getByLabel('Folder to work in').fill(host.home.workdir);
    await pixel.getByLabel('Message').fill('Hello, a thread to act in');
    await pixel.getByRole('button', { name: 'Send' }).tap();
    await pixel.getByText('Hello from the fake model! You said: Hello, a thread to act in').waitFor({ timeout: T });
    threadId = (await pixel.getByTestId('thread-view').getAttribute('data-thread-id'))!;
    // Subscribed, the other device gets this thread's approvals too.
    await other.rpc.request('thread/resume', { threadId, excludeTurns: true });
  });

  it('declines a command: the card offers exactly the engine’s decisions, and the command does not run', async () => {
    const marker = join(host.home.workdir, 'declined-marker.txt');
    await send(pixel, 'RUN touch declined-marker.txt');
    const card = pixel.getByTestId('approval-card');
    await card.waitFor({ timeout: T });
    const req = await otherGets('touch declined-marker.txt');
    const offered = req.params.availableDecisions ?? ['accept', 'decline'];
    expect(await card.getByRole('button').allTextContents()).toEqual(offered.map(labelOf));
    const decline = offered.includes('decline') ? 'Decline' : 'Decline and stop';
    // The command the card is about has not run: its line says so (it said "Running").
    await expect.poll(() => lastTurn(pixel).getByTestId('command-group').textContent(), { timeout: T }).toBe('Wants to run touch declined-marker.txtapproval');
    await shoot(pixel, 'acting-decline-card');

    await card.getByRole('button', { name: decline, exact: true }).tap();
    await card.waitFor({ state: 'detached', timeout: T });
    // The engine took the phone's answer: it told the other device the request is resolved.
    await expect.poll(() => other.resolved, { timeout: T }).toContain(req.id);
    const group = lastTurn(pixel).getByTestId('command-group');
    await expect.poll(() => group.textContent(), { timeout: T }).toBe('Declined touch declined-marker.txt');
    await group.getByRole('button').first().tap();
    expect(await group.getByTestId('command-output').textContent()).toContain('Not run: declined.');
    await expect.poll(() => lastTurn(pixel).getAttribute('data-status'), { timeout: T }).not.toBe('inProgress');
    expect(existsSync(marker)).toBe(false);
    await shoot(pixel, 'acting-declined');
  });

  it('a file change outside the project asks with its diff on the card; Decline leaves the file unwritten and the turn goes on', async () => {
    // Outside the writable roots of the thread's workspace-write sandbox, so the engine asks.
    const outside = join(host.home.root, 'outside-note.txt');
    await send(pixel, `PATCH ${outside}`);
    const card = pixel.getByTestId('approval-card');
    await card.waitFor({ timeout: T });
    await expect.poll(() => card.textContent(), { timeout: T }).toContain(FAKE_PATCH_CONTENT);
    expect(await card.getByRole('button').allTextContents()).toEqual(['Apply', 'Allow edits for this session', 'Decline', 'Decline and stop']);
    await shoot(pixel, 'acting-file-approval');
    await card.getByRole('button', { name: 'Decline', exact: true }).tap();
    await card.waitFor({ state: 'detached', timeout: T });
    // Not "stop": the turn finishes on its own, the change marked declined, the file never written.
    await expect.poll(() => lastTurn(pixel).getAttribute('data-status'), { timeout: T }).toBe('completed');
    await lastTurn(pixel).getByText('Declined edit of 1 file').waitFor({ timeout: T });
    expect(existsSync(outside)).toBe(false);
  });

  it('switches the model and the reasoning effort for the next turn: the model gets them, and the composer keeps them', async () => {
    const modelSelect = pixel.getByRole('combobox', { name: 'Model' });
    await expect.poll(() => modelSelect.locator('option').count(), { timeout: T }).toBeGreaterThan(1);
    const options = await modelSelect.locator('option').evaluateAll((els) => els.map((e) => ({ value: (e as HTMLOptionElement).value, label: e.textContent ?? '' })));
    const current = await modelSelect.inputValue();
    const next = options.find((o) => o.value !== current)!;
    await modelSelect.selectOption(next.value);
    const effortSelect = pixel.getByRole('combobox', { name: 'Reasoning effort' });
    const efforts = await effortSelect.locator('option').evaluateAll((els) => els.map((e) => (e as HTMLOptionElement).value));
    const defaultEffort = await effortSelect.inputValue();
    const effort = efforts.find((e) => e !== defaultEffort) ?? defaultEffort;
    await effortSelect.selectOption(effort);
    await shoot(pixel, 'acting-model-choice');

    await send(pixel, 'Hello with another model');
    await pixel.getByText('Hello from the fake model! You said: Hello with another model').waitFor({ timeout: T });
    const request = fake.requests.find((r) => r.lastUserText === 'Hello with another model' && r.toolOutputs.length === 0);
    expect(request?.body).toMatchObject({ model: next.value, reasoning: { effort } });
    chosen = { model: next.value, effort };
    // What the phone shows is what it sent, and it stays after a reload.
    await pixel.reload();
    await pixel.getByLabel('Message').waitFor({ timeout: T });
    await expect.poll(() => pixel.getByRole('combobox', { name: 'Model' }).inputValue(), { timeout: T }).toBe(next.value);
    expect(await pixel.getByRole('combobox', { name: 'Reasoning effort' }).inputValue()).toBe(effort);
  });

  it('an approval that arrived while the phone was away is there when it comes back, and leaves when answered elsewhere', async () => {
    try {
      blockPixel = true;
      await pixel.evaluate(() => (window as unknown as { __codexPhone: { dropConnections(): void } }).__codexPhone.dropConnections());
      await pixel.getByTestId('connection-banner').waitFor({ timeout: T });
      // While the phone is away, the other device starts a turn that needs an approval.
      await other.rpc.request('turn/start', { threadId, input: [{ type: 'text', text: 'RUN echo asked-while-away', text_elements: [] }] });
      const req = await otherGets('echo asked-while-away');
      expect(await pixel.getByTestId('approval-card').count()).toBe(0);
      await shoot(pixel, 'acting-away');
      blockPixel = false;
      await pixel.getByRole('button', { name: 'Retry now' }).tap().catch(() => undefined);
      const card = pixel.getByTestId('approval-card');
      await card.waitFor({ timeout: 45_000 });
      expect(await pixel.getByTestId('approval-command').textContent()).toContain('echo asked-while-away');
      await shoot(pixel, 'acting-back-with-approval');

      // The other device answers: the engine says it is resolved, and the phone's card leaves.
      req.answer({ decision: 'accept' });
      await card.waitFor({ state: 'detached', timeout: T });
      await pixel.getByRole('button', { name: /^Ran echo asked-while-away/ }).waitFor({ timeout: T });
    } finally {
      blockPixel = false;
    }
  });

  it('a card leaves when its turn ends (interrupted elsewhere), and that command never runs', async () => {
    await expect.poll(() => lastTurn(pixel).getAttribute('data-status'), { timeout: T }).toBe('completed');
    const marker = join(host.home.workdir, 'interrupted-marker.txt');
    await send(pixel, 'RUN touch interrupted-marker.txt');
    const card = pixel.getByTestId('approval-card');
    await card.waitFor({ timeout: T });
    const req = await otherGets('touch interrupted-marker.txt');
    await other.rpc.request('turn/interrupt', { threadId, turnId: req.params.turnId });
    await card.waitFor({ state: 'detached', timeout: T });
    await expect.poll(() => lastTurn(pixel).getAttribute('data-status'), { timeout: T }).toBe('interrupted');
    expect(existsSync(marker)).toBe(false);
  });

  it('steers a running turn from an iPhone, then stops it', async () => {
    await pairPhone(iphone);
    await openThread(iphone);
    // Another device shows what the thread runs with now: the Pixel's choice.
    await expect.poll(() => iphone.getByRole('combobox', { name: 'Model' }).inputValue(), { timeout: T }).toBe(chosen!.model);
    expect(await iphone.getByRole('combobox', { name: 'Reasoning effort' }).inputValue()).toBe(chosen!.effort);
    await send(iphone, 'SLOW please');
    const turn = lastTurn(iphone);
    await turn.locator('.msg-agent', { hasText: 'slow-3 ' }).waitFor({ timeout: T });
    const turnId = await turn.getAttribute('data-turn-id');
    expect(await iphone.getByRole('textbox', { name: 'Message to steer the running turn' }).count()).toBe(1);
    // (the steered text says SLOW too: the fake model answers the newest user text, and this keeps the turn running)
    await send(iphone, 'SLOW and mind the tests');
    const turnMessages = iphone.locator(`[data-turn-id="${turnId}"] [data-testid="user-message"]`);
    await expect.poll(() => turnMessages.allTextContents(), { timeout: T }).toEqual(['SLOW please', 'SLOW and mind the tests']);
    await shoot(iphone, 'acting-steered');
    await iphone.getByRole('button', { name: 'Stop the running turn' }).tap();
    await expect.poll(() => iphone.locator(`[data-turn-id="${turnId}"]`).getAttribute('data-status'), { timeout: T }).toBe('interrupted');
    expect(await iphone.locator(`[data-turn-id="${turnId}"] .turn-footer`).textContent()).toContain('Stopped');
    expect(await iphone.getByRole('button', { name: 'Stop the running turn' }).count()).toBe(0);
    // The model saw the steer: a request of this turn carries the steered text.
    expect(fake.requests.some((r) => r.lastUserText === 'SLOW and mind the tests')).toBe(true);
    await shoot(iphone, 'acting-stopped');
  });
});
