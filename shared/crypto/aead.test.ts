import { describe, expect, it } from 'vitest';
import { toHex } from '../util/encoding.js';
import { sharedAeads } from '../testing/vectors.js';

const key = new Uint8Array(32).map((_, i) => i);
const nonce = new Uint8Array(12).map((_, i) => 100 + i);
const aad = new Uint8Array([1, 2, 3]);

describe('AEAD implementations agree byte for byte', () => {
  for (const size of [0, 1, 15, 16, 17, 1000, 65536 + 3]) {
    it(`seal of ${size} bytes is identical and opens everywhere`, async () => {
      const plaintext = new Uint8Array(size).map((_, i) => (i * 31 + 7) & 0xff);
      const sealed = await Promise.all(sharedAeads.map(async ([, f]) => (await f(key)).seal(nonce, plaintext, aad)));
      const hexes = sealed.map(toHex);
      expect(new Set(hexes).size).toBe(1);
      expect(sealed[0]!.length).toBe(size + 16);
      for (const [, f] of sharedAeads) expect(toHex(await (await f(key)).open(nonce, sealed[0]!, aad))).toBe(toHex(plaintext));
    });
  }
});

for (const [name, factory] of sharedAeads) {
  describe(`${name} AEAD`, () => {
    it('refuses a tampered tag, ciphertext, aad, nonce or key', async () => {
      const k = await factory(key);
      const sealed = await k.seal(nonce, new Uint8Array([9, 9, 9]), aad);
      const flip = (b: Uint8Array, i: number) => {
        const c = b.slice();
        c[i]! ^= 0x80;
        return c;
      };
      await expect(k.open(nonce, flip(sealed, sealed.length - 1), aad)).rejects.toThrow('aead.open: authentication failed');
      await expect(k.open(nonce, flip(sealed, 0), aad)).rejects.toThrow('aead.open: authentication failed');
      await expect(k.open(nonce, sealed, flip(aad, 0))).rejects.toThrow('aead.open: authentication failed');
      await expect(k.open(flip(nonce, 11), sealed, aad)).rejects.toThrow('aead.open: authentication failed');
      await expect((await factory(flip(key, 3))).open(nonce, sealed, aad)).rejects.toThrow('aead.open: authentication failed');
      await expect(k.open(nonce, sealed.subarray(0, 15), aad)).rejects.toThrow(/shorter than the tag/);
    });

    it('refuses wrong key and nonce lengths', async () => {
      await expect(factory(new Uint8Array(16))).rejects.toThrow(/key must be 32 bytes/);
      await expect((await factory(key)).seal(new Uint8Array(8), new Uint8Array(1), aad)).rejects.toThrow(/nonce must be 12 bytes/);
    });

    it('keeps working after the caller wipes the raw key', async () => {
      const raw = key.slice();
      const k = await factory(raw);
      const before = await k.seal(nonce, new Uint8Array([1]), aad);
      raw.fill(0);
      expect(toHex(await k.seal(nonce, new Uint8Array([1]), aad))).toBe(toHex(before));
    });
  });
}
