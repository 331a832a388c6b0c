import { describe, expect, it } from 'vitest';
import { relayAddressForBind, relayAddressFromUrl } from './relayAddress.js';

describe('relay addresses for pairing links', () => {
  it('derives the link origin from the relay URL', () => {
    expect(relayAddressFromUrl('wss://relay.example.com/')).toEqual({ wsUrl: 'wss://relay.example.com', httpOrigin: 'https://relay.example.com' });
    expect(relayAddressFromUrl('ws://192.168.1.5:8787')).toEqual({ wsUrl: 'ws://192.168.1.5:8787', httpOrigin: 'http://192.168.1.5:8787' });
    expect(relayAddressForBind('127.0.0.1', 7000)).toEqual({ wsUrl: 'ws://127.0.0.1:7000', httpOrigin: 'http://127.0.0.1:7000' });
  });

  it('refuses, with a clear reason, relays a phone could not pair through', () => {
    expect(() => relayAddressFromUrl('ws://relay.example.com')).toThrow(/^--relay: the relay address ws:\/\/relay\.example\.com .*put the relay behind TLS and use --relay wss:\/\/…\)$/);
    expect(() => relayAddressFromUrl('wss://relay.example.com/path')).toThrow(/no path/);
    expect(() => relayAddressFromUrl('ftp://x')).toThrow(/unsupported scheme ftp:/);
    expect(() => relayAddressForBind('8.8.8.8', 7000)).toThrow(/^--relay-listen: the relay address ws:\/\/8\.8\.8\.8:7000/);
  });
});
