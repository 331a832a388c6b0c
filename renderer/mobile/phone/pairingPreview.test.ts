import { describe, expect, it } from 'vitest';
import { generateIdentity } from '../../../shared/crypto/identity';
import { RemoteSessionError } from '../../../shared/controller/remoteSessionError';
import { encodePairingLink } from '../../../shared/pairing/pairingLink';
import { fingerprintOf, pairFailure, previewLink } from './pairingPreview';

const NOW = 1_900_000_000_000;
const host = generateIdentity();
const link = encodePairingLink({ relay: 'wss://relay.test', hostKey: host.publicKey, secret: new Uint8Array(32).fill(7), exp: NOW / 1000 + 600, name: 'Build Box' }, 'https://relay.test');

describe('the pairing screen', () => {
  it('shows the host name, the fingerprint of its key and the relay, before anything is sent', () => {
    const p = previewLink(link, NOW);
    if (!p.ok) throw new Error(p.failure.body);
    expect(p.link.name).toBe('Build Box');
    expect(p.fingerprint).toBe(fingerprintOf(p.link.hostId));
    expect(p.fingerprint).toMatch(/^([0-9A-F]{4} ){7}[0-9A-F]{4}$/);
    expect(p.relayOrigin).toBe('https://relay.test');
  });

  it('has its own screen for an expired code and for text that is not a pairing link', () => {
    expect(previewLink(link, NOW + 601_000)).toMatchObject({ ok: false, failure: { kind: 'expired', title: 'This code has expired' } });
    expect(previewLink('https://relay.test/pair#p=garbage', NOW)).toMatchObject({ ok: false, failure: { kind: 'invalid', title: 'This is not a pairing link' } });
  });

  it('explains each way the host can turn pairing down', () => {
    const p = previewLink(link, NOW);
    if (!p.ok) throw new Error('bad link');
    expect(pairFailure(new RemoteSessionError('expired', 'expired', 'x'), 'Build Box', p.link, NOW)).toMatchObject({ kind: 'used', title: 'This code was already used' });
    expect(pairFailure(new RemoteSessionError('expired', 'expired', 'x'), 'Build Box', p.link, NOW + 700_000)).toMatchObject({ kind: 'expired' });
    expect(pairFailure(new RemoteSessionError('offline', 'offline', 'x'), 'Build Box', p.link, NOW)).toMatchObject({ kind: 'offline', title: 'Build Box is offline' });
    expect(pairFailure(new RemoteSessionError('host_key', 'bad_signature', 'x'), 'Build Box', p.link, NOW)).toMatchObject({ kind: 'host_key' });
    expect(pairFailure(new RemoteSessionError('denied', 'used', 'x'), 'Build Box', p.link, NOW)).toMatchObject({ kind: 'used' });
  });
});
