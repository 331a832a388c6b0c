/**
 * The relay unit tests' one setup (code-review §5.3): `useRelay()` registers the `afterEach` that
 * terminates every peer the test opened and closes the relay, and returns helpers that start a
 * relay and open tracked peers against it. Also the two waits the tests share.
 */
import { afterEach } from 'vitest';
import type { Identity } from '../../shared/crypto/identity.js';
import type { RelayOptions } from '../server/limits.js';
import { startRelay, type Relay } from '../server/relayServer.js';
import { openTestSession, registerTestHost, TestPeer, type TestHost, type TestSession } from './relayTestClient.js';

export interface RelayFixture {
  /** Starts the relay of this test (`defaults` overridden by `options`). */
  start(options?: RelayOptions): Promise<Relay>;
  /** The relay `start` returned; throws before that. */
  readonly relay: Relay;
  /** A raw peer on `path` (e.g. `/v1/host`), closed after the test. */
  connect(path: string, headers?: Record<string, string>): Promise<TestPeer>;
  /** A registered host, closed after the test. */
  host(identity?: Identity): Promise<TestHost>;
  /** A controller session of `host` (its `open` and `ready` consumed), closed after the test. */
  session(host: TestHost, deviceId?: string): Promise<TestSession>;
  /** Closes `peer` after the test. */
  track<P extends TestPeer>(peer: P): P;
}

/** Call once at the top of a test file (or a `describe`). */
export function useRelay(defaults: RelayOptions = {}): RelayFixture {
  let current: Relay | undefined;
  const peers: TestPeer[] = [];
  afterEach(async () => {
    for (const p of peers.splice(0)) p.ws.terminate();
    await current?.dispose();
    current = undefined;
  });
  const fixture: RelayFixture = {
    async start(options = {}) {
      current = await startRelay({ ...defaults, ...options });
      return current;
    },
    get relay() {
      if (!current) throw new Error('useRelay: start() the relay first');
      return current;
    },
    track(peer) {
      peers.push(peer);
      return peer;
    },
    async connect(path, headers = {}) {
      return fixture.track(await TestPeer.connect(`${fixture.relay.url}${path}`, headers));
    },
    async host(identity) {
      const h = await registerTestHost(fixture.relay.url, identity);
      fixture.track(h.peer);
      return h;
    },
    async session(host, deviceId) {
      const s = await openTestSession(fixture.relay.url, host, deviceId);
      fixture.track(s.controller);
      return s;
    },
  };
  return fixture;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `done` every 10 ms; rejects after `timeoutMs`. */
export async function waitFor(done: () => boolean, timeoutMs = 5_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`waitFor: timed out waiting for ${what}`);
    await sleep(10);
  }
}
