import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../util/encoding.js';
import { parseClientHello, parseServerHello } from './handshakeMessages.js';
import { deriveSessionKeys, ephemeralKeyPair, transcriptHash, x25519SharedSecret } from './keySchedule.js';
import { ProtocolError } from './protocolError.js';
import { V } from '../testing/vectors.js';

describe('key schedule reproduces the spec vectors', () => {
  for (const mode of ['pair', 'resume'] as const) {
    const v = V[mode];
    it(`${mode}: transcript hash, X25519 shared secret and both direction keys`, () => {
      const server = parseServerHello(v.serverHello);
      const client = parseClientHello(v.clientHello);
      expect(toHex(transcriptHash(V.sid, v.clientHello, V.hostKey, server.hostEph, server.hostNonce))).toBe(toHex(v.transcriptHash));
      expect(toHex(ephemeralKeyPair(V.clientEphPriv).publicKey)).toBe(toHex(client.clientEph));
      expect(toHex(ephemeralKeyPair(V.hostEphPriv).publicKey)).toBe(toHex(server.hostEph));
      const dhClient = x25519SharedSecret(V.clientEphPriv, server.hostEph);
      const dhHost = x25519SharedSecret(V.hostEphPriv, client.clientEph);
      expect(toHex(dhClient)).toBe(toHex(v.x25519Shared));
      expect(toHex(dhHost)).toBe(toHex(v.x25519Shared));
      const keys = deriveSessionKeys(dhClient, v.transcriptHash, mode === 'pair' ? V.secret : undefined);
      expect({ c2h: toHex(keys.c2h), h2c: toHex(keys.h2c) }).toEqual({ c2h: toHex(v.keyC2h), h2c: toHex(v.keyH2c) });
    });
  }

  it('the pairing secret changes both keys (pair and resume differ only by it here)', () => {
    const a = deriveSessionKeys(V.pair.x25519Shared, V.pair.transcriptHash, V.secret);
    const b = deriveSessionKeys(V.pair.x25519Shared, V.pair.transcriptHash, new Uint8Array(32));
    expect(toHex(a.c2h)).not.toBe(toHex(b.c2h));
    expect(toHex(a.h2c)).not.toBe(toHex(b.h2c));
  });
});

describe('X25519 rejects low-order peer keys', () => {
  // Every u-coordinate of order 1, 2, 4 or 8 on curve25519 and its twist, and non-canonical
  // encodings of them (p, p+1, and the ignored high bit set).
  const lowOrder: Record<string, string> = {
    zero: '0000000000000000000000000000000000000000000000000000000000000000',
    one: '0100000000000000000000000000000000000000000000000000000000000000',
    'p-1 (order 4)': 'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
    'order 8 (a)': 'e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800',
    'order 8 (b)': '5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157',
    'p (= zero)': 'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
    'p+1 (= one)': 'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
    'zero with high bit': '0000000000000000000000000000000000000000000000000000000000000080',
    'order 8 (a) with high bit': 'e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b880',
  };
  for (const [name, hex] of Object.entries(lowOrder)) {
    it(`rejects ${name} with 4400 bad_key_share`, () => {
      let error: unknown;
      try {
        x25519SharedSecret(V.clientEphPriv, fromHex(hex));
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ProtocolError);
      expect(error).toMatchObject({ closeCode: 4400, reason: 'bad_key_share' });
    });
  }

  it('rejects a key share of the wrong length', () => {
    expect(() => x25519SharedSecret(V.clientEphPriv, new Uint8Array(31).fill(9))).toThrow(ProtocolError);
  });
});
