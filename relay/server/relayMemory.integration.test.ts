import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { completeTestHandshake, openTestSession, registerTestHost, type TestSession } from '../testing/relayTestClient.js';

// The relay runs in its own process so its heap is measured without the test's clients.
const RELAY_MODULE = fileURLToPath(new URL('./relayServer.ts', import.meta.url));
const CHILD = `
const { startRelay } = await import(${JSON.stringify(RELAY_MODULE)});
const unlimited = { burst: 1e6, perSecond: 1e6 };
const relay = await startRelay({
  handshakeRate: unlimited,
  connectionRate: unlimited,
  maxSessionsPerHost: 10000,
  maxConnectionsPerAddress: 100000,
  sessionHandshakeTimeoutMs: 600000,
});
process.on('message', () => {
  globalThis.gc(); globalThis.gc();
  process.send({ heapUsed: process.memoryUsage().heapUsed, stats: relay.stats() });
});
process.send({ url: relay.url });
`;

let child: ChildProcess | undefined;
afterEach(() => {
  child?.kill();
  child = undefined;
});

describe('relay memory', () => {
  it('holds an idle session in well under 20 KB of heap', async () => {
    child = spawn(process.execPath, ['--import', 'tsx', '--expose-gc', '--input-type=module', '-e', CHILD], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const proc = child;
    const exited = new Promise<never>((_, reject) => proc.once('exit', (code) => reject(new Error(`relay child exited with ${code}`))));
    const next = () =>
      Promise.race([new Promise<Record<string, unknown>>((resolve) => proc.once('message', (m) => resolve(m as Record<string, unknown>))), exited]);
    const { url } = (await next()) as { url: string };
    const host = await registerTestHost(url);
    const sessions: TestSession[] = [];
    // Each session finishes its handshake, so it is established: past its deadline and never
    // dropped to make room for a newer pending one.
    const established = async () => {
      const s = await openTestSession(url, host);
      await completeTestHandshake(host, s);
      sessions.push(s);
    };
    for (let i = 0; i < 20; i++) await established(); // warm-up
    proc.send('measure');
    const before = (await next()) as { heapUsed: number };
    const n = 500;
    for (let i = 0; i < n; i++) await established();
    proc.send('measure');
    const after = (await next()) as { heapUsed: number; stats: { sessions: number } };
    expect(after.stats.sessions).toBe(n + 20);
    const perSession = (after.heapUsed - before.heapUsed) / n;
    expect(perSession).toBeLessThan(20 * 1024);
    for (const s of sessions) s.controller.ws.terminate();
    host.peer.ws.terminate();
  }, 60_000);
});
