/**
 * `npm run bench:relay`: what the relay and end-to-end encryption cost, in one run, against a
 * raw loopback WebSocket measured alongside:
 *
 * 1. Echo round trip, 1 KiB messages, sequential, interleaved in blocks over (a) a raw
 *    WebSocket to an echo server, (b) a plaintext relay session to a raw echoing host, (c) an
 *    end-to-end session between the real controller library (shared/controller) and the real host
 *    relay client (host/remote-access), AES-256-GCM records both ways, and (c') the same
 *    protocol on the bare crypto primitives (how much the session layers add). Target: (c) ≤ 2.5× (a).
 * 2. Echo throughput, 64 KiB messages, a window in flight. Target: (c) ≥ 50% of (a).
 * 3. Session set-up: pairing (link → welcome) and a resume handshake (connect → welcome).
 * 4. Relay memory per idle session at 1 000 and 10 000 sessions (relay in its own process,
 *    heap after full GCs, and RSS). Target: ≤ 20 KB per session.
 *
 * The relay and the far side (echo server, hosts) run in child processes; controllers here.
 * `--quick` runs a few iterations only; `--skip-memory` skips part 4.
 */
import { execSync, fork, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { generateIdentity, idFromPublicKey } from '../shared/crypto/identity.js';
import { fromB64u, toHex } from '../shared/util/encoding.js';
import { openE2eSession, pairWithLink } from './lib/e2eController.js';
import { asciiPayload, e2eRelayPath, plainRelayPath, rawEchoPath, roundTrip, throughput, transportEchoPath, type EchoPath } from './lib/echoPaths.js';
import { openSessionTransport, pairOnce, resumeOnce } from './lib/sessionClient.js';
import { sealOpenMicros } from './lib/recordCost.js';
import { connectController, registerRawHost, type QueuedSocket } from './lib/relayPeers.js';
import { fmt, ratio, sleep, summarize, table, targetLine } from './lib/stats.js';
import type { RelayBenchHostReady } from './relayBenchHost.js';
import type { RelayMemorySample } from './relayBenchRelay.js';

const QUICK = process.argv.includes('--quick');
const SKIP_MEMORY = process.argv.includes('--skip-memory');

const RTT_BYTES = 1024;
const RTT_ITERATIONS = QUICK ? 200 : 2_000;
const RTT_WARMUP = QUICK ? 20 : 200;
const RTT_BLOCK = 100;
const RTT_BUDGET_MS = 60_000;

const TP_BYTES = 64 * 1024;
/** Messages in flight: 1 MiB, well under the relay's 8 MiB slow-consumer bound. */
const TP_WINDOW = 16;
const TP_MESSAGES_PER_ROUND = QUICK ? 200 : 1_500;
const TP_ROUND_BUDGET_MS = QUICK ? 1_000 : 4_000;
const TP_ROUNDS = QUICK ? 1 : 5;

const SETUP_ITERATIONS = QUICK ? 5 : 30;

const MEMORY_WARMUP_SESSIONS = 100;
const MEMORY_LEVELS = QUICK ? [200, 1_000] : [1_000, 10_000];
const OPEN_CONCURRENCY = 50;

const TARGET_RTT = 2.5;
const TARGET_TP = 0.5;
const TARGET_BYTES_PER_SESSION = 20 * 1024;

async function main(): Promise<void> {
  const started = performance.now();
  console.log(`relay benchmark — ${os.cpus().length} CPU(s) ${os.cpus()[0]?.model ?? ''}, node ${process.version}${QUICK ? ' (quick)' : ''}`);
  const children: ChildProcess[] = [];
  try {
    const relay = await startChild<{ url: string; httpUrl: string }>('relayBenchRelay.ts', [], []);
    children.push(relay.child);
    const host = await startChild<RelayBenchHostReady>('relayBenchHost.ts', [relay.ready.url, relay.ready.httpUrl], []);
    children.push(host.child);
    console.log(`relay ${relay.ready.url} in a child process; the echo server and the three echoing hosts in another; controllers here\n`);

    const bareHostKey = fromB64u(host.ready.bareHostKey);
    const newLink = (which: 'pairingLink' | 'bareLink') => () => ask<{ link: string }>(host.child, which).then((m) => m.link);
    // The real host only resumes trusted devices: pair this device first.
    const device = generateIdentity();
    const trusted = await pairOnce(await newLink('pairingLink')(), device);
    const paths: EchoPath[] = [
      await rawEchoPath(host.ready.echoUrl),
      await plainRelayPath(relay.ready.url, host.ready.plainHostId),
      transportEchoPath(await openSessionTransport(trusted, device), 'relay, end-to-end'),
      e2eRelayPath(await openE2eSession({ relayUrl: relay.ready.url, hostKey: bareHostKey })),
    ];
    try {
      await roundTrips(paths);
      await throughputs(paths);
    } finally {
      for (const p of paths) p.close();
    }
    await sessionSetup(
      { pair: async (link) => void (await pairOnce(link, generateIdentity())), resume: () => resumeOnce(trusted, device), newLink: newLink('pairingLink') },
      {
        pair: async (link) => (await pairWithLink(link)).ws.terminate(),
        resume: async () => (await openE2eSession({ relayUrl: relay.ready.url, hostKey: bareHostKey })).ws.terminate(),
        newLink: newLink('bareLink'),
      },
    );
    for (const c of children.splice(0)) await stopChild(c);

    if (!SKIP_MEMORY) await memory();
  } finally {
    for (const c of children) await stopChild(c);
  }
  console.log(`\ntotal ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

async function roundTrips(paths: readonly EchoPath[]): Promise<void> {
  console.log(`1. echo round trip, ${RTT_BYTES} B messages: ${RTT_ITERATIONS} sequential per path after ${RTT_WARMUP} warm-up, blocks of ${RTT_BLOCK}, rotating order`);
  const payload = asciiPayload(RTT_BYTES);
  const samples = paths.map((): number[] => []);
  for (let i = 0; i < RTT_WARMUP; i++) for (const p of paths) await roundTrip(p, payload);
  const deadline = performance.now() + RTT_BUDGET_MS;
  for (let block = 0; samples[0]!.length < RTT_ITERATIONS && performance.now() < deadline; block++) {
    for (let k = 0; k < paths.length; k++) {
      const i = (block + k) % paths.length;
      for (let j = 0; j < RTT_BLOCK; j++) samples[i]!.push(await roundTrip(paths[i]!, payload));
    }
  }
  const s = samples.map(summarize);
  const raw = s[0]!;
  console.log(
    table(
      ['path', 'n', 'median ms', 'p99 ms', 'mean ms', 'median vs raw', 'p99 vs raw'],
      paths.map((p, i) => [p.name, String(s[i]!.n), fmt(s[i]!.median), fmt(s[i]!.p99), fmt(s[i]!.mean), ratio(s[i]!.median, raw.median), ratio(s[i]!.p99, raw.p99)]),
    ),
  );
  const crypto1k = await sealOpenMicros(RTT_BYTES, 5_000);
  console.log(`record layer alone (in-process): ${crypto1k.toFixed(1)} µs to seal + open ${RTT_BYTES} B; an end-to-end round trip does it twice`);
  const e2e = s[2]!;
  console.log(`end-to-end over plaintext relay at the median: +${fmt((e2e.median - s[1]!.median) * 1000, 0)} µs (real libraries), +${fmt((s[3]!.median - s[1]!.median) * 1000, 0)} µs (bare primitives)`);
  console.log(targetLine(e2e.median / raw.median <= TARGET_RTT, `end-to-end round trip ${(e2e.median / raw.median).toFixed(2)}× raw at the median (target ≤ ${TARGET_RTT}×)`));
  console.log('');
}

async function throughputs(paths: readonly EchoPath[]): Promise<void> {
  console.log(
    `2. echo throughput, ${TP_BYTES / 1024} KiB messages, ${TP_WINDOW} in flight, ${TP_ROUNDS} round(s) of ≤ ${TP_MESSAGES_PER_ROUND} messages / ${TP_ROUND_BUDGET_MS / 1000} s per path`,
  );
  const payload = asciiPayload(TP_BYTES);
  for (const p of paths) await throughput(p, payload, 50, TP_WINDOW, 5_000); // warm-up
  const totals = paths.map(() => ({ bytes: 0, ms: 0, rounds: [] as number[] }));
  for (let round = 0; round < TP_ROUNDS; round++) {
    for (let k = 0; k < paths.length; k++) {
      const i = (round + k) % paths.length;
      const r = await throughput(paths[i]!, payload, TP_MESSAGES_PER_ROUND, TP_WINDOW, TP_ROUND_BUDGET_MS);
      const t = totals[i]!;
      t.bytes += r.bytes;
      t.ms += r.ms;
      t.rounds.push(mibPerS(r.bytes, r.ms));
    }
  }
  const rate = totals.map((t) => mibPerS(t.bytes, t.ms));
  const raw = rate[0]!;
  console.log(
    table(
      ['path', 'MiB echoed', 'MiB/s', 'rounds MiB/s', 'vs raw'],
      paths.map((p, i) => [
        p.name,
        fmt(totals[i]!.bytes / 2 ** 20, 0),
        fmt(rate[i]!, 1),
        totals[i]!.rounds.map((x) => x.toFixed(0)).join(' / '),
        `${((rate[i]! / raw) * 100).toFixed(0)}%`,
      ]),
    ),
  );
  console.log('MiB/s counts payload bytes echoed back per second (each byte crosses every hop twice).');
  const crypto64k = await sealOpenMicros(TP_BYTES, 500);
  console.log(`record layer alone (in-process): ${((TP_BYTES / 2 ** 20) / (crypto64k / 1e6)).toFixed(0)} MiB/s seal + open of ${TP_BYTES / 1024} KiB messages`);
  const e2e = rate[2]!;
  console.log(targetLine(e2e / raw >= TARGET_TP, `end-to-end throughput ${((e2e / raw) * 100).toFixed(0)}% of raw (target ≥ ${TARGET_TP * 100}%)`));
  console.log('');
}

function mibPerS(bytes: number, ms: number): number {
  return bytes / 2 ** 20 / (ms / 1000);
}

/** One way to set up sessions: pair through a fresh link, or resume. */
interface SessionSetup {
  pair(link: string): Promise<void>;
  resume(): Promise<void>;
  newLink(): Promise<string>;
}

async function sessionSetup(real: SessionSetup, bare: SessionSetup): Promise<void> {
  console.log(`3. session set-up through the relay, ${SETUP_ITERATIONS} each after 3 warm-up`);
  const rows: string[][] = [];
  for (const [name, setup] of [
    ['real libraries', real],
    ['bare primitives', bare],
  ] as const) {
    const pairing: number[] = [];
    const resume: number[] = [];
    for (let i = 0; i < SETUP_ITERATIONS + 3; i++) {
      const link = await setup.newLink();
      const t0 = performance.now();
      await setup.pair(link);
      const t1 = performance.now();
      await setup.resume();
      const t2 = performance.now();
      if (i >= 3) {
        pairing.push(t1 - t0);
        resume.push(t2 - t1);
      }
    }
    const p = summarize(pairing);
    const r = summarize(resume);
    rows.push([`pairing (${name}): link → welcome`, String(p.n), fmt(p.median), fmt(p.p99), fmt(p.max)]);
    rows.push([`resume (${name}): connect → welcome`, String(r.n), fmt(r.median), fmt(r.p99), fmt(r.max)]);
  }
  console.log(table(['what', 'n', 'median ms', 'p99 ms', 'max ms'], rows));
  console.log('Each includes the WebSocket connect, relay routing, X25519, Ed25519 signatures and checks, and the first records;');
  console.log('the real host also checks its pairing code and writes the new device to its trusted-device file (pairing) or looks it up (resume).');
  console.log('');
}

/** The soft limit on open files of this process (inherited by the children). */
function openFileLimit(): number {
  try {
    const out = execSync('ulimit -n', { shell: '/bin/sh', encoding: 'utf8' }).trim();
    return out === 'unlimited' ? Number.POSITIVE_INFINITY : Number(out);
  } catch {
    return 1024;
  }
}

async function memory(): Promise<void> {
  const limit = openFileLimit();
  // Each session is one socket in the relay and one here; keep 200 spare descriptors.
  const fits = (n: number) => n + MEMORY_WARMUP_SESSIONS + 200 <= limit;
  const levels = MEMORY_LEVELS.filter(fits);
  console.log(`4. relay memory per idle session (ulimit -n = ${limit}; relay in a child process run with --expose-gc)`);
  for (const n of MEMORY_LEVELS.filter((x) => !fits(x))) {
    console.log(`   skipped ${n} sessions: needs ${n + MEMORY_WARMUP_SESSIONS + 200} open files; raise the limit first (e.g. \`ulimit -n 20000\`)`);
  }
  if (levels.length === 0) return;
  const relay = await startChild<{ url: string }>('relayBenchRelay.ts', [], ['--expose-gc']);
  const controllers: QueuedSocket[] = [];
  let host: QueuedSocket | undefined;
  try {
    const identity = generateIdentity();
    const hostId = idFromPublicKey(identity.publicKey);
    host = await registerRawHost(relay.ready.url, identity);
    let payloadsAtHost = 0;
    const hostWs = host.release();
    hostWs.on('message', (d: Buffer, isBinary: boolean) => {
      if (!isBinary) return;
      payloadsAtHost++;
      // Answer once per session (sid || one byte), as a live host's ServerHello would: the relay
      // keeps a session's handshake deadline until payloads have gone both ways.
      hostWs.send(Buffer.concat([d.subarray(0, 16), Buffer.of(2)]), { binary: true });
    });
    const openUpTo = async (total: number) => {
      const t0 = performance.now();
      while (controllers.length < total) {
        const batch = Math.min(OPEN_CONCURRENCY, total - controllers.length);
        const opened = await Promise.all(
          Array.from({ length: batch }, async () => {
            const { peer } = await connectController(relay.ready.url, hostId, toHex(crypto.getRandomValues(new Uint8Array(16))));
            // One payload: the session is past the relay's handshake deadline, as a live one is.
            peer.ws.send(Uint8Array.of(1));
            return peer;
          }),
        );
        controllers.push(...opened);
      }
      while (payloadsAtHost < total) await sleep(20);
      return performance.now() - t0;
    };
    await openUpTo(MEMORY_WARMUP_SESSIONS);
    await sleep(500);
    const base = await ask<RelayMemorySample>(relay.child, 'measure');
    const rows: string[][] = [['baseline', String(base.sessions), fmt(base.heapUsed / 2 ** 20, 1), fmt(base.rss / 2 ** 20, 1), '', '', '']];
    const results: { n: number; heap: number; rss: number }[] = [];
    for (const n of levels) {
      const ms = await openUpTo(MEMORY_WARMUP_SESSIONS + n);
      await sleep(1_000);
      const m = await ask<RelayMemorySample>(relay.child, 'measure');
      const added = m.sessions - base.sessions;
      const heap = (m.heapUsed - base.heapUsed) / added;
      const rss = (m.rss - base.rss) / added;
      results.push({ n, heap, rss });
      rows.push([`+${n} sessions`, String(m.sessions), fmt(m.heapUsed / 2 ** 20, 1), fmt(m.rss / 2 ** 20, 1), fmt(heap / 1024, 1), fmt(rss / 1024, 1), fmt(ms / 1000, 1)]);
    }
    console.log(table(['state', 'sessions', 'heap MiB', 'RSS MiB', 'heap KB/session', 'RSS KB/session', 'open s'], rows));
    console.log('Per-session figures are (reading − baseline) / sessions added; KB = 1024 bytes. Heap is after two full GCs; RSS also holds socket buffers and V8 reserve.');
    for (const r of results) {
      console.log(targetLine(r.heap <= TARGET_BYTES_PER_SESSION, `${r.n} idle sessions: ${(r.heap / 1024).toFixed(1)} KB heap per session (target ≤ 20 KB)`));
      console.log(targetLine(r.rss <= TARGET_BYTES_PER_SESSION, `${r.n} idle sessions: ${(r.rss / 1024).toFixed(1)} KB RSS per session (target ≤ 20 KB)`));
    }
  } finally {
    for (const c of controllers) c.ws.terminate();
    host?.ws.terminate();
    await stopChild(relay.child);
  }
}

/** Forks `bench/<file>` under tsx and resolves with its first IPC message. */
async function startChild<T>(file: string, args: string[], nodeArgs: string[]): Promise<{ child: ChildProcess; ready: T }> {
  const child = fork(fileURLToPath(new URL(`./${file}`, import.meta.url)), args, {
    execArgv: ['--import', 'tsx', ...nodeArgs],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = await new Promise<T>((resolve, reject) => {
    child.once('message', (m) => resolve(m as T));
    child.once('exit', (code) => reject(new Error(`${file} exited with ${code} before it was ready`)));
  });
  return { child, ready };
}

/** Sends `message` to a child and resolves with its next IPC message. */
function ask<T>(child: ChildProcess, message: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer to ${message} within 60 s`)), 60_000);
    child.once('message', (m) => {
      clearTimeout(timer);
      resolve(m as T);
    });
    child.send(message);
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.send('stop');
  await Promise.race([exited, sleep(5_000)]);
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

main().catch((err: unknown) => {
  console.error(`relay benchmark failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  process.exitCode = 1;
});
