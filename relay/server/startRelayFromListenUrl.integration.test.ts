/** `startRelayFromListenUrl` on a real loopback port (the URL parsing is unit-tested in parseListenUrl.test.ts). */
import { afterEach, describe, expect, it } from 'vitest';
import type { Relay } from './relayServer.js';
import { startRelayFromListenUrl } from './startRelayFromListenUrl.js';

let relay: Relay | undefined;
afterEach(async () => {
  await relay?.dispose();
  relay = undefined;
});

describe('startRelayFromListenUrl', () => {
  it('starts a relay on the given loopback address', async () => {
    relay = await startRelayFromListenUrl('ws://127.0.0.1:0');
    expect(relay.url).toMatch(/^ws:\/\/127\.0\.0\.1:[1-9]\d*$/);
    expect((await fetch(`${relay.httpUrl}/healthz`)).status).toBe(200);
  });
});
