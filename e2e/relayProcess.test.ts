/**
 * The standalone relay process's limits and restart behaviour with real processes (docs/relay.md
 * "Limits"): an oversize frame → 1009, one session over the per-host limit → 4429, a silent
 * handshake closed after 10 s, and a relay restart after which the host re-registers and a
 * live controller reconnects by itself.
 */
import { describe, expect, it } from 'vitest';
import { completeTestHandshake, TestPeer, openTestSession, registerTestHost } from '../relay/testing/relayTestClient.js';
import { pair } from '../shared/controller/index.js';
import type { RpcConnection } from '../shared/rpc/connection.js';
import { initialize } from './fixtures/appServer.js';
import { testPhone } from './fixtures/controller.js';
import { useStack } from './fixtures/stack.js';

const RELAY_ARGS = ['--max-sessions-per-host', '2'];

describe('relay process limits', () => {
  const stack = useStack({ label: 'relay-proc', relay: 'process', relayArgs: RELAY_ARGS });

  it('closes a connection that sends an oversize frame with 1009', async () => {
    const raw = await registerTestHost(stack.relay.url);
    stack.track(raw.peer.ws);
    const { controller } = await openTestSession(stack.relay.url, raw);
    stack.track(controller.ws);
    controller.ws.send(Buffer.alloc(1024 * 1024 + 1), { binary: true });
    expect((await controller.waitClosed(5000)).code).toBe(1009);
  });

  it('refuses one session over the per-host limit with 4429', async () => {
    const raw = await registerTestHost(stack.relay.url);
    stack.track(raw.peer.ws);
    // Established sessions: a pending one would be dropped to make room for the third.
    for (let i = 0; i < 2; i++) {
      const session = await openTestSession(stack.relay.url, raw);
      stack.track(session.controller.ws);
      await completeTestHandshake(raw, session);
    }
    const third = await TestPeer.connect(`${stack.relay.url}/v1/connect?host=${raw.hostId}&device=${'ab'.repeat(16)}`);
    stack.track(third.ws);
    expect(await third.waitClosed(5000)).toEqual({ code: 4429, reason: 'too many sessions' });
  });

  // The production deadline (10 s, not configurable on the command line), waited out once here;
  // relay/server/relayLimits.integration.test.ts checks the rule with a short one.
  it('closes a controller that never starts its handshake after 10 s', async () => {
    const silent = await TestPeer.connect(`${stack.relay.url}/v1/connect?host=${stack.host.hostId}&device=${'cd'.repeat(16)}`);
    stack.track(silent.ws);
    const started = Date.now();
    const closed = await silent.waitClosed(15_000);
    expect(closed.code).toBe(4408);
    expect(Date.now() - started).toBeGreaterThanOrEqual(9_000);
  }, 20_000);
});

// Restarting the relay would cut the sessions of the tests above: this one has a stack of its own.
describe('relay restart', () => {
  const stack = useStack({ label: 'relay-restart', relay: 'process', relayArgs: RELAY_ARGS });

  it('the host re-registers and a live controller reconnects', async () => {
    const { session } = await pair(await stack.pairLink(), testPhone('Roaming Phone').deps, { reconnect: { initialMs: 200, maxMs: 1000 } });
    stack.track(session);
    await initialize(session.rpc, 'roaming');
    const reconnected = new Promise<RpcConnection>((resolve) => session.onReconnected(resolve));
    const relay = await stack.restartRelay();
    const rpc = await stack.within(30_000, reconnected, 'reconnect');
    expect(session.state).toBe('open');
    await initialize(rpc, 'roaming');
    await expect(rpc.request('host/info')).resolves.toMatchObject({ hostId: stack.host.hostId, relay: relay.url });
  }, 60_000);
});
