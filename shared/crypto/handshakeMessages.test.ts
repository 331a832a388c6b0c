import { describe, expect, it } from 'vitest';
import { toHex } from '../util/encoding.js';
import { encodeClientHello, encodeServerHello, parseClientHello, parseServerHello } from './handshakeMessages.js';
import { ephemeralKeyPair } from './keySchedule.js';
import { ProtocolError } from './protocolError.js';
import { V } from '../testing/vectors.js';

function reasonOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof ProtocolError && e.closeCode === 4400) return e.reason;
    throw e;
  }
  return 'accepted';
}

function patched(bytes: Uint8Array, index: number, value: number): Uint8Array {
  const out = bytes.slice();
  out[index] = value;
  return out;
}

describe('ClientHello', () => {
  it('encodes the vector ClientHellos from their fields', () => {
    const clientEph = ephemeralKeyPair(V.clientEphPriv).publicKey;
    expect(toHex(encodeClientHello({ mode: 'pair', clientEph, clientNonce: V.clientNonce, pairId: V.pairId }))).toBe(toHex(V.pair.clientHello));
    expect(toHex(encodeClientHello({ mode: 'resume', clientEph, clientNonce: V.clientNonce, pairId: new Uint8Array(8) }))).toBe(toHex(V.resume.clientHello));
  });

  it('parses the vector ClientHellos back into the same fields', () => {
    const hello = parseClientHello(V.pair.clientHello);
    expect({ mode: hello.mode, nonce: toHex(hello.clientNonce), pairId: toHex(hello.pairId) }).toEqual({ mode: 'pair', nonce: toHex(V.clientNonce), pairId: toHex(V.pairId) });
    expect(parseClientHello(V.resume.clientHello).mode).toBe('resume');
  });

  it('rejects every deviation with a 4400 reason', () => {
    const h = V.pair.clientHello;
    expect(reasonOf(() => parseClientHello(h.subarray(0, 74)))).toBe('bad_hello');
    expect(reasonOf(() => parseClientHello(new Uint8Array([...h, 0])))).toBe('bad_hello');
    expect(reasonOf(() => parseClientHello(patched(h, 0, 0x02)))).toBe('unexpected_message');
    expect(reasonOf(() => parseClientHello(patched(h, 1, 0x02)))).toBe('bad_version');
    expect(reasonOf(() => parseClientHello(patched(h, 2, 0x03)))).toBe('bad_hello');
    expect(reasonOf(() => parseClientHello(patched(h, 2, 0x00)))).toBe('bad_hello');
    expect(reasonOf(() => parseClientHello(patched(V.resume.clientHello, 74, 1)))).toBe('bad_hello');
    expect(reasonOf(() => parseClientHello(new Uint8Array(0)))).toBe('unexpected_message');
  });

  it('refuses to encode a resume hello with a pairId', () => {
    expect(() => encodeClientHello({ mode: 'resume', clientEph: new Uint8Array(32), clientNonce: V.clientNonce, pairId: V.pairId })).toThrow(/zero in resume mode/);
  });
});

describe('ServerHello', () => {
  it('round-trips the vector ServerHellos', () => {
    for (const v of [V.pair, V.resume]) {
      const hello = parseServerHello(v.serverHello);
      expect(toHex(hello.hostNonce)).toBe(toHex(V.hostNonce));
      expect(toHex(encodeServerHello(hello))).toBe(toHex(v.serverHello));
    }
  });

  it('rejects every deviation with a 4400 reason', () => {
    const h = V.pair.serverHello;
    expect(reasonOf(() => parseServerHello(h.subarray(0, 129)))).toBe('bad_hello');
    expect(reasonOf(() => parseServerHello(new Uint8Array([...h, 0])))).toBe('bad_hello');
    expect(reasonOf(() => parseServerHello(patched(h, 0, 0x01)))).toBe('unexpected_message');
    expect(reasonOf(() => parseServerHello(patched(h, 1, 0x00)))).toBe('bad_version');
  });
});
