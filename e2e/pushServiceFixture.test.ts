// The push-service stand-in must itself be right, or the push tests prove nothing: its
// decryption is checked against the RFC 8291 §5 example, and its VAPID check against tokens
// that a real push service would refuse.
import { createSign, createECDH } from 'node:crypto';
import webpush from 'web-push';
import { describe, expect, it } from 'vitest';
import { decryptAes128gcm, verifyVapid } from './fixtures/pushService.js';

// RFC 8291 §5 / Appendix A ("Push Message Encryption Example").
const RFC8291 = {
  plaintext: 'When I grow up, I want to be a watermelon',
  uaPrivate: 'q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94',
  uaPublic: 'BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4',
  authSecret: 'BTBZMqHH6r4Tts7J_aSIgg',
  body:
    'DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27ml' +
    'mlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPT' +
    'pK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN',
};
const b = (s: string) => Buffer.from(s, 'base64url');

describe('push service stand-in: RFC 8291 decryption', () => {
  it('decrypts the RFC 8291 example to its plaintext', () => {
    const text = decryptAes128gcm(b(RFC8291.body), b(RFC8291.uaPrivate), b(RFC8291.uaPublic), b(RFC8291.authSecret)).toString('utf8');
    expect(text).toBe(RFC8291.plaintext);
  });

  it('refuses a tampered message, a wrong auth secret and a truncated header', () => {
    const body = b(RFC8291.body);
    const tampered = Buffer.from(body);
    tampered[tampered.length - 20]! ^= 1;
    expect(() => decryptAes128gcm(tampered, b(RFC8291.uaPrivate), b(RFC8291.uaPublic), b(RFC8291.authSecret))).toThrow();
    const wrongAuth = Buffer.from(b(RFC8291.authSecret));
    wrongAuth[0]! ^= 1;
    expect(() => decryptAes128gcm(body, b(RFC8291.uaPrivate), b(RFC8291.uaPublic), wrongAuth)).toThrow();
    expect(() => decryptAes128gcm(body.subarray(0, 20), b(RFC8291.uaPrivate), b(RFC8291.uaPublic), b(RFC8291.authSecret))).toThrow('shorter than the aes128gcm header');
  });

  it('decrypts what web-push encrypts for a fresh subscription (so the two agree on more than one vector)', () => {
    const ua = createECDH('prime256v1');
    ua.generateKeys();
    const auth = Buffer.alloc(16, 7);
    const payload = JSON.stringify({ title: 'Turn finished', body: 'x'.repeat(3000) });
    const { cipherText } = webpush.encrypt(ua.getPublicKey().toString('base64url'), auth.toString('base64url'), payload, 'aes128gcm');
    expect(decryptAes128gcm(cipherText, ua.getPrivateKey(), ua.getPublicKey(), auth).toString('utf8')).toBe(payload);
  });
});

describe('push service stand-in: VAPID check', () => {
  const keys = webpush.generateVAPIDKeys();
  const audience = 'http://127.0.0.1:9';
  const now = Math.floor(Date.now() / 1000);
  const header = (aud: string, sub: string, exp = now + 3600) => webpush.getVapidHeaders(aud, sub, keys.publicKey, keys.privateKey, 'aes128gcm', exp).Authorization;
  const expectation = { audience, applicationServerKey: keys.publicKey, subject: 'mailto:ops@example.com' };

  it('accepts a well-formed token and returns its claims', () => {
    expect(verifyVapid(header(audience, 'mailto:ops@example.com'), expectation)).toEqual({ aud: audience, exp: now + 3600, sub: 'mailto:ops@example.com' });
  });

  it('refuses what a real push service refuses', () => {
    expect(() => verifyVapid(undefined, expectation)).toThrow('Authorization is not "vapid t=…, k=…"');
    expect(() => verifyVapid(header('http://127.0.0.1:10', 'mailto:ops@example.com'), expectation)).toThrow(/JWT aud .* is not/);
    expect(() => verifyVapid(header(audience, 'mailto:other@example.com'), expectation)).toThrow(/JWT sub .* is not/);
    expect(() => verifyVapid(header(audience, 'mailto:ops@example.com'), { ...expectation, nowSeconds: now + 7200 })).toThrow('JWT expired');
    expect(() => verifyVapid(header(audience, 'mailto:ops@example.com'), { ...expectation, nowSeconds: now - 24 * 3600 })).toThrow('more than 24 hours away');
    const other = webpush.generateVAPIDKeys();
    expect(() => verifyVapid(header(audience, 'mailto:ops@example.com'), { ...expectation, applicationServerKey: other.publicKey })).toThrow('not the key this subscription was made for');
    // a token signed by one key but presented with another
    const [, token] = /t=([^,]+)/.exec(header(audience, 'mailto:ops@example.com'))!;
    expect(() => verifyVapid(`vapid t=${token}, k=${other.publicKey}`, expectation)).toThrow('signature does not verify');
  });

  it('refuses a token whose signature is DER instead of the JWS r||s form', () => {
    const [, token, k] = /t=([^,]+), k=(.+)$/.exec(header(audience, 'mailto:ops@example.com'))!;
    const [h, p] = token!.split('.');
    const ecdh = createECDH('prime256v1');
    ecdh.setPrivateKey(b(keys.privateKey));
    const pub = ecdh.getPublicKey();
    const der = createSign('sha256')
      .update(`${h}.${p}`)
      .sign({ key: { kty: 'EC', crv: 'P-256', d: keys.privateKey, x: pub.subarray(1, 33).toString('base64url'), y: pub.subarray(33).toString('base64url') }, format: 'jwk' });
    expect(() => verifyVapid(`vapid t=${h}.${p}.${der.toString('base64url')}, k=${k}`, expectation)).toThrow('signature does not verify');
  });
});
