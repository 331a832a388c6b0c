/**
 * `npm run bench:phone`: the phone web client's budgets (issue 9), each with a baseline measured
 * in the same run. Real processes on loopback: the standalone relay over HTTPS/WSS with a test
 * certificate, serving the built phone app (e2e/mobile/phoneFixture.ts); one host (`codex-host
 * serve --relay wss://… --ui`, the real engine, the fake model), whose `--ui` bridge is a second,
 * local client of the same hub; Debian's Chromium as a Pixel 7 (viewport, touch, user agent).
 *
 * 1. Link opened → paired, budget ≤ 1 s: a fresh phone (empty storage) opens a fresh pairing link
 *    and taps Pair as soon as the button is there; from navigation start, and from the tap, to
 *    "Online" painted on the host's screen. Baselines: the same app's start screen in a fresh
 *    phone (no link), and a Node controller doing what the phone does after the tap (pair,
 *    then resume, then initialize) with the controller library.
 * 2. Thread list at 1,000 threads, budget ≤ 300 ms: a paired phone opens the host's screen; from
 *    navigation start and from the list request to the first row painted. First visits (the
 *    list the phone keeps of the host is dropped before each) and later visits (the kept list
 *    is painted while the session connects). Baselines: the same load's app bar (the screen
 *    without data), and the same `thread/list` from a Node controller through the relay.
 * 3. Tap "Run" on an approval → the engine has the answer (reported, no budget): from the tap
 *    event to the hub's `serverRequest/resolved` arriving at the local client. Baseline: the
 *    same approval answered by a Node controller through the relay (from its answer).
 *
 * The threads come from the seeded CODEX_HOME the renderer benchmark keeps
 * (bench/lib/seededThreads.ts; seeded here if missing). `--quick` uses that benchmark's quick
 * cache (200 threads) and 3 runs; `--threads N` any other size (a cache of its own).
 */
import { readFileSync } from 'node:fs';
import WebSocket from 'ws';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { connectInitialized } from '../e2e/app/bridgeClient.js';
import { startFakeResponses, type FakeResponsesServer } from '../e2e/fixtures/fakeResponses.js';
import type { WireMessage, WsDriver } from '../e2e/fixtures/wsDriver.js';
import { launchPhoneBrowser, newPhone, startPhoneHost, startTlsRelay, waitHostOnline, type PhoneHost, type TlsRelay } from '../e2e/mobile/phoneFixture.js';
import { nodeAead } from '../host/remote-access/nodeAead.js';
import { pair, resume, type ControllerDeps, type ControllerSession } from '../shared/controller/controllerSession.js';
import type { TrustedHost } from '../shared/controller/trustedHost.js';
import { generateIdentity, signerFromIdentity } from '../shared/crypto/identity.js';
import { firstAfter, PAGE_PROBE, pageWorkAndWait, type ProbeReading, pageClockOffset, pageTimeOrigin, paintOf, readProbe } from './lib/pageProbe.js';
import { completeSeedCache, openSeedCache, seedThreads, useSeedCacheHome, type SeededMeta } from './lib/seededThreads.js';
import { epochNowMs, fmt, ratio, summarize, table, targetLine } from './lib/stats.js';

const argv = process.argv.slice(2);
const QUICK = argv.includes('--quick');
const RESEED = argv.includes('--reseed');
const threadsArg = argv.indexOf('--threads');
const THREADS = threadsArg >= 0 ? Number(argv[threadsArg + 1]) : QUICK ? 200 : 1_000;
/** The cache is the renderer benchmark's: its sizes pair threads with a long thread's turns. */
const TURNS = threadsArg >= 0 ? 1 : QUICK ? 50 : 200;
const runsArg = argv.indexOf('--runs');
const RUNS = runsArg >= 0 ? Number(argv[runsArg + 1]) : QUICK ? 3 : 7;
/** `--only list,approval` skips the other parts (pairing always runs: the later parts use its phone). */
const onlyArg = argv.indexOf('--only');
const ONLY = onlyArg >= 0 ? new Set(argv[onlyArg + 1]!.split(',')) : undefined;
const runs = (part: string) => !ONLY || ONLY.has(part);
const PAIR_BUDGET_MS = 1_000;
const LIST_BUDGET_MS = 300;
const T = 30_000;
const HOST_NAME = 'Bench Box';
/** The params the phone's thread list sends (renderer/common/stores/threadListStore.ts). */
const THREAD_LIST_PARAMS = { limit: 50, cursor: null, sortKey: 'updated_at', sortDirection: 'desc', useStateDbOnly: true };

if (!Number.isInteger(THREADS) || THREADS < 1 || THREADS > 100_000) throw new Error('--threads takes a whole number from 1 to 100000');
if (!Number.isInteger(RUNS) || RUNS < 1 || RUNS > 100) throw new Error('--runs takes a whole number from 1 to 100');

interface Phone {
  readonly context: BrowserContext;
  readonly page: Page;
}

async function freshPhone(browser: Browser, relay: TlsRelay): Promise<Phone> {
  const phone = await newPhone(browser, 'Pixel 7', relay.origin);
  await phone.context.addInitScript(PAGE_PROBE);
  return phone;
}

/** A Node controller (the controller library, `ws`, the Node AEAD) that trusts the test certificate. */
function nodeDeps(relay: TlsRelay): ControllerDeps {
  const device = generateIdentity();
  const ca = readFileSync(relay.cert.certFile);
  return {
    device: { signer: signerFromIdentity(device), name: 'bench controller', platform: 'linux', kind: 'host' },
    aead: nodeAead,
    webSocket: (url) => new WebSocket(url, { perMessageDeflate: false, ca }),
  };
}

async function initialize(session: ControllerSession): Promise<void> {
  await session.rpc.request('initialize', { clientInfo: { name: 'bench_node_controller', title: 'bench', version: '0' }, capabilities: { experimentalApi: true, requestAttestation: false } });
  session.rpc.notify('initialized');
}

const median = (xs: readonly number[]) => summarize(xs).median;
const NO_SPLIT = { work: Number.NaN, wait: Number.NaN };

/** The page's work and its waiting on the first socket it opened in `from` → `until`. */
function socketSplit(p: ProbeReading, from: number, until: number): { work: number; wait: number } {
  const s = p.sockets.find((x) => x.created >= from);
  return s && Number.isFinite(until) ? pageWorkAndWait(s, from, until) : NO_SPLIT;
}
const row = (label: string, xs: readonly number[], base?: readonly number[]) => {
  const s = summarize(xs);
  return [label, fmt(s.median, 0), fmt(s.min, 0), fmt(s.max, 0), base ? ratio(s.median, median(base)) : ''];
};
const HEAD = ['ms', 'median', 'min', 'max', 'vs baseline'];

// ---------------------------------------------------------------------------------------------
// 1. pairing

interface PairRun {
  readonly previewPaint: number;
  readonly tap: number;
  readonly onlinePaint: number;
  readonly pairSocketCreated: number;
  readonly pairSocketOpen: number;
  readonly connectMark: number;
  readonly resumeSocketOpen: number;
  readonly onlineMark: number;
  readonly pairSplit: { work: number; wait: number };
  readonly resumeSplit: { work: number; wait: number };
}

async function pairOnPhone(phone: Phone, host: PhoneHost): Promise<PairRun> {
  const link = await host.pairingLink();
  const { page } = phone;
  await page.goto(link);
  await page.getByTestId('pair-confirm').tap({ timeout: T });
  await waitHostOnline(page, host.hostId, T);
  const onlinePaint = await paintOf(page, 'host-state-online');
  const p = await readProbe(page);
  const tap = p.clicks.find((c) => c.testId === 'pair-confirm')?.at ?? Number.NaN;
  const [pairWs, resumeWs] = p.sockets.filter((s) => s.created >= tap);
  const connectMark = firstAfter(p.marks['codexHost:connect'], tap);
  const onlineMark = firstAfter(p.marks['codexHost:online'], tap);
  return {
    pairSplit: socketSplit(p, tap, connectMark),
    resumeSplit: socketSplit(p, connectMark, onlineMark),
    previewPaint: firstAfter(p.paints['pair-preview'], 0),
    tap,
    onlinePaint,
    pairSocketCreated: pairWs?.created ?? Number.NaN,
    pairSocketOpen: pairWs?.opened ?? Number.NaN,
    connectMark,
    resumeSocketOpen: resumeWs?.opened ?? Number.NaN,
    onlineMark,
  };
}

async function startScreenOnPhone(browser: Browser, relay: TlsRelay): Promise<number> {
  const phone = await freshPhone(browser, relay);
  try {
    await phone.page.goto(`${relay.origin}/`);
    await phone.page.getByTestId('hosts-empty').waitFor({ timeout: T });
    return await paintOf(phone.page, 'appbar-title');
  } finally {
    await phone.context.close();
  }
}

interface NodePairRun {
  readonly total: number;
  readonly pair: number;
  readonly resume: number;
  readonly initialize: number;
}

async function pairFromNode(relay: TlsRelay, host: PhoneHost): Promise<{ run: NodePairRun; trusted: TrustedHost; deps: ControllerDeps }> {
  const link = await host.pairingLink();
  const deps = nodeDeps(relay);
  const t0 = performance.now();
  const { session, trustedHost } = await pair(link, deps, { reconnect: false });
  session.close();
  const t1 = performance.now();
  const s2 = await resume(trustedHost, deps, { reconnect: false });
  const t2 = performance.now();
  await initialize(s2);
  const t3 = performance.now();
  s2.close();
  return { run: { total: t3 - t0, pair: t1 - t0, resume: t2 - t1, initialize: t3 - t2 }, trusted: trustedHost, deps };
}

async function benchPairing(browser: Browser, relay: TlsRelay, host: PhoneHost): Promise<{ phone: Phone; node: { trusted: TrustedHost; deps: ControllerDeps } }> {
  const runs: PairRun[] = [];
  const starts: number[] = [];
  const nodeRuns: NodePairRun[] = [];
  let kept: Phone | undefined;
  let node: { trusted: TrustedHost; deps: ControllerDeps } | undefined;
  // Alternating, so that drift on the busy box affects every path alike.
  for (let i = 0; i < RUNS; i++) {
    const phone = await freshPhone(browser, relay);
    runs.push(await pairOnPhone(phone, host));
    // The last phone stays paired for the next parts.
    if (i === RUNS - 1) kept = phone;
    else await phone.context.close();
    starts.push(await startScreenOnPhone(browser, relay));
    const n = await pairFromNode(relay, host);
    nodeRuns.push(n.run);
    node = { trusted: n.trusted, deps: n.deps };
  }
  const f = (g: (r: PairRun) => number) => runs.map(g);
  const fromNav = f((r) => r.onlinePaint);
  const fromTap = f((r) => r.onlinePaint - r.tap);
  const noWait = f((r) => r.previewPaint + (r.onlinePaint - r.tap));
  const nodeTotal = nodeRuns.map((r) => r.total);
  console.log('1. pairing: a fresh Pixel 7 opens a pairing link and taps Pair; "Online" painted on the host screen');
  console.log(table(HEAD, [
    row('link opened (navigation start) → "Online" painted', fromNav),
    row('… the same without the wait for the tap (preview paint + tap → Online)', noWait),
    row('pairing screen painted (from navigation start)', f((r) => r.previewPaint), starts),
    row('app start screen painted, fresh phone, no link (baseline)', starts),
    row('tap Pair → "Online" painted', fromTap, nodeTotal),
    row('Node controller: pair + resume + initialize (baseline)', nodeTotal),
  ]));
  console.log('');
  console.log(table(['where tap → "Online" goes (median ms)', 'phone', 'Node controller'], [
    ['tap → pairing socket created', fmt(median(f((r) => r.pairSocketCreated - r.tap)), 0), ''],
    ['pairing socket: TLS + WebSocket to the relay open', fmt(median(f((r) => r.pairSocketOpen - r.pairSocketCreated)), 0), ''],
    ['… open → paired, record stored (pair handshake, IndexedDB)', fmt(median(f((r) => r.connectMark - r.pairSocketOpen)), 0), ''],
    ['pair (the whole first session)', fmt(median(f((r) => r.connectMark - r.tap)), 0), fmt(median(nodeRuns.map((r) => r.pair)), 0)],
    ['… of which the page\'s own work (crypto, storage, app code)', fmt(median(f((r) => r.pairSplit.work)), 0), ''],
    ['… of which waiting (socket, relay, host)', fmt(median(f((r) => r.pairSplit.wait)), 0), ''],
    ['resume session: connect → open (TLS + WebSocket)', fmt(median(f((r) => r.resumeSocketOpen - r.connectMark)), 0), ''],
    ['resume + initialize → online', fmt(median(f((r) => r.onlineMark - r.connectMark)), 0), fmt(median(nodeRuns.map((r) => r.resume + r.initialize)), 0)],
    ['… of which the page\'s own work', fmt(median(f((r) => r.resumeSplit.work)), 0), ''],
    ['… of which waiting', fmt(median(f((r) => r.resumeSplit.wait)), 0), ''],
    ['online → "Online" painted', fmt(median(f((r) => r.onlinePaint - r.onlineMark)), 0), ''],
  ]));
  console.log(targetLine(median(fromNav) <= PAIR_BUDGET_MS, `link opened → paired ${fmt(median(fromNav), 0)} ms ≤ ${PAIR_BUDGET_MS} ms (from the tap: ${fmt(median(fromTap), 0)} ms)`));
  console.log('');
  return { phone: kept!, node: node! };
}

// ---------------------------------------------------------------------------------------------
// 2. thread list

interface ListRun {
  readonly shell: number;
  readonly row: number;
  readonly connect: number;
  readonly online: number;
  readonly request: number;
  readonly response: number;
  readonly responseEnd: number;
  readonly scriptsEnd: number;
  readonly boot: number;
  readonly storage: number;
  readonly deviceKey: number;
  readonly resumeSplit: { work: number; wait: number };
}

/**
 * Forgets the thread list the phone keeps of `hostId` (renderer/mobile/phone/cachedThreadList.ts),
 * so the next start is a first one: nothing to paint before the host answers.
 */
async function forgetCachedList(page: Page, hostId: string): Promise<void> {
  await page.evaluate(
    (key) =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('codex-host-phone', 1);
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction('kv', 'readwrite');
          tx.objectStore('kv').delete(key);
          tx.oncomplete = () => resolve();
          tx.onerror = () => reject(tx.error);
        };
      }),
    `threads.${hostId}`,
  );
}

async function benchThreadList(phone: Phone, relay: TlsRelay, host: PhoneHost, node: { trusted: TrustedHost; deps: ControllerDeps }): Promise<void> {
  const runs: ListRun[] = [];
  const warm: { row: number; cached: number; response: number }[] = [];
  const nodeList: number[] = [];
  const controller = await resume(node.trusted, node.deps, { reconnect: false });
  await initialize(controller);
  await forgetCachedList(phone.page, host.hostId);
  // Cold: a phone that has never listed this host's threads (the kept list is dropped after each run).
  for (let i = 0; i < RUNS; i++) {
    const page = await phone.context.newPage();
    await page.goto(`${relay.origin}/#/hosts/${host.hostId}`);
    const rowPaint = await paintOf(page, 'thread-row');
    const p = await readProbe(page);
    runs.push({
      shell: firstAfter(p.paints['appbar-title'], 0),
      row: rowPaint,
      connect: firstAfter(p.marks['codexHost:connect'], 0),
      online: firstAfter(p.marks['codexHost:online'], 0),
      request: firstAfter(p.marks['codexHost:threadList:request'], 0),
      response: firstAfter(p.marks['codexHost:threadList:response'], 0),
      responseEnd: p.nav.responseEnd,
      scriptsEnd: p.nav.scriptsEnd,
      boot: firstAfter(p.marks['codexPhone:boot'], 0),
      storage: firstAfter(p.marks['codexPhone:storage'], 0),
      deviceKey: firstAfter(p.marks['codexPhone:deviceKey'], 0),
      resumeSplit: socketSplit(p, firstAfter(p.marks['codexHost:connect'], 0), firstAfter(p.marks['codexHost:online'], 0)),
    });
    await forgetCachedList(page, host.hostId);
    await page.close();
    const t0 = performance.now();
    await controller.rpc.request('thread/list', THREAD_LIST_PARAMS);
    nodeList.push(performance.now() - t0);
  }
  // Warm: the phone listed them before, so it paints the list it kept while the session connects.
  for (let i = 0; i <= RUNS; i++) {
    const page = await phone.context.newPage();
    await page.goto(`${relay.origin}/#/hosts/${host.hostId}`);
    const rowPaint = await paintOf(page, 'thread-row');
    await page.waitForFunction(() => performance.getEntriesByName('codexHost:threadList:response').length > 0, undefined, { timeout: 30_000 });
    const p = await readProbe(page);
    // The first of these runs only writes the list for the next ones.
    if (i > 0) warm.push({ row: rowPaint, cached: firstAfter(p.marks['codexPhone:cachedThreadList'], 0), response: firstAfter(p.marks['codexHost:threadList:response'], 0) });
    await page.close();
  }
  controller.close();
  const f = (g: (r: ListRun) => number) => runs.map(g);
  const fromRequest = f((r) => r.row - r.request);
  const warmRow = warm.map((r) => r.row);
  console.log(`2. thread list: a paired Pixel 7 opens the host's screen, ${THREADS} threads on the host`);
  console.log(table(HEAD, [
    row('first visit: navigation start → first thread row painted', f((r) => r.row), f((r) => r.shell)),
    row('navigation start → app bar painted (the screen without data, baseline)', f((r) => r.shell)),
    row('first visit: thread/list sent → first row painted', fromRequest, nodeList),
    row('Node controller: the same thread/list through the relay (baseline)', nodeList),
    row('later visits: navigation start → first row painted (the list kept from the last visit)', warmRow, f((r) => r.shell)),
    row('later visits: navigation start → the host’s fresh first page answered', warm.map((r) => r.response)),
  ]));
  console.log('');
  console.log(table(['where the first row goes on a first visit (median ms)', 'ms'], [
    ['navigation start → the page\'s response ends', fmt(median(f((r) => r.responseEnd)), 0)],
    ['… → its scripts have arrived', fmt(median(f((r) => r.scriptsEnd - r.responseEnd)), 0)],
    ['… → the script starts running (parse, compile, module evaluation)', fmt(median(f((r) => r.boot - r.scriptsEnd)), 0)],
    ['… → storage open (IndexedDB)', fmt(median(f((r) => r.storage - r.boot)), 0)],
    ['… → device key and crypto ready', fmt(median(f((r) => r.deviceKey - r.storage)), 0)],
    ['… → the session connects (first render, paired hosts read)', fmt(median(f((r) => r.connect - r.deviceKey)), 0)],
    ['navigation start → the session connects', fmt(median(f((r) => r.connect)), 0)],
    ['connect → online (TLS, WebSocket, resume handshake, initialize)', fmt(median(f((r) => r.online - r.connect)), 0)],
    ['… of which the page\'s own work (handshake crypto, app code)', fmt(median(f((r) => r.resumeSplit.work)), 0)],
    ['… of which waiting (socket, relay, host, engine)', fmt(median(f((r) => r.resumeSplit.wait)), 0)],
    ['online → thread/list sent', fmt(median(f((r) => r.request - r.online)), 0)],
    ['thread/list sent → answered', fmt(median(f((r) => r.response - r.request)), 0)],
    ['answered → first row painted', fmt(median(f((r) => r.row - r.response)), 0)],
  ]));
  console.log(targetLine(median(f((r) => r.row)) <= LIST_BUDGET_MS, `first thread-list paint at ${THREADS} threads, first visit, from navigation start: ${fmt(median(f((r) => r.row)), 0)} ms ≤ ${LIST_BUDGET_MS} ms`));
  console.log(targetLine(median(fromRequest) <= LIST_BUDGET_MS, `first thread-list paint at ${THREADS} threads, first visit, from the list request: ${fmt(median(fromRequest), 0)} ms ≤ ${LIST_BUDGET_MS} ms`));
  console.log(targetLine(median(warmRow) <= LIST_BUDGET_MS, `first thread-list paint at ${THREADS} threads, later visits, from navigation start: ${fmt(median(warmRow), 0)} ms ≤ ${LIST_BUDGET_MS} ms`));
  console.log('');
}

// ---------------------------------------------------------------------------------------------
// 3. approval

const isResolved = (m: WireMessage) => m.method === 'serverRequest/resolved';
const isTurnDone = (m: WireMessage) => m.method === 'turn/completed';
const isCommandDone = (m: WireMessage) => m.method === 'item/completed' && (m.params as { item?: { type?: string } }).item?.type === 'commandExecution';

/** Starts a `RUN echo …` turn from the local client; resolves when `turn/start` was answered. */
async function startApprovalTurn(observer: WsDriver, threadId: string, marker: string): Promise<void> {
  await observer.request('turn/start', { threadId, input: [{ type: 'text', text: `RUN echo ${marker}`, text_elements: [] }] });
}

/** Resolves with this process's clock when the next matching message arrives (registered now). */
function arrival(observer: WsDriver, predicate: (m: WireMessage) => boolean): Promise<number> {
  const since = observer.messages.length;
  return observer.waitFor(predicate, T, { since }).then(() => epochNowMs());
}

async function benchApproval(phone: Phone, relay: TlsRelay, host: PhoneHost, cwd: string, node: { trusted: TrustedHost; deps: ControllerDeps }): Promise<void> {
  const observer = await connectInitialized(host.ui!, 'bench-observer');
  const started = (await observer.request('thread/start', { cwd })) as { thread: { id: string } };
  const threadId = started.thread.id;
  // A thread can be resumed only after its first turn started (docs/engine.md §6).
  let done = arrival(observer, isTurnDone);
  await observer.request('turn/start', { threadId, input: [{ type: 'text', text: 'hello', text_elements: [] }] });
  await done;

  const page = await phone.context.newPage();
  await page.goto(`${relay.origin}/#/hosts/${host.hostId}/threads/${threadId}`);
  await page.getByTestId('thread-view').waitFor({ timeout: T });
  const controller = await resume(node.trusted, node.deps, { reconnect: false });
  await initialize(controller);
  await controller.rpc.request('thread/resume', { threadId, excludeTurns: true });
  let nodeAnswers = false;
  let nodeAnsweredAt = Number.NaN;
  controller.rpc.onRequest('item/commandExecution/requestApproval', () => {
    if (!nodeAnswers) return new Promise(() => undefined); // the phone answers this one
    nodeAnsweredAt = epochNowMs();
    return { decision: 'accept' };
  });

  const phoneRuns: { resolved: number; toSend: number; command: number }[] = [];
  const nodeRuns: { resolved: number; command: number }[] = [];
  for (let i = 0; i < RUNS * 2; i++) {
    const byPhone = i % 2 === 0;
    nodeAnswers = !byPhone;
    const marker = `approved-${i}`;
    done = arrival(observer, isTurnDone);
    const resolved = arrival(observer, isResolved);
    const command = arrival(observer, isCommandDone);
    await startApprovalTurn(observer, threadId, marker);
    if (byPhone) {
      const card = page.getByTestId('approval-card').filter({ hasText: marker });
      await card.waitFor({ timeout: T });
      const clock = await pageClockOffset(page);
      const origin = await pageTimeOrigin(page);
      await card.getByRole('button', { name: 'Run', exact: true }).tap({ timeout: T });
      const [resolvedAt, commandAt] = await Promise.all([resolved, command]);
      const p = await readProbe(page);
      const click = p.clicks.filter((c) => c.text?.trim() === 'Run').at(-1)!;
      // The tap on this process's clock.
      const tapAt = origin + click.at - clock.offsetMs;
      phoneRuns.push({ resolved: resolvedAt - tapAt, toSend: firstAfter(p.sends, click.at) - click.at, command: commandAt - tapAt });
    } else {
      const [resolvedAt, commandAt] = await Promise.all([resolved, command]);
      nodeRuns.push({ resolved: resolvedAt - nodeAnsweredAt, command: commandAt - nodeAnsweredAt });
    }
    await done;
    // Let the phone's card go and the turn's end render before the next one.
    await page.getByTestId('approval-card').waitFor({ state: 'detached', timeout: T });
  }
  controller.close();
  await page.close();
  await observer.close();
  const pr = phoneRuns.map((r) => r.resolved);
  const nr = nodeRuns.map((r) => r.resolved);
  console.log('3. approval: tap "Run" on the phone\'s approval card → the engine has the answer (`serverRequest/resolved` at a local client)');
  console.log(table(HEAD, [
    row('phone: tap → serverRequest/resolved', pr, nr),
    row('Node controller: answer → serverRequest/resolved (baseline)', nr),
    row('phone: tap → the command finished (item/completed)', phoneRuns.map((r) => r.command), nodeRuns.map((r) => r.command)),
    row('Node controller: answer → the command finished (baseline)', nodeRuns.map((r) => r.command)),
  ]));
  console.log('');
  console.log(table(['where the phone\'s tap → resolved goes (median ms)', 'ms'], [
    ['tap → the answer sent on the socket (click handler, sealing)', fmt(median(phoneRuns.map((r) => r.toSend)), 0)],
    ['sent → resolved at the local client (relay, host, engine, hub)', fmt(median(phoneRuns.map((r) => r.resolved - r.toSend)), 0)],
  ]));
  console.log(`reported (no budget): tap "Run" → the engine has the answer ${fmt(median(pr), 0)} ms at the median (Node controller ${fmt(median(nr), 0)} ms)`);
  console.log('');
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  console.log(`phone benchmark${QUICK ? ' (quick)' : ''}: Pixel 7 profile, ${THREADS} threads, ${RUNS} runs each\n`);
  const cache = await openSeedCache(THREADS, TURNS, RESEED);
  let fake: FakeResponsesServer | undefined;
  let relay: TlsRelay | undefined;
  let host: PhoneHost | undefined;
  let browser: Browser | undefined;
  let seededNow: SeededMeta | undefined;
  try {
    fake = await startFakeResponses({ deltaMs: 0 });
    relay = await startTlsRelay();
    host = await startPhoneHost(HOST_NAME, relay, fake, { ui: true, prepareHome: useSeedCacheHome(cache) });
    if (cache.meta) console.log(`reusing the threads seeded by an earlier run (${cache.dir}; --reseed to start over)\n`);
    else {
      const t0 = Date.now();
      seededNow = await seedThreads(host.ui!, cache);
      console.log(`seeded ${THREADS + 2} threads through the engine's API in ${((Date.now() - t0) / 1000).toFixed(0)} s\n`);
    }
    browser = await launchPhoneBrowser(relay);
    const { phone, node } = await benchPairing(browser, relay, host);
    if (runs('list')) await benchThreadList(phone, relay, host, node);
    if (runs('approval')) await benchApproval(phone, relay, host, cache.cwd, node);
  } finally {
    await browser?.close();
    await host?.stop();
    await relay?.stop();
    await fake?.close();
    // Written once the engine has stopped: a cache is only ever a complete one.
    if (seededNow) await completeSeedCache(cache, seededNow);
  }
}

main().catch((err: unknown) => {
  console.error(`phone benchmark failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  process.exitCode = 1;
});
