import { ed25519 } from '@noble/curves/ed25519.js';
import { describe, expect, it } from 'vitest';
import { concatBytes, toB64u, toHex } from '../util/encoding.js';
import { generateIdentity, identityFromSeed, idFromPublicKey, sign, signRegister, verify, verifyRegister } from './identity.js';
import { LABEL_REGISTER } from './labels.js';
import { V } from '../testing/vectors.js';

describe('identities reproduce the spec vectors', () => {
  it('host and device keys and ids', () => {
    const host = identityFromSeed(V.hostSeed);
    const device = identityFromSeed(V.deviceSeed);
    expect([toHex(host.publicKey), idFromPublicKey(host.publicKey)]).toEqual([toHex(V.hostKey), V.hostId]);
    expect([toHex(device.publicKey), idFromPublicKey(device.publicKey)]).toEqual([toHex(V.deviceKey), V.deviceId]);
  });

  it('the register signature over L || " register" || nonce', () => {
    const host = identityFromSeed(V.hostSeed);
    expect(toHex(signRegister(host, V.registerNonce))).toBe(toHex(V.registerSig));
    expect(verifyRegister(V.hostKey, V.registerNonce, V.registerSig)).toBe(true);
    expect(toHex(sign(host, concatBytes(LABEL_REGISTER, V.registerNonce)))).toBe(toHex(V.registerSig));
  });

  it('ClientAuth in the vectors carries the device key in base64url', () => {
    expect(V.pair.clientAuthJson).toContain(`"deviceKey":"${toB64u(V.deviceKey)}"`);
  });
});

describe('verify', () => {
  it('rejects a wrong nonce, a flipped signature bit, another key and bad lengths', () => {
    const other = new Uint8Array(V.registerNonce).fill(0x89);
    expect(verifyRegister(V.hostKey, other, V.registerSig)).toBe(false);
    const flipped = V.registerSig.slice();
    flipped[10]! ^= 1;
    expect(verifyRegister(V.hostKey, V.registerNonce, flipped)).toBe(false);
    expect(verifyRegister(V.deviceKey, V.registerNonce, V.registerSig)).toBe(false);
    expect(verifyRegister(V.hostKey.subarray(1), V.registerNonce, V.registerSig)).toBe(false);
    expect(verifyRegister(V.hostKey, V.registerNonce, V.registerSig.subarray(1))).toBe(false);
  });

  it('rejects a malleated signature (S replaced by S + L)', () => {
    const msg = new Uint8Array([1, 2, 3]);
    const id = generateIdentity();
    const sig = sign(id, msg);
    const L = 2n ** 252n + 27742317777372353535851937790883648493n;
    let s = 0n;
    for (let i = 31; i >= 0; i--) s = (s << 8n) | BigInt(sig[32 + i]!);
    let t = s + L;
    const mall = sig.slice();
    for (let i = 0; i < 32; i++) {
      mall[32 + i] = Number(t & 0xffn);
      t >>= 8n;
    }
    expect(verify(id.publicKey, msg, sig)).toBe(true);
    expect(verify(id.publicKey, msg, mall)).toBe(false);
  });

  it('rejects a small-order public key even with a signature that satisfies the equation', () => {
    // The identity point (order 1): with R = identity and S = 0, the cofactored equation holds for every message.
    const identityPoint = ed25519.Point.ZERO.toBytes();
    const sig = concatBytes(identityPoint, new Uint8Array(32));
    expect(ed25519.verify(sig, new Uint8Array([7]), identityPoint)).toBe(true); // noble's default accepts it
    expect(verify(identityPoint, new Uint8Array([7]), sig)).toBe(false);
  });
});
