import { describe, expect, it } from 'vitest';
import { fromB64u, fromUtf8, toB64u, toHex, utf8 } from '../util/encoding.js';
import { generateIdentity } from '../crypto/identity.js';
import { encodePairingLink, pairIdFromSecret, PairingLinkError, parsePairingLink } from './pairingLink.js';
import { V } from '../testing/vectors.js';

const ORIGIN = 'https://relay.example.test';
const fields = { relay: 'wss://relay.example.test', hostKey: V.hostKey, secret: V.secret, exp: 1893456000, name: 'Test Host' };

/** A link whose JSON is `json` (edited from the vector's). */
function linkWith(edit: (json: Record<string, unknown>) => void): string {
  const json = JSON.parse(V.linkJson) as Record<string, unknown>;
  edit(json);
  return `${ORIGIN}/pair#p=${toB64u(utf8(JSON.stringify(json)))}`;
}

function errorOf(text: string, nowMs = V.linkNowMs): { field: string; problem: string; message: string } {
  try {
    parsePairingLink(text, nowMs);
  } catch (e) {
    if (e instanceof PairingLinkError) return { field: e.field, problem: e.problem, message: e.message };
    throw e;
  }
  throw new Error('link was accepted');
}

describe('pairing link vectors', () => {
  it('encodes the vector link and its JSON byte for byte', () => {
    const url = encodePairingLink(fields, ORIGIN);
    expect(url).toBe(V.linkUrl);
    expect(fromUtf8(fromB64u(url.split('#p=')[1]!))).toBe(V.linkJson);
  });

  it('tolerates one trailing slash on the origin', () => {
    expect(encodePairingLink(fields, `${ORIGIN}/`)).toBe(V.linkUrl);
  });

  it('parses the vector link (with surrounding whitespace) into its fields', () => {
    const link = parsePairingLink(`  ${V.linkUrl}\n`, V.linkNowMs);
    expect({ ...link, hostKey: toHex(link.hostKey), secret: toHex(link.secret) }).toEqual({
      relay: 'wss://relay.example.test',
      hostId: V.hostId,
      hostKey: toHex(V.hostKey),
      secret: toHex(V.secret),
      exp: 1893456000,
      name: 'Test Host',
    });
  });

  it('derives the vector pairId from the secret', () => {
    expect(toHex(pairIdFromSecret(V.secret))).toBe(toHex(V.pairId));
  });
});

describe('pairing link errors name the field', () => {
  const cases: Array<[string, string, string, string]> = [
    ['v is 2', linkWith((j) => (j.v = 2)), 'v', 'invalid'],
    ['v missing', linkWith((j) => delete j.v), 'v', 'missing'],
    ['relay is https', linkWith((j) => (j.relay = 'https://relay.example.test')), 'relay', 'invalid'],
    ['relay is ws:// to a public host', linkWith((j) => (j.relay = 'ws://relay.example.test')), 'relay', 'invalid'],
    ['relay has a query', linkWith((j) => (j.relay = 'wss://relay.example.test/?x=1')), 'relay', 'invalid'],
    ['relay has user info', linkWith((j) => (j.relay = 'wss://user@relay.example.test')), 'relay', 'invalid'],
    ['relay is not a string', linkWith((j) => (j.relay = 5)), 'relay', 'invalid'],
    ['host is uppercase', linkWith((j) => (j.host = V.hostId.toUpperCase())), 'host', 'invalid'],
    ['host is short', linkWith((j) => (j.host = V.hostId.slice(2))), 'host', 'invalid'],
    ['host is another id', linkWith((j) => (j.host = 'f'.repeat(32))), 'host', 'mismatch'],
    ['key is 31 bytes', linkWith((j) => (j.key = toB64u(V.hostKey.subarray(1)))), 'key', 'invalid'],
    ['key is another host key', linkWith((j) => (j.key = toB64u(generateIdentity().publicKey))), 'host', 'mismatch'],
    ['key uses base64 padding', linkWith((j) => (j.key = `${toB64u(V.hostKey)}=`)), 'key', 'invalid'],
    ['secret is 16 bytes', linkWith((j) => (j.secret = toB64u(V.secret.subarray(16)))), 'secret', 'invalid'],
    ['secret is non-canonical base64url', linkWith((j) => (j.secret = `${toB64u(V.secret).slice(0, 42)}d`)), 'secret', 'invalid'],
    ['secret missing', linkWith((j) => delete j.secret), 'secret', 'missing'],
    ['exp is a float', linkWith((j) => (j.exp = 1893456000.5)), 'exp', 'invalid'],
    ['exp is a string', linkWith((j) => (j.exp = '1893456000')), 'exp', 'invalid'],
    ['exp is negative', linkWith((j) => (j.exp = -1)), 'exp', 'invalid'],
    ['name missing', linkWith((j) => delete j.name), 'name', 'missing'],
    ['name empty', linkWith((j) => (j.name = '')), 'name', 'invalid'],
    ['name too long', linkWith((j) => (j.name = 'x'.repeat(65))), 'name', 'invalid'],
    ['name has a newline', linkWith((j) => (j.name = 'Test\nHost')), 'name', 'invalid'],
    ['name has a bidi override', linkWith((j) => (j.name = 'Test \u202eHost')), 'name', 'invalid'],
    ['an unknown field', linkWith((j) => (j.extra = 1)), 'link', 'unknown_field'],
    ['JSON is an array', `${ORIGIN}/pair#p=${toB64u(utf8('[1]'))}`, 'link', 'invalid'],
    ['payload is not JSON', `${ORIGIN}/pair#p=${toB64u(utf8('{nope'))}`, 'link', 'format'],
    ['payload is not base64url', `${ORIGIN}/pair#p=abc$`, 'link', 'format'],
    ['payload is not UTF-8', `${ORIGIN}/pair#p=${toB64u(Uint8Array.of(0xff, 0xfe))}`, 'link', 'format'],
    ['no fragment', `${ORIGIN}/pair`, 'link', 'format'],
    ['fragment without p=', `${ORIGIN}/pair#q=abc`, 'link', 'format'],
    ['wrong path', V.linkUrl.replace('/pair#', '/pairing#'), 'link', 'format'],
    ['plain http origin to a public host', V.linkUrl.replace('https://', 'http://'), 'link', 'format'],
    ['not a URL at all', 'hello', 'link', 'format'],
    ['oversized link', `${V.linkUrl}${'A'.repeat(2048)}`, 'link', 'too_large'],
  ];
  for (const [name, text, field, problem] of cases) {
    it(`${name} → ${field}/${problem}`, () => {
      expect(errorOf(text)).toMatchObject({ field, problem });
    });
  }

  it('an expired link is refused with exp/expired, at and after exp', () => {
    expect(errorOf(V.linkUrl, 1893456000 * 1000)).toMatchObject({ field: 'exp', problem: 'expired', message: expect.stringMatching(/^pairing link: exp .*expired/) as unknown });
    expect(() => parsePairingLink(V.linkUrl, 1893456000 * 1000 - 1)).not.toThrow();
  });

  it('error messages never contain the secret', () => {
    const b64 = toB64u(V.secret);
    const text = linkWith((j) => (j.name = ''));
    expect(errorOf(text).message).not.toContain(b64);
    expect(errorOf(linkWith((j) => (j.secret = `${b64}AA`))).message).not.toContain(b64);
  });
});

describe('pairing link relays and origins', () => {
  it('allows ws:// and http:// for loopback and LAN hosts', () => {
    for (const host of ['127.0.0.1:8080', 'localhost:9000', '192.168.1.20', '10.0.0.5', '172.20.1.1', '[::1]:8443', 'studio.local']) {
      const url = encodePairingLink({ ...fields, relay: `ws://${host}` }, `http://${host}`);
      expect(parsePairingLink(url, V.linkNowMs).relay).toBe(`ws://${host}`);
    }
  });

  it('refuses ws:// to public or look-alike hosts', () => {
    for (const host of ['8.8.8.8', '172.32.0.1', 'relay.example.test', '127.1', '[2001:db8::1]', 'localhost.example.com']) {
      expect(() => encodePairingLink({ ...fields, relay: `ws://${host}` }, ORIGIN)).toThrow(PairingLinkError);
    }
  });

  it('accepts wss:// with a port and a path prefix', () => {
    const relay = 'wss://relay.example.test:8443/codex';
    expect(parsePairingLink(encodePairingLink({ ...fields, relay }, ORIGIN), V.linkNowMs).relay).toBe(relay);
  });

  it('refuses an origin with a path, and bad key or secret lengths, when encoding', () => {
    expect(() => encodePairingLink(fields, `${ORIGIN}/x`)).toThrow(/origin/);
    expect(() => encodePairingLink({ ...fields, secret: new Uint8Array(31) }, ORIGIN)).toThrow(/secret must be 32 bytes/);
    expect(() => encodePairingLink({ ...fields, name: ' ' }, ORIGIN)).toThrow(/name must not be empty/);
  });
});
