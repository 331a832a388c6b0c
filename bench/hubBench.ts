/**
 * `npm run bench:hub`: what the hub costs over talking to `codex app-server` directly, measured
 * in one run against the real engine (offline, with the fake model API):
 *
 * 1. Request round trip: `thread/list {limit: 5}` after `initialize`, sequentially, straight to
 *    the engine and through the hub, interleaved in blocks so that drift (CPU frequency, other
 *    load) hits both paths alike. Target: hub/direct ≤ 1.10 at the median.
 * 2. Notification fan-out: 1 and 50 clients subscribed to one thread (`thread/resume` after its
 *    first turn), the fake model streams N deltas; per-delta latency = client receive time −
 *    the notification's top-level `emittedAtMs` (the engine's clock: same machine, same epoch).
 *
 * The hub runs in a child process (bench/hubBenchHost.ts) like in a real host; the clients and
 * the fake model run here, identical for both paths. `--in-process` runs the hub in this
 * process instead (it then shares the event loop with the clients). `--quick` runs a few
 * iterations only (a smoke test of the benchmark itself).
 */
import { fork, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { createCodexHome, type CodexHomeFixture } from '../e2e/fixtures/codexHome.js';
import { startFakeResponses, type FakeResponsesServer } from '../e2e/fixtures/fakeResponses.js';
import { startHubBenchHost, type HubBenchHostReady } from './hubBenchHost.js';
import { RpcBenchClient, type ReceivedNotification } from './lib/rpcBenchClient.js';
import { fmt, ratio, sleep, summarize, table, targetLine } from './lib/stats.js';

const QUICK = process.argv.includes('--quick');
const IN_PROCESS = process.argv.includes('--in-process');
/** Round trips per path (after warm-up), in alternating blocks. */
const RTT_ITERATIONS = QUICK ? 200 : 2_000;
const RTT_WARMUP = QUICK ? 20 : 200;
const RTT_BLOCK = 100;
/** Stop measuring round trips after this long even if the count is not reached. */
const RTT_TIME_BUDGET_MS = 90_000;
/** Deltas per measured turn and their spacing (the fake model's SLOW reply). */
const FANOUT_DELTAS = QUICK ? 20 : 100;
const FANOUT_DELTA_MS = 10;
const FANOUT_CLIENTS = [1, 50] as const;
const FANOUT_ROUNDS = QUICK ? 1 : 2;
const TURN_TIMEOUT_MS = 60_000;
const RTT_TARGET = 1.1;

type Path = 'direct' | 'hub';
/** Round trips also measure a bare forwarding proxy: the cost of any extra hop on this machine. */
type RttPath = Path | 'proxy';

interface Endpoints extends HubBenchHostReady {
  readonly workdir: string;
}

async function main(): Promise<void> {
  const started = performance.now();
  console.log(`hub benchmark — ${os.cpus().length} CPU(s) ${os.cpus()[0]?.model ?? ''}, node ${process.version}${QUICK ? ' (quick)' : ''}`);
  const fake = await startFakeResponses({ deltaMs: 5, slowDeltaMs: FANOUT_DELTA_MS, slowDeltaCount: FANOUT_DELTAS });
  const home = await createCodexHome({ modelBaseUrl: fake.baseUrl, label: 'bench-hub' });
  let stopHost: (() => Promise<void>) | undefined;
  try {
    const host = IN_PROCESS ? await startHubBenchHost(home.workdir, home.env) : await startHostProcess(home);
    stopHost = host.stop;
    const ep: Endpoints = { ...host, workdir: home.workdir };
    console.log(`codex ${ep.version}; engine ${ep.directUrl}, hub ${ep.hubUrl} (${IN_PROCESS ? 'in this process' : 'in a child process'})\n`);
    await roundTrips(ep);
    await fanOut(ep, fake);
  } finally {
    await stopHost?.();
    await fake.close();
    await home.cleanup();
  }
  console.log(`\ntotal ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

/** The hub host as a child process; `stop()` asks it to stop its engine and exit. */
async function startHostProcess(home: CodexHomeFixture): Promise<HubBenchHostReady & { stop(): Promise<void> }> {
  const child: ChildProcess = fork(fileURLToPath(new URL('./hubBenchHost.ts', import.meta.url)), [home.workdir], {
    env: home.env,
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = await new Promise<HubBenchHostReady>((resolve, reject) => {
    child.once('message', (m) => resolve(m as HubBenchHostReady));
    child.once('exit', (code) => reject(new Error(`hub bench host exited with ${code} before it was ready`)));
  });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.send('stop');
    await Promise.race([exited, sleep(10_000)]);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  return { ...ready, stop };
}

async function openClient(ep: Endpoints, path: RttPath, name: string): Promise<RpcBenchClient> {
  const client =
    path === 'direct'
      ? await RpcBenchClient.open(ep.directUrl, { Authorization: `Bearer ${ep.token}` })
      : await RpcBenchClient.open(path === 'hub' ? ep.hubUrl : ep.proxyUrl);
  await client.initialize(name);
  return client;
}

async function roundTrips(ep: Endpoints): Promise<void> {
  console.log(`1. request round trip: thread/list {limit: 5}, ${RTT_ITERATIONS} sequential per path after ${RTT_WARMUP} warm-up, blocks of ${RTT_BLOCK}`);
  const paths: RttPath[] = ['direct', 'hub', 'proxy'];
  const clients = Object.fromEntries(await Promise.all(paths.map(async (p) => [p, await openClient(ep, p, 'bench-rtt')] as const))) as Record<RttPath, RpcBenchClient>;
  const samples: Record<RttPath, number[]> = { direct: [], hub: [], proxy: [] };
  const once = async (path: RttPath): Promise<number> => {
    const t0 = performance.now();
    await clients[path].request('thread/list', { limit: 5 });
    return performance.now() - t0;
  };
  for (let i = 0; i < RTT_WARMUP; i++) for (const p of paths) await once(p);
  const deadline = performance.now() + RTT_TIME_BUDGET_MS;
  for (let block = 0; samples.hub.length < RTT_ITERATIONS && performance.now() < deadline; block++) {
    // Rotate which path goes first so none always runs right after another.
    const order = paths.map((_, i) => paths[(i + block) % paths.length]!);
    for (const path of order) for (let i = 0; i < RTT_BLOCK; i++) samples[path].push(await once(path));
  }
  await Promise.all(paths.map((p) => clients[p].close()));
  const d = summarize(samples.direct);
  const h = summarize(samples.hub);
  const x = summarize(samples.proxy);
  console.log(
    table(
      ['path', 'n', 'median ms', 'p99 ms', 'mean ms', 'min ms'],
      [
        ['direct (engine)', String(d.n), fmt(d.median), fmt(d.p99), fmt(d.mean), fmt(d.min)],
        ['through the hub', String(h.n), fmt(h.median), fmt(h.p99), fmt(h.mean), fmt(h.min)],
        ['bare ws proxy', String(x.n), fmt(x.median), fmt(x.p99), fmt(x.mean), fmt(x.min)],
        ['hub / direct', '', ratio(h.median, d.median), ratio(h.p99, d.p99), ratio(h.mean, d.mean), ratio(h.min, d.min)],
        ['bare proxy / direct', '', ratio(x.median, d.median), ratio(x.p99, d.p99), ratio(x.mean, d.mean), ratio(x.min, d.min)],
        ['hub / bare proxy', '', ratio(h.median, x.median), ratio(h.p99, x.p99), ratio(h.mean, x.mean), ratio(h.min, x.min)],
      ],
    ),
  );
  console.log(`hub overhead at the median: ${fmt((h.median - d.median) * 1000, 0)} µs per request, of which any extra hop costs ${fmt((x.median - d.median) * 1000, 0)} µs (bare proxy)`);
  console.log(targetLine(h.median / d.median <= RTT_TARGET, `round trip hub/direct ${(h.median / d.median).toFixed(2)} at the median (target ≤ ${RTT_TARGET.toFixed(2)})`));
  console.log('');
}

interface FanOutResult {
  readonly latencies: number[];
  /** Deltas each client received (should all be FANOUT_DELTAS-ish). */
  readonly perClient: number[];
}

/** One measured turn with `n` clients on one thread, all through `path`. */
async function fanOutOnce(ep: Endpoints, path: Path, n: number): Promise<FanOutResult> {
  const clients: RpcBenchClient[] = [];
  for (let i = 0; i < n; i += 10) {
    const batch = Array.from({ length: Math.min(10, n - i) }, (_, k) => openClient(ep, path, `bench-fanout-${i + k}`));
    clients.push(...(await Promise.all(batch)));
  }
  try {
    const owner = clients[0]!;
    const started = (await owner.request('thread/start', { cwd: ep.workdir })) as { thread: { id: string } };
    const threadId = started.thread.id;
    // A thread can be resumed only once its first turn has started (docs/engine.md §6).
    await runTurn([owner], threadId, 'warm-up turn', () => {});
    await Promise.all(clients.slice(1).map((c) => c.request('thread/resume', { threadId, excludeTurns: true })));
    const latencies: number[] = [];
    const perClient = clients.map(() => 0);
    await runTurn(clients, threadId, 'SLOW please', (i, m) => {
      if (m.method !== 'item/agentMessage/delta' || m.emittedAtMs === undefined) return;
      latencies.push(m.receivedAtMs - m.emittedAtMs);
      perClient[i]! += 1;
    });
    return { latencies, perClient };
  } finally {
    await Promise.all(clients.map((c) => c.close()));
  }
}

/** Starts a turn from `clients[0]` and resolves once every client saw its `turn/completed`. */
async function runTurn(
  clients: readonly RpcBenchClient[],
  threadId: string,
  text: string,
  onEvent: (clientIndex: number, m: ReceivedNotification) => void,
): Promise<void> {
  let remaining = clients.length;
  let timer: NodeJS.Timeout | undefined;
  const done = new Promise<void>((resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`turn on ${threadId}: ${remaining} client(s) saw no turn/completed within ${TURN_TIMEOUT_MS} ms`)), TURN_TIMEOUT_MS);
    clients.forEach((c, i) => {
      c.onNotification = (m) => {
        if (m.params.threadId !== threadId) return;
        onEvent(i, m);
        if (m.method === 'turn/completed' && --remaining === 0) resolve();
      };
    });
  });
  try {
    await clients[0]!.request('turn/start', { threadId, input: [{ type: 'text', text, text_elements: [] }] });
    await done;
  } finally {
    clearTimeout(timer);
    for (const c of clients) c.onNotification = undefined;
  }
}

async function fanOut(ep: Endpoints, fake: FakeResponsesServer): Promise<void> {
  console.log(
    `2. notification fan-out: ${FANOUT_DELTAS} deltas ${FANOUT_DELTA_MS} ms apart per turn, ${FANOUT_ROUNDS} round(s), latency = receive time − emittedAtMs`,
  );
  const results = new Map<string, { latencies: number[]; perClient: number[] }>();
  for (let round = 0; round < FANOUT_ROUNDS; round++) {
    for (const n of FANOUT_CLIENTS) {
      const order: Path[] = round % 2 === 0 ? ['direct', 'hub'] : ['hub', 'direct'];
      for (const path of order) {
        const r = await fanOutOnce(ep, path, n);
        const key = `${n}:${path}`;
        const acc = results.get(key) ?? { latencies: [], perClient: [] };
        acc.latencies.push(...r.latencies);
        acc.perClient.push(...r.perClient);
        results.set(key, acc);
      }
    }
  }
  const rows: string[][] = [];
  for (const n of FANOUT_CLIENTS) {
    const d = results.get(`${n}:direct`)!;
    const h = results.get(`${n}:hub`)!;
    const sd = summarize(d.latencies);
    const sh = summarize(h.latencies);
    const deltas = (r: { perClient: number[] }) => `${Math.min(...r.perClient)}–${Math.max(...r.perClient)}`;
    rows.push([`${n} client(s), direct`, String(sd.n), deltas(d), fmt(sd.median), fmt(sd.p99), fmt(sd.mean)]);
    rows.push([`${n} client(s), hub`, String(sh.n), deltas(h), fmt(sh.median), fmt(sh.p99), fmt(sh.mean)]);
    rows.push([`${n} client(s), hub / direct`, '', '', ratio(sh.median, sd.median), ratio(sh.p99, sd.p99), ratio(sh.mean, sd.mean)]);
  }
  console.log(table(['clients, path', 'samples', 'deltas/client', 'median ms', 'p99 ms', 'mean ms'], rows));
  console.log('emittedAtMs has whole-millisecond resolution: each latency carries up to 1 ms of rounding, the same on both paths.');
  console.log(`fake model requests served: ${fake.responsesRequests().length}`);
  console.log('');
}

main().catch((err: unknown) => {
  console.error(`hub benchmark failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
  process.exitCode = 1;
});
