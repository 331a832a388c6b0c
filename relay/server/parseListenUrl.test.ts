import { describe, expect, it } from 'vitest';
import { parseListenUrl, parseRelayListen } from './parseListenUrl.js';
import { startRelayFromListenUrl } from './startRelayFromListenUrl.js';

describe('parseListenUrl', () => {
  it.each([
    ['ws://127.0.0.1:8787', { host: '127.0.0.1', family: 'ipv4', port: 8787 }],
    ['ws://127.0.0.1:0/', { host: '127.0.0.1', family: 'ipv4', port: 0 }],
    ['ws://[::1]:80', { host: '::1', family: 'ipv6', port: 80 }],
    ['ws://0.0.0.0:9000', { host: '0.0.0.0', family: 'ipv4', port: 9000 }],
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

describe('parseRelayListen', () => {
  it('parses the embedded relay\'s IP:PORT and names the flag in errors', () => {
    expect(parseRelayListen('127.0.0.1:0')).toEqual({ host: '127.0.0.1', family: 'ipv4', port: 0 });
    expect(parseRelayListen('[::1]:8787')).toEqual({ host: '::1', family: 'ipv6', port: 8787 });
    expect(() => parseRelayListen('127.0.0.1')).toThrow('--relay-listen: a port is required (IP:PORT)');
    expect(() => parseRelayListen('ws://127.0.0.1:1')).toThrow('--relay-listen: expected IP:PORT without a scheme');
    expect(() => parseRelayListen('my-laptop:1')).toThrow('--relay-listen: the host must be an IP address');
  });
});

describe('startRelayFromListenUrl', () => {
  // In the unit tier a bind would fail the test (scripts/unit-tier-guard.ts): "before binding" is checked.
  it('rejects invalid limits before binding', async () => {
    await expect(startRelayFromListenUrl('ws://127.0.0.1:0', { maxFrameBytes: -1 })).rejects.toThrow(/^startRelay: options: maxFrameBytes/);
    await expect(startRelayFromListenUrl('ws://127.0.0.1:0', { pingIntervalMs: 5000, idleTimeoutMs: 5000 })).rejects.toThrow(/idleTimeoutMs must be greater/);
  });
});
