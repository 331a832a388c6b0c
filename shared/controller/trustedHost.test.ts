import { describe, expect, it } from 'vitest';
import { generateIdentity, idFromPublicKey } from '../crypto/identity.js';
import { toB64u } from '../util/encoding.js';
import { parseTrustedHost } from './trustedHost.js';

describe('parseTrustedHost', () => {
  const key = generateIdentity().publicKey;
  const good = { hostId: idFromPublicKey(key), hostKey: toB64u(key), relay: 'wss://relay.example.com', name: 'Studio Mac' };

  it('accepts a consistent record', () => {
    expect(parseTrustedHost(good)).toEqual(good);
  });

  it('refuses a host id that is not the id of the key (no pinning of a swapped key)', () => {
    const other = generateIdentity().publicKey;
    expect(() => parseTrustedHost({ ...good, hostKey: toB64u(other) })).toThrow('trustedHost: hostId: does not match hostKey');
  });

  it('refuses plain ws:// to a public relay, unknown fields and bad names', () => {
    expect(() => parseTrustedHost({ ...good, relay: 'ws://relay.example.com' })).toThrow('trustedHost: relay');
    expect(() => parseTrustedHost({ ...good, extra: 1 })).toThrow('trustedHost: (root): Unrecognized key: "extra"');
    expect(() => parseTrustedHost({ ...good, name: '' })).toThrow('trustedHost: name');
  });
});
