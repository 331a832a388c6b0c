/**
 * Encrypted records (remote-protocol.md §5, docs/encryption.md "Records"):
 *
 *   Record    = 0x03 || counter(8) || AES-256-GCM(key, nonce, plaintext, aad)
 *   nonce     = 0x00000000 || counter(8)
 *   aad       = sid(16) || dir || counter(8)        dir 0x01 = c2h, 0x02 = h2c
 *   plaintext = flag || bytes                       flag 0x01 = more fragments, 0x00 = last
 *
 * One `RecordSealer` and one `RecordOpener` per direction and session. Counters start at 0 and
 * move by exactly one, so a replayed, dropped, reordered or forged record fails the session.
 * Both classes run their (possibly asynchronous) AEAD calls strictly in call order.
 */
import { concatBytes, readU64be, writeU64be } from '../util/encoding.js';
import { AEAD_TAG_BYTES, type AeadKey } from './aead.js';
import { CLOSE } from '../protocol/closeCodes.js';
import { SID_BYTES } from '../protocol/ids.js';
import { ProtocolError, protocolError } from './protocolError.js';

export const KIND_RECORD = 0x03;
/** Re-exported for the record layer's callers; defined once in shared/protocol/ids.ts. */
export { SID_BYTES };
/** Bytes before the ciphertext: kind(1) + counter(8). */
export const RECORD_HEADER_BYTES = 9;
/** Largest plaintext (flag byte included) of one record: 256 KiB. */
export const MAX_RECORD_PLAINTEXT_BYTES = 256 * 1024;
/** Largest fragment payload per record (the flag takes one byte of the plaintext). */
export const MAX_FRAGMENT_BYTES = MAX_RECORD_PLAINTEXT_BYTES - 1;
/** Largest record on the wire: header + 256 KiB + tag. */
export const MAX_RECORD_BYTES = RECORD_HEADER_BYTES + MAX_RECORD_PLAINTEXT_BYTES + AEAD_TAG_BYTES;
/** Largest reassembled message: 64 MiB. */
export const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;
/** Records per direction and session; counters run from 0 to 2^32 - 1. */
export const MAX_RECORDS_PER_DIRECTION = 2 ** 32;

const FLAG_LAST = 0x00;
const FLAG_MORE = 0x01;

/** `c2h`: controller → host (key `k_c2h`, dir 0x01); `h2c`: host → controller (key `k_h2c`, dir 0x02). */
export type RecordDirection = 'c2h' | 'h2c';

const DIR_BYTE: Readonly<Record<RecordDirection, number>> = { c2h: 0x01, h2c: 0x02 };

/** The 12-byte GCM nonce of record `counter`: 0x00000000 || counter(8). */
export function recordNonce(counter: number): Uint8Array {
  const nonce = new Uint8Array(12);
  writeU64be(nonce, 4, counter);
  return nonce;
}

/** The associated data of record `counter`: sid(16) || dir || counter(8). */
export function recordAad(sid: Uint8Array, direction: RecordDirection, counter: number): Uint8Array {
  const aad = new Uint8Array(SID_BYTES + 1 + 8);
  aad.set(sid, 0);
  aad[SID_BYTES] = DIR_BYTE[direction];
  writeU64be(aad, SID_BYTES + 1, counter);
  return aad;
}

/** The record streams of an established session: seal with `sealer`, open with `opener`. */
export interface RecordChannel {
  readonly sealer: RecordSealer;
  readonly opener: RecordOpener;
}

/** Options shared by `RecordSealer` and `RecordOpener`. */
export interface RecordStreamOptions {
  /** The direction key (`k_c2h` or `k_h2c`), already imported. */
  readonly key: AeadKey;
  /** The 16-byte session id the relay assigned. */
  readonly sid: Uint8Array;
  readonly direction: RecordDirection;
  /** Test-only: the first counter, to exercise the 2^32 limit without sealing 2^32 records. */
  readonly dangerousStartCounter?: number;
}

function checkStreamOptions(op: string, options: RecordStreamOptions): number {
  if (options.sid.length !== SID_BYTES) throw new Error(`${op}: sid must be ${SID_BYTES} bytes`);
  const start = options.dangerousStartCounter ?? 0;
  if (!Number.isSafeInteger(start) || start < 0 || start > MAX_RECORDS_PER_DIRECTION) {
    throw new Error(`${op}: start counter out of range`);
  }
  return start;
}

/**
 * Encrypts outgoing messages of one direction into records. `seal` may be called without
 * awaiting the previous call: counters are taken in call order and the returned promises settle
 * in call order, so sending each result as it resolves keeps the stream in order.
 */
export class RecordSealer {
  readonly #key: AeadKey;
  readonly #sid: Uint8Array;
  readonly #direction: RecordDirection;
  #next: number;
  #tail: Promise<unknown> = Promise.resolve();

  constructor(options: RecordStreamOptions) {
    this.#next = checkStreamOptions('RecordSealer', options);
    this.#key = options.key;
    this.#sid = options.sid.slice();
    this.#direction = options.direction;
  }

  /** The counter the next record will carry (= records sealed so far). */
  get nextCounter(): number {
    return this.#next;
  }

  /**
   * Splits `message` into fragments of at most 256 KiB - 1 bytes (an empty message is one
   * record) and seals them. Rejects with a `ProtocolError`: 1009 if the message is over
   * 64 MiB, 1000 (`record_limit`) if the direction's 2^32 counters would run out, in which case
   * the session must end and a new one be opened.
   */
  seal(message: Uint8Array): Promise<Uint8Array[]> {
    if (message.length > MAX_MESSAGE_BYTES) {
      return Promise.reject(new ProtocolError(CLOSE.TOO_BIG, 'message_too_big', `record.seal: message of ${message.length} bytes exceeds ${MAX_MESSAGE_BYTES}`));
    }
    const count = Math.max(1, Math.ceil(message.length / MAX_FRAGMENT_BYTES));
    if (this.#next + count > MAX_RECORDS_PER_DIRECTION) {
      return Promise.reject(new ProtocolError(CLOSE.NORMAL, 'record_limit', 'record.seal: the 2^32 records of this direction are used up; start a new session'));
    }
    // Counters are reserved now, synchronously, so concurrent calls cannot interleave fragments.
    const first = this.#next;
    this.#next += count;
    const run = this.#tail.then(async () => {
      const records: Uint8Array[] = [];
      for (let i = 0; i < count; i++) {
        const start = i * MAX_FRAGMENT_BYTES;
        const fragment = message.subarray(start, Math.min(message.length, start + MAX_FRAGMENT_BYTES));
        records.push(await this.#sealRecord(first + i, i === count - 1 ? FLAG_LAST : FLAG_MORE, fragment));
      }
      return records;
    });
    this.#tail = run.catch(() => undefined);
    return run;
  }

  async #sealRecord(counter: number, flag: number, fragment: Uint8Array): Promise<Uint8Array> {
    const plaintext = new Uint8Array(1 + fragment.length);
    plaintext[0] = flag;
    plaintext.set(fragment, 1);
    const sealed = await this.#key.seal(recordNonce(counter), plaintext, recordAad(this.#sid, this.#direction, counter));
    const record = new Uint8Array(RECORD_HEADER_BYTES + sealed.length);
    record[0] = KIND_RECORD;
    writeU64be(record, 1, counter);
    record.set(sealed, RECORD_HEADER_BYTES);
    return record;
  }
}

/** Options of `RecordOpener`. */
export interface RecordOpenerOptions extends RecordStreamOptions {
  /** Reassembled-message limit in bytes; default (and maximum) 64 MiB. */
  readonly maxMessageBytes?: number;
}

/**
 * Checks, decrypts and reassembles incoming records of one direction. `open` may be called
 * without awaiting the previous call; records are processed strictly in call order. The first
 * failure is final: that call and every later one reject with the same `ProtocolError`
 * (4400 for a bad format, counter or tag; 1009 for an oversized record or message).
 */
export class RecordOpener {
  readonly #key: AeadKey;
  readonly #sid: Uint8Array;
  readonly #direction: RecordDirection;
  readonly #maxMessageBytes: number;
  #expected: number;
  #fragments: Uint8Array[] = [];
  #buffered = 0;
  #failure: ProtocolError | undefined;
  #tail: Promise<unknown> = Promise.resolve();

  constructor(options: RecordOpenerOptions) {
    this.#expected = checkStreamOptions('RecordOpener', options);
    this.#key = options.key;
    this.#sid = options.sid.slice();
    this.#direction = options.direction;
    const max = options.maxMessageBytes ?? MAX_MESSAGE_BYTES;
    if (!Number.isSafeInteger(max) || max < 0 || max > MAX_MESSAGE_BYTES) throw new Error('RecordOpener: maxMessageBytes out of range');
    this.#maxMessageBytes = max;
  }

  /** The counter the next record must carry (= records opened so far). */
  get nextCounter(): number {
    return this.#expected;
  }

  /**
   * Opens one record. Resolves to the whole message when `record` carries its last fragment,
   * to `undefined` when more fragments are expected; rejects with a `ProtocolError`.
   */
  open(record: Uint8Array): Promise<Uint8Array | undefined> {
    const run = this.#tail.then(() => this.#openOne(record));
    this.#tail = run.catch(() => undefined);
    return run;
  }

  async #openOne(record: Uint8Array): Promise<Uint8Array | undefined> {
    if (this.#failure) throw this.#failure;
    try {
      return await this.#process(record);
    } catch (e) {
      this.#failure = e instanceof ProtocolError ? e : protocolError('bad_record', 'record.open: failed');
      this.#fragments = [];
      throw this.#failure;
    }
  }

  async #process(record: Uint8Array): Promise<Uint8Array | undefined> {
    if (record.length > MAX_RECORD_BYTES) {
      throw new ProtocolError(CLOSE.TOO_BIG, 'record_too_big', `record.open: record of ${record.length} bytes exceeds ${MAX_RECORD_BYTES}`);
    }
    if (record.length < RECORD_HEADER_BYTES + 1 + AEAD_TAG_BYTES) throw protocolError('bad_record', `record.open: record of ${record.length} bytes is too short`);
    if (record[0] !== KIND_RECORD) throw protocolError('bad_record', `record.open: kind ${record[0]} is not a record`);
    const counter = readCounter(record);
    if (this.#expected >= MAX_RECORDS_PER_DIRECTION) throw protocolError('record_limit', 'record.open: the 2^32 records of this direction are used up');
    if (counter !== this.#expected) throw protocolError('bad_counter', `record.open: counter ${counter ?? 'out of range'}, expected ${this.#expected}`);
    let plaintext: Uint8Array;
    try {
      plaintext = await this.#key.open(recordNonce(counter), record.subarray(RECORD_HEADER_BYTES), recordAad(this.#sid, this.#direction, counter));
    } catch {
      throw protocolError('decrypt_failed', `record.open: record ${counter} failed to decrypt`);
    }
    this.#expected = counter + 1;
    const flag = plaintext[0];
    if (flag !== FLAG_LAST && flag !== FLAG_MORE) throw protocolError('bad_record', `record.open: record ${counter} has fragment flag ${flag}`);
    const fragment = plaintext.subarray(1);
    if (this.#buffered + fragment.length > this.#maxMessageBytes) {
      throw new ProtocolError(CLOSE.TOO_BIG, 'message_too_big', `record.open: message exceeds ${this.#maxMessageBytes} bytes`);
    }
    if (flag === FLAG_MORE) {
      this.#fragments.push(fragment);
      this.#buffered += fragment.length;
      return undefined;
    }
    if (this.#fragments.length === 0) return fragment;
    const message = concatBytes(...this.#fragments, fragment);
    this.#fragments = [];
    this.#buffered = 0;
    return message;
  }
}

/** The record's counter, or undefined if it is beyond 2^53 (and so certainly not the expected one). */
function readCounter(record: Uint8Array): number | undefined {
  try {
    return readU64be(record, 1);
  } catch {
    return undefined;
  }
}
