import { describe, expect, it } from 'vitest';
import { Emitter } from '../../shared/util/lifecycle.js';
import { silentLogger } from '../../shared/util/logger.js';
import type { HostRelayState } from './hostRelayClient.js';
import { RelayRuntime, type EmbeddedRelayLike, type RelayClientLike } from './relayRuntime.js';

/** A relay client that only records what it was asked to do. */
function fakeClient(wsUrl: string, log: string[]): RelayClientLike {
  const changes = new Emitter<HostRelayState>();
  return {
    state: 'connecting',
    lastError: undefined,
    sessionCount: 0,
    onStateChange: (l) => changes.on(l),
    start: () => log.push(`client start ${wsUrl}`),
    dispose: async () => {
      log.push(`client stop ${wsUrl}`);
    },
  };
}

function runtime(embedded: Partial<EmbeddedRelayLike>, log: string[]): RelayRuntime {
  return new RelayRuntime({
    startEmbedded: async (listen) => {
      log.push(`embedded start ${listen}`);
      return { host: '127.0.0.1', port: 4567, dispose: async () => void log.push('embedded stop'), ...embedded };
    },
    createClient: (wsUrl) => fakeClient(wsUrl, log),
    logger: silentLogger,
  });
}

describe('the relay runtime', () => {
  it('registers with the embedded relay it started, over ws:// or, when that relay serves TLS, wss://', async () => {
    const log: string[] = [];
    const plain = runtime({}, log);
    expect((await plain.start({ kind: 'embedded', listen: '127.0.0.1:0' })).wsUrl).toBe('ws://127.0.0.1:4567');
    await plain.dispose();
    const tls = runtime({ tls: true }, log);
    expect((await tls.start({ kind: 'embedded', listen: '127.0.0.1:0' })).wsUrl).toBe('wss://127.0.0.1:4567');
    await tls.dispose();
    expect(log).toEqual([
      'embedded start 127.0.0.1:0',
      'client start ws://127.0.0.1:4567',
      'client stop ws://127.0.0.1:4567',
      'embedded stop',
      'embedded start 127.0.0.1:0',
      'client start wss://127.0.0.1:4567',
      'client stop wss://127.0.0.1:4567',
      'embedded stop',
    ]);
  });

  it('starts no embedded relay for a relay URL', async () => {
    const log: string[] = [];
    const r = runtime({}, log);
    expect((await r.start({ kind: 'url', url: 'wss://relay.example.com' })).wsUrl).toBe('wss://relay.example.com');
    await r.dispose();
    expect(log).toEqual(['client start wss://relay.example.com', 'client stop wss://relay.example.com']);
  });
});
