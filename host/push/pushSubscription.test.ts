import { createECDH } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isLoopbackHost, parsePushSubscription } from './pushSubscription.js';
import { vapidSubjectProblem } from './vapidSubject.js';

const e = createECDH('prime256v1');
e.generateKeys();
const keys = { p256dh: e.getPublicKey('base64url'), auth: 'AAECAwQFBgcICQoLDA0ODw' };

describe('parsePushSubscription', () => {
  it('accepts what browsers send (FCM, Mozilla, Apple, with expirationTime) and keeps only endpoint and keys', () => {
    for (const endpoint of ['https://fcm.googleapis.com/fcm/send/abc:APA91b', 'https://updates.push.services.mozilla.com/wpush/v2/gAAAA', 'https://web.push.apple.com/QGuQ']) {
      expect(parsePushSubscription({ endpoint, expirationTime: null, keys })).toEqual({ endpoint, keys });
    }
  });

  it('allows plain http only on loopback addresses', () => {
    expect(parsePushSubscription({ endpoint: 'http://127.0.0.1:8080/p', keys }).endpoint).toBe('http://127.0.0.1:8080/p');
    expect(parsePushSubscription({ endpoint: 'http://[::1]:8080/p', keys }).endpoint).toBe('http://[::1]:8080/p');
    for (const host of ['10.0.0.1', 'localhost', '127.0.0.1.nip.io', '0.0.0.0']) {
      expect(() => parsePushSubscription({ endpoint: `http://${host}/p`, keys }), host).toThrow('endpoint must be an https URL');
    }
    expect([isLoopbackHost('127.1.2.3'), isLoopbackHost('128.0.0.1')]).toEqual([true, false]);
  });

  it('refuses a fragment in the endpoint', () => {
    expect(() => parsePushSubscription({ endpoint: 'https://push.example/p#x', keys })).toThrow('must not contain a fragment');
  });
});

describe('vapidSubjectProblem', () => {
  it('accepts mailto: addresses and public https: URLs', () => {
    expect(vapidSubjectProblem('mailto:ops@example.com')).toBeUndefined();
    expect(vapidSubjectProblem('https://example.com/contact')).toBeUndefined();
    expect(vapidSubjectProblem(`mailto:${'a'.repeat(300)}@example.com`)).toMatch(/at most 256/);
  });
});
