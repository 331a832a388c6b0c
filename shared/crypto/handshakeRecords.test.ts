import { describe, expect, it } from 'vitest';
import { fromUtf8, toB64u, utf8 } from '../util/encoding.js';
import { encodeHostFirst, parseClientAuth, parseHostFirst } from './handshakeRecords.js';
import { ProtocolError } from './protocolError.js';
import { V } from '../testing/vectors.js';

const authJson = JSON.parse(V.pair.clientAuthJson) as Record<string, unknown>;
const welcomeJson = JSON.parse(V.pair.welcomeJson) as { t: string; host: Record<string, unknown>; device: Record<string, unknown> };

function authWith(edit: (j: Record<string, unknown>) => void): Uint8Array {
  const j = { ...authJson };
  edit(j);
  return utf8(JSON.stringify(j));
}

function failure(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof ProtocolError && e.closeCode === 4400) return e.message;
    throw e;
  }
  return 'accepted';
}

describe('ClientAuth parsing', () => {
  it('accepts the vector ClientAuth', () => {
    expect(parseClientAuth(utf8(V.pair.clientAuthJson))).toMatchObject({ name: 'Test Phone', platform: 'ios', kind: 'phone' });
  });

  const cases: Array<[string, Uint8Array, RegExp]> = [
    ['an unknown field', authWith((j) => (j.admin = true)), /Unrecognized key/i],
    ['a missing signature', authWith((j) => delete j.sig), /sig/],
    ['a 31-byte device key', authWith((j) => (j.deviceKey = toB64u(V.deviceKey.subarray(1)))), /deviceKey/],
    ['a non-canonical device key', authWith((j) => (j.deviceKey = `${(j.deviceKey as string).slice(0, 42)}1`)), /deviceKey/],
    ['an unknown platform', authWith((j) => (j.platform = 'beos')), /platform/],
    ['an unknown kind', authWith((j) => (j.kind = 'watch')), /kind/],
    ['a 65-character name', authWith((j) => (j.name = 'n'.repeat(65))), /name/],
    ['a name with a control character', authWith((j) => (j.name = 'a\u0007b')), /name/],
    ['t other than auth', authWith((j) => (j.t = 'welcome')), /t/],
    ['more than 4 KiB', utf8(`${V.pair.clientAuthJson}${' '.repeat(4096)}`), /exceeds 4096/],
    ['invalid UTF-8', Uint8Array.of(0x7b, 0xff, 0x7d), /invalid UTF-8/],
    ['not JSON', utf8('{"t":'), /invalid JSON/],
  ];
  for (const [name, bytes, pattern] of cases) {
    it(`rejects ${name} with 4400`, () => {
      expect(failure(() => parseClientAuth(bytes))).toMatch(pattern);
    });
  }
});

describe('welcome / denied parsing', () => {
  it('accepts the vector welcome and every denied reason', () => {
    expect(parseHostFirst(utf8(V.pair.welcomeJson))).toEqual(welcomeJson);
    for (const reason of ['revoked', 'unknown_device', 'used', 'bad_signature'] as const) {
      const bytes = encodeHostFirst({ t: 'denied', reason });
      expect(fromUtf8(bytes)).toBe(`{"t":"denied","reason":"${reason}"}`);
      expect(parseHostFirst(bytes)).toEqual({ t: 'denied', reason });
    }
  });

  it('rejects unknown reasons, unknown fields and malformed ids', () => {
    expect(failure(() => parseHostFirst(utf8('{"t":"denied","reason":"nope"}')))).toMatch(/reason/);
    expect(failure(() => parseHostFirst(utf8(JSON.stringify({ ...welcomeJson, extra: 1 }))))).toMatch(/Unrecognized key/i);
    expect(failure(() => parseHostFirst(utf8(JSON.stringify({ ...welcomeJson, host: { ...welcomeJson.host, id: 'XYZ' } }))))).toMatch(/host\.id/);
    expect(failure(() => parseHostFirst(utf8('{"t":"hello"}')))).toMatch(/t/);
  });
});
