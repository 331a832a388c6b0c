import { describe, expect, it } from 'vitest';
import { concatBytes, fromUtf8, toHex, u64be, utf8 } from '../util/encoding.js';
import type { AeadFactory } from './aead.js';
import { nobleAead } from './nobleAead.js';
import { ProtocolError } from './protocolError.js';
import { MAX_FRAGMENT_BYTES, MAX_RECORD_BYTES, recordAad, recordNonce, RecordOpener, RecordSealer } from './record.js';
import { sharedAeads, V } from '../testing/vectors.js';

const sid = V.sid;

async function pair(aead: AeadFactory, key = V.pair.keyC2h, openerKey = key) {
  const sealer = new RecordSealer({ key: await aead(key), sid, direction: 'c2h' });
  const opener = new RecordOpener({ key: await aead(openerKey), sid, direction: 'c2h' });
  return { sealer, opener };
}

async function failure(p: Promise<unknown>): Promise<{ closeCode: number; reason: string }> {
  const e: unknown = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!(e instanceof ProtocolError)) throw new Error(`expected a ProtocolError, got ${String(e)}`);
  return { closeCode: e.closeCode, reason: e.reason };
}

async function sealOne(sealer: RecordSealer, text: string): Promise<Uint8Array> {
  const [record] = await sealer.seal(utf8(text));
  return record!;
}

describe('record layout', () => {
  it('nonce is 0x00000000 || counter and aad is sid || dir || counter', () => {
    expect(toHex(recordNonce(0x0102))).toBe('000000000000000000000102');
    expect(toHex(recordAad(sid, 'c2h', 1))).toBe(`${toHex(sid)}01${'0000000000000001'}`);
    expect(toHex(recordAad(sid, 'h2c', 2 ** 32 - 1))).toBe(`${toHex(sid)}02${'00000000ffffffff'}`);
  });

  it('a record is 0x03 || counter || ciphertext of flag || bytes || tag', async () => {
    const { sealer } = await pair(nobleAead);
    const records = await sealer.seal(utf8('hi'));
    expect(records).toHaveLength(1);
    const r = records[0]!;
    expect(r.length).toBe(1 + 8 + 1 + 2 + 16);
    expect(toHex(r.subarray(0, 9))).toBe('030000000000000000');
    const plain = await (await nobleAead(V.pair.keyC2h)).open(recordNonce(0), r.subarray(9), recordAad(sid, 'c2h', 0));
    expect(toHex(plain)).toBe(`00${toHex(utf8('hi'))}`);
  });
});

for (const [name, aead] of sharedAeads) {
  describe(`records on ${name}`, () => {
    it('carry messages in order with counters 0, 1, 2…', async () => {
      const { sealer, opener } = await pair(aead);
      const texts = ['one', '', 'three'];
      // Not awaited one by one: the sealer and opener keep call order themselves.
      const sealed = await Promise.all(texts.map((t) => sealer.seal(utf8(t))));
      expect(sealed.map((rs) => toHex(rs[0]!.subarray(1, 9)))).toEqual(['0000000000000000', '0000000000000001', '0000000000000002']);
      const opened = await Promise.all(sealed.map((rs) => opener.open(rs[0]!)));
      expect(opened.map((m) => fromUtf8(m!))).toEqual(texts);
      expect([sealer.nextCounter, opener.nextCounter]).toEqual([3, 3]);
    });

    it('fragment a large message into ≤256 KiB records and reassemble it', async () => {
      const { sealer, opener } = await pair(aead);
      const message = new Uint8Array(2 * MAX_FRAGMENT_BYTES + 10).map((_, i) => i * 7);
      const records = await sealer.seal(message);
      expect(records.map((r) => r.length)).toEqual([MAX_RECORD_BYTES, MAX_RECORD_BYTES, 9 + 1 + 10 + 16]);
      expect(await opener.open(records[0]!)).toBeUndefined();
      expect(await opener.open(records[1]!)).toBeUndefined();
      const whole = await opener.open(records[2]!);
      expect(whole && toHex(whole.subarray(-64))).toBe(toHex(message.subarray(-64)));
      expect(whole?.length).toBe(message.length);
    });

    it('a flipped bit anywhere in a record ends the session with 4400', async () => {
      const record = await sealOne((await pair(aead)).sealer, 'secret message');
      for (const index of [9, 20, record.length - 1]) {
        const { opener } = await pair(aead);
        const bad = record.slice();
        bad[index]! ^= 0x01;
        expect(await failure(opener.open(bad))).toEqual({ closeCode: 4400, reason: 'decrypt_failed' });
      }
      const { opener } = await pair(aead);
      const badCounter = record.slice();
      badCounter[8]! ^= 0x01;
      expect(await failure(opener.open(badCounter))).toEqual({ closeCode: 4400, reason: 'bad_counter' });
      const badKind = record.slice();
      badKind[0] = 0x02;
      expect(await failure((await pair(aead)).opener.open(badKind))).toEqual({ closeCode: 4400, reason: 'bad_record' });
    });

    it('a truncated record is rejected with 4400', async () => {
      const record = await sealOne((await pair(aead)).sealer, 'secret message');
      expect(await failure((await pair(aead)).opener.open(record.subarray(0, record.length - 1)))).toEqual({ closeCode: 4400, reason: 'decrypt_failed' });
      expect(await failure((await pair(aead)).opener.open(record.subarray(0, 25)))).toEqual({ closeCode: 4400, reason: 'bad_record' });
      expect(await failure((await pair(aead)).opener.open(new Uint8Array(0)))).toEqual({ closeCode: 4400, reason: 'bad_record' });
    });

    it('a record sealed with another key, direction or session does not open (4400)', async () => {
      const record = await sealOne((await pair(aead)).sealer, 'x');
      const wrongKey = await pair(aead, V.pair.keyC2h, V.pair.keyH2c);
      expect(await failure(wrongKey.opener.open(record))).toEqual({ closeCode: 4400, reason: 'decrypt_failed' });
      const wrongDir = new RecordOpener({ key: await aead(V.pair.keyC2h), sid, direction: 'h2c' });
      expect(await failure(wrongDir.open(record))).toEqual({ closeCode: 4400, reason: 'decrypt_failed' });
      const wrongSid = new RecordOpener({ key: await aead(V.pair.keyC2h), sid: new Uint8Array(16), direction: 'c2h' });
      expect(await failure(wrongSid.open(record))).toEqual({ closeCode: 4400, reason: 'decrypt_failed' });
    });

    it('a replayed record is rejected (4400) and the session stays dead', async () => {
      const { sealer, opener } = await pair(aead);
      const first = await sealOne(sealer, 'a');
      const second = await sealOne(sealer, 'b');
      expect(fromUtf8((await opener.open(first))!)).toBe('a');
      expect(await failure(opener.open(first))).toEqual({ closeCode: 4400, reason: 'bad_counter' });
      // The next genuine record is refused too: a failed session never delivers again.
      expect(await failure(opener.open(second))).toEqual({ closeCode: 4400, reason: 'bad_counter' });
    });

    it('skipped and reordered counters are rejected (4400)', async () => {
      const { sealer } = await pair(aead);
      const records = [await sealOne(sealer, 'a'), await sealOne(sealer, 'b'), await sealOne(sealer, 'c')];
      const skipped = (await pair(aead)).opener;
      expect(fromUtf8((await skipped.open(records[0]!))!)).toBe('a');
      expect(await failure(skipped.open(records[2]!))).toEqual({ closeCode: 4400, reason: 'bad_counter' });
      const reordered = (await pair(aead)).opener;
      expect(await failure(reordered.open(records[1]!))).toEqual({ closeCode: 4400, reason: 'bad_counter' });
    });

    it('an unknown fragment flag is rejected (4400)', async () => {
      const key = await aead(V.pair.keyC2h);
      const sealed = await key.seal(recordNonce(0), Uint8Array.of(0x02, 0x41), recordAad(sid, 'c2h', 0));
      const record = concatBytes(Uint8Array.of(3), u64be(0), sealed);
      expect(await failure((await pair(aead)).opener.open(record))).toEqual({ closeCode: 4400, reason: 'bad_record' });
    });
  });
}

describe('record limits', () => {
  it('a reassembled message over the limit ends the session with 1009', async () => {
    const sealer = new RecordSealer({ key: await nobleAead(V.pair.keyC2h), sid, direction: 'c2h' });
    const opener = new RecordOpener({ key: await nobleAead(V.pair.keyC2h), sid, direction: 'c2h', maxMessageBytes: 100 });
    const [ok] = await sealer.seal(new Uint8Array(100));
    expect((await opener.open(ok!))?.length).toBe(100);
    const [big] = await sealer.seal(new Uint8Array(101));
    expect(await failure(opener.open(big!))).toEqual({ closeCode: 1009, reason: 'message_too_big' });
  });

  it('a record over 256 KiB of plaintext is refused with 1009 before decryption', async () => {
    const opener = new RecordOpener({ key: await nobleAead(V.pair.keyC2h), sid, direction: 'c2h' });
    expect(await failure(opener.open(new Uint8Array(MAX_RECORD_BYTES + 1).fill(3)))).toEqual({ closeCode: 1009, reason: 'record_too_big' });
  });

  it('the sealer refuses messages over 64 MiB (1009)', async () => {
    const sealer = new RecordSealer({ key: await nobleAead(V.pair.keyC2h), sid, direction: 'c2h' });
    expect(await failure(sealer.seal(new Uint8Array(64 * 1024 * 1024 + 1)))).toEqual({ closeCode: 1009, reason: 'message_too_big' });
    expect(sealer.nextCounter).toBe(0);
  });

  it('after 2^32 records a direction is exhausted: the sealer refuses and the opener rejects', async () => {
    const start = 2 ** 32 - 1;
    const sealer = new RecordSealer({ key: await nobleAead(V.pair.keyC2h), sid, direction: 'c2h', dangerousStartCounter: start });
    const opener = new RecordOpener({ key: await nobleAead(V.pair.keyC2h), sid, direction: 'c2h', dangerousStartCounter: start });
    const [last] = await sealer.seal(utf8('last'));
    expect(toHex(last!.subarray(1, 9))).toBe('00000000ffffffff');
    expect(fromUtf8((await opener.open(last!))!)).toBe('last');
    expect(await failure(sealer.seal(utf8('one too many')))).toEqual({ closeCode: 1000, reason: 'record_limit' });
    // A forged record with counter 2^32 (which the sealer would never produce) is refused.
    const key = await nobleAead(V.pair.keyC2h);
    const forged = concatBytes(Uint8Array.of(3), u64be(2 ** 32), await key.seal(recordNonce(2 ** 32), Uint8Array.of(0), recordAad(sid, 'c2h', 2 ** 32)));
    expect(await failure(opener.open(forged))).toEqual({ closeCode: 4400, reason: 'record_limit' });
  });
});
