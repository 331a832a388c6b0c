import { describe, expect, it } from 'vitest';
import { generateIdentity } from '../../shared/crypto/identity.js';
import { pairIdFromSecret, parsePairingLink } from '../../shared/pairing/pairingLink.js';
import { fromHex } from '../../shared/util/encoding.js';
import { PairingManager } from './pairingManager.js';

function manager(now = { t: 1_800_000_000_000 }) {
  return {
    now,
    pm: new PairingManager({
      identity: generateIdentity(),
      relay: () => ({ wsUrl: 'ws://127.0.0.1:7000', httpOrigin: 'http://127.0.0.1:7000' }),
      hostName: () => 'Dev box',
      now: () => now.t,
    }),
  };
}

describe('PairingManager', () => {
  it('creates a link a controller can parse, expiring in 10 minutes', () => {
    const { pm, now } = manager();
    const code = pm.start();
    const link = parsePairingLink(code.link, now.t);
    expect(link).toMatchObject({ relay: 'ws://127.0.0.1:7000', name: 'Dev box', exp: now.t / 1000 + 600 });
    expect(code.link.startsWith('http://127.0.0.1:7000/pair#p=')).toBe(true);
    expect(pm.lookup(pairIdFromSecret(link.secret))).toEqual(link.secret);
  });

  it('keeps at most 4 outstanding secrets, dropping the oldest', () => {
    const { pm, now } = manager();
    const codes = [1, 2, 3, 4, 5].map(() => pm.start());
    expect(pm.outstanding).toBe(4);
    expect(pm.lookup(fromHex(codes[0]!.pairId))).toBeUndefined();
    expect(pm.lookup(fromHex(codes[4]!.pairId))).toEqual(parsePairingLink(codes[4]!.link, now.t).secret);
  });

  it('drops the code a screen replaces', () => {
    const { pm } = manager();
    const a = pm.start();
    pm.start(a.pairId);
    expect(pm.lookup(fromHex(a.pairId))).toBeUndefined();
    expect(pm.outstanding).toBe(1);
  });

  it('uses a secret once and forgets it at expiry', () => {
    const { pm, now } = manager();
    const a = pm.start();
    const b = pm.start();
    const undo = pm.consume(fromHex(a.pairId));
    expect(undo).toBeTypeOf('function');
    expect(pm.consume(fromHex(a.pairId))).toBeUndefined();
    undo!();
    expect(pm.consume(fromHex(a.pairId))).toBeTypeOf('function');
    now.t += 601_000;
    expect(pm.lookup(fromHex(b.pairId))).toBeUndefined();
  });
});

describe('PairingManager.dispose', () => {
  it('invalidates and wipes every outstanding code, and refuses new ones', () => {
    const m = manager().pm;
    const link = parsePairingLink(m.start().link);
    const pairId = pairIdFromSecret(link.secret);
    const secret = m.lookup(pairId)!;
    const undo = m.consume(pairId)!;
    undo();
    m.dispose();
    expect(m.outstanding).toBe(0);
    expect(m.lookup(pairId)).toBeUndefined();
    expect(secret.every((b) => b === 0)).toBe(true);
    undo();
    expect(m.outstanding).toBe(0);
    expect(() => m.start()).toThrow('PairingManager.start: the host is stopping');
  });
});
