/**
 * The relay of `bench/relayBench.ts`, in its own process (so its heap and RSS are its own, and
 * so it has its own event loop as in a deployment). Rate limits and session caps are raised
 * because every benchmark client comes from 127.0.0.1.
 *
 * IPC: sends `{ url, httpUrl }` when listening; answers `'measure'` with a `RelayMemorySample`
 * after two full GCs (run with `--expose-gc`); exits on `'stop'` or when the parent goes away.
 */
import { startRelay } from '../relay/server/relayServer.js';

/** One memory reading of the relay process. */
export interface RelayMemorySample {
  readonly heapUsed: number;
  readonly rss: number;
  readonly external: number;
  readonly sessions: number;
  readonly connections: number;
}

/** Sessions the memory benchmark may open, with room for the other clients. */
export const RELAY_BENCH_MAX_SESSIONS = 20_000;

async function main(): Promise<void> {
  const send = process.send?.bind(process);
  if (!send) throw new Error('relayBenchRelay: must be started with an IPC channel');
  const unlimited = { burst: 1e6, perSecond: 1e6 };
  const relay = await startRelay({
    connectionRate: unlimited,
    handshakeRate: unlimited,
    maxSessionsPerHost: RELAY_BENCH_MAX_SESSIONS,
    maxConnections: RELAY_BENCH_MAX_SESSIONS + 100,
    maxSockets: RELAY_BENCH_MAX_SESSIONS + 1_000,
    // The benchmark's sessions never finish a real handshake: let them all stay pending.
    maxPendingSessionsPerHost: RELAY_BENCH_MAX_SESSIONS,
    maxPendingSocketsPerAddress: 1_000,
    // Every controller of this benchmark comes from 127.0.0.1.
    maxConnectionsPerAddress: RELAY_BENCH_MAX_SESSIONS + 100,
    // Opening 10 000 sessions takes a while; each controller sends its first payload right after
    // `ready`, but a loaded 2-core machine should not turn that into handshake timeouts.
    sessionHandshakeTimeoutMs: 60_000,
  });
  const gc = (globalThis as { gc?: () => void }).gc;
  const stop = () => void relay.dispose().then(() => process.exit(0));
  process.on('disconnect', stop);
  process.on('message', (m) => {
    if (m === 'stop') return stop();
    if (m !== 'measure') return;
    gc?.();
    gc?.();
    const mem = process.memoryUsage();
    const stats = relay.stats();
    const sample: RelayMemorySample = { heapUsed: mem.heapUsed, rss: mem.rss, external: mem.external, sessions: stats.sessions, connections: stats.connections };
    send(sample);
  });
  send({ url: relay.url, httpUrl: relay.httpUrl });
}

main().catch((err: unknown) => {
  process.stderr.write(`relayBenchRelay: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
