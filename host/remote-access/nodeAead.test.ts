import { describe, expect, it } from 'vitest';
import type { AeadFactory } from '../../shared/crypto/aead.js';
import { nobleAead } from '../../shared/crypto/nobleAead.js';
import { ProtocolError } from '../../shared/crypto/protocolError.js';
import { RecordOpener, RecordSealer } from '../../shared/crypto/record.js';
import { runVectorHandshake } from '../../shared/testing/vectorHandshake.js';
import { sharedAeads, V } from '../../shared/testing/vectors.js';
import { fromUtf8, toHex, utf8 } from '../../shared/util/encoding.js';
import { nodeAead } from './nodeAead.js';

const allAeads: ReadonlyArray<readonly [string, AeadFactory]> = [...sharedAeads, ['node', nodeAead]];

describe('node:crypto AEAD reproduces the spec vectors', () => {
  for (const mode of ['pair', 'resume'] as const) {
    for (const [otherName, other] of allAeads) {
      it(`${mode}: host on node, controller on ${otherName} (and the reverse)`, async () => {
        const v = V[mode];
        for (const run of [await runVectorHandshake(mode, other, nodeAead), await runVectorHandshake(mode, nodeAead, other)]) {
          expect(toHex(run.clientHello)).toBe(toHex(v.clientHello));
          expect(toHex(run.serverHello)).toBe(toHex(v.serverHello));
          expect(toHex(run.recordC2h0)).toBe(toHex(v.recordC2h0));
          expect(toHex(run.recordH2c0)).toBe(toHex(v.recordH2c0));
          expect(toHex(run.recordC2h1)).toBe(toHex(v.recordC2h1));
          expect(run.rpcAtHost).toBe(v.rpcJson);
        }
      });
    }

    it(`${mode}: seals the vector JSON into the vector records and opens them back`, async () => {
      const v = V[mode];
      const c2h = new RecordSealer({ key: await nodeAead(v.keyC2h), sid: V.sid, direction: 'c2h' });
      const h2c = new RecordSealer({ key: await nodeAead(v.keyH2c), sid: V.sid, direction: 'h2c' });
      expect(toHex((await c2h.seal(utf8(v.clientAuthJson)))[0]!)).toBe(toHex(v.recordC2h0));
      expect(toHex((await c2h.seal(utf8(v.rpcJson)))[0]!)).toBe(toHex(v.recordC2h1));
      expect(toHex((await h2c.seal(utf8(v.welcomeJson)))[0]!)).toBe(toHex(v.recordH2c0));
      const open = new RecordOpener({ key: await nodeAead(v.keyC2h), sid: V.sid, direction: 'c2h' });
      expect(fromUtf8((await open.open(v.recordC2h0))!)).toBe(v.clientAuthJson);
      expect(fromUtf8((await open.open(v.recordC2h1))!)).toBe(v.rpcJson);
    });
  }
});

describe('node:crypto AEAD against noble and WebCrypto', () => {
  const key = new Uint8Array(32).map((_, i) => 200 - i);
  const nonce = new Uint8Array(12).map((_, i) => i * 3);
  const aad = new Uint8Array(25).fill(0xaa);

  for (const size of [0, 1, 16, 4097, 256 * 1024]) {
    it(`${size} bytes: identical ciphertext and tag, and each opens the others'`, async () => {
      const plaintext = new Uint8Array(size).map((_, i) => (i * 13) & 0xff);
      const keys = await Promise.all(allAeads.map(([, f]) => f(key)));
      const sealed = await Promise.all(keys.map((k) => k.seal(nonce, plaintext, aad)));
      expect(new Set(sealed.map(toHex)).size).toBe(1);
      for (const k of keys) for (const s of sealed) expect((await k.open(nonce, s, aad)).length).toBe(size);
    });
  }

  it('returns plain Uint8Arrays, not Buffers', async () => {
    const k = await nodeAead(key);
    const sealed = await k.seal(nonce, new Uint8Array(5), aad);
    expect(Object.getPrototypeOf(sealed)).toBe(Uint8Array.prototype);
    expect(Object.getPrototypeOf(await k.open(nonce, sealed, aad))).toBe(Uint8Array.prototype);
  });

  it('refuses tampering, a wrong key and short input', async () => {
    const k = await nodeAead(key);
    const sealed = await k.seal(nonce, utf8('attack at dawn'), aad);
    for (const i of [0, 7, sealed.length - 1]) {
      const bad = sealed.slice();
      bad[i]! ^= 1;
      await expect(k.open(nonce, bad, aad)).rejects.toThrow('aead.open: authentication failed');
    }
    await expect((await nodeAead(new Uint8Array(32))).open(nonce, sealed, aad)).rejects.toThrow('aead.open: authentication failed');
    await expect(k.open(nonce, sealed, aad.subarray(1))).rejects.toThrow('aead.open: authentication failed');
    await expect(k.open(nonce, sealed.subarray(0, 10), aad)).rejects.toThrow(/shorter than the tag/);
    await expect(nodeAead(new Uint8Array(31))).rejects.toThrow(/key must be 32 bytes/);
  });

  it('a record stream sealed on node and opened on noble detects replay and tampering', async () => {
    const sealer = new RecordSealer({ key: await nodeAead(V.pair.keyH2c), sid: V.sid, direction: 'h2c' });
    const opener = new RecordOpener({ key: await nobleAead(V.pair.keyH2c), sid: V.sid, direction: 'h2c' });
    const big = new Uint8Array(600 * 1024).map((_, i) => i & 0xff);
    const records = await sealer.seal(big);
    expect(records).toHaveLength(3);
    const opened = [];
    for (const r of records) opened.push(await opener.open(r));
    expect(opened.slice(0, 2)).toEqual([undefined, undefined]);
    expect(opened[2]?.length).toBe(big.length);
    const replay = await opener.open(records[2]!).catch((e: unknown) => e);
    expect(replay).toBeInstanceOf(ProtocolError);
    expect(replay).toMatchObject({ closeCode: 4400, reason: 'bad_counter' });
  });
});
