import { afterEach, describe, expect, it } from 'vitest';
import { parseListenUrl } from './parseListenUrl.js';
import type { Relay } from './relayServer.js';
import { startRelayFromListenUrl } from './startRelayFromListenUrl.js';

let relay: Relay | undefined;
afterEach(async () => {
  await relay?.close();
  relay = undefined;
});

describe('parseListenUrl', () => {
  it.each([
    ['ws://127.0.0.1:8787', { host: '127.0.0.1', port: 8787, isLoopback: true }],
    ['ws://127.0.0.1:0/', { host: '127.0.0.1', port: 0, isLoopback: true }],
    ['ws://[::1]:80', { host: '::1', port: 80, isLoopback: true }],
    ['ws://0.0.0.0:9000', { host: '0.0.0.0', port: 9000, isLoopback: false }],
  ])('parses %s', (url, expected) => {
    expect(parseListenUrl(url)).toEqual(expected);
  });

  it.each([
    ['wss://127.0.0.1:1', /only ws:\/\//],
    ['http://127.0.0.1:1', /only ws:\/\//],
    ['ws://localhost:1', /must be an IP address/],
    ['ws://127.0.0.1', /port is required/],
    ['ws://127.0.0.1:99999', /expected ws:\/\/IP:PORT/],
    ['ws://127.0.0.1:1/path', /no path/],
    ['ws://u:p@127.0.0.1:1', /no path, query or credentials/],
    ['127.0.0.1:1', /expected ws:\/\/IP:PORT/],
  ])('rejects %s', (url, message) => {
    expect(() => parseListenUrl(url)).toThrow(message);
  });
});

describe('startRelayFromListenUrl', () => {
  it('starts a relay on the given loopback address', async () => {
    relay = await startRelayFromListenUrl('ws://127.0.0.1:0');
    expect(relay.url).toMatch(/^ws:\/\/127\.0\.0\.1:[1-9]\d*$/);
    expect((await fetch(`${relay.httpUrl}/healthz`)).status).toBe(200);
  });

  it('rejects invalid limits before binding', async () => {
    await expect(startRelayFromListenUrl('ws://127.0.0.1:0', { maxFrameBytes: -1 })).rejects.toThrow(/^startRelay: options: maxFrameBytes/);
    await expect(startRelayFromListenUrl('ws://127.0.0.1:0', { pingIntervalMs: 5000, idleTimeoutMs: 5000 })).rejects.toThrow(/idleTimeoutMs must be greater/);
  });
});
