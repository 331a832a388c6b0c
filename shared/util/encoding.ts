/**
 * Byte encodings used on the wire (remote-protocol.md §1): lowercase hex, base64url without
 * padding, UTF-8, big-endian integers. Decoders are strict: they reject anything that does
 * not round-trip (wrong alphabet, padding, odd length), so a parsed value has one encoding.
 */

const HEX = '0123456789abcdef';

export function toHex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += HEX[b >> 4]! + HEX[b & 15]!;
  return s;
}

/** Parses lowercase or uppercase hex; throws on odd length or a non-hex character. */
export function fromHex(hex: string): Uint8Array {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) throw new Error('hex: invalid hex string');
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

const B64U = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const B64U_INDEX: Record<string, number> = Object.fromEntries([...B64U].map((c, i) => [c, i]));

/** base64url without padding (RFC 4648 §5). */
export function toB64u(bytes: Uint8Array): string {
  let s = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    s += B64U[(n >> 18) & 63]! + B64U[(n >> 12) & 63]! + B64U[(n >> 6) & 63]! + B64U[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i]! << 16;
    s += B64U[(n >> 18) & 63]! + B64U[(n >> 12) & 63]!;
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    s += B64U[(n >> 18) & 63]! + B64U[(n >> 12) & 63]! + B64U[(n >> 6) & 63]!;
  }
  return s;
}

/**
 * Strict base64url decode: no padding, no `+`/`/`, no whitespace, and the unused low bits of
 * the last character must be zero (so each byte string has exactly one encoding).
 */
export function fromB64u(s: string): Uint8Array {
  if (s.length % 4 === 1) throw new Error('base64url: invalid length');
  const out = new Uint8Array(Math.floor((s.length * 3) / 4));
  let o = 0;
  let acc = 0;
  let bits = 0;
  for (const c of s) {
    const v = B64U_INDEX[c];
    if (v === undefined) throw new Error('base64url: invalid character');
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  if (bits > 0 && (acc & ((1 << bits) - 1)) !== 0) throw new Error('base64url: non-canonical encoding');
  return out;
}

const encoder = new TextEncoder();
const strictDecoder = new TextDecoder('utf-8', { fatal: true });

export function utf8(s: string): Uint8Array {
  return encoder.encode(s);
}

/** Decodes UTF-8; throws on invalid sequences (never substitutes U+FFFD). */
export function fromUtf8(bytes: Uint8Array): string {
  return strictDecoder.decode(bytes);
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** 8-byte big-endian encoding of a non-negative integer counter (< 2^53). */
export function u64be(n: number): Uint8Array {
  const out = new Uint8Array(8);
  writeU64be(out, 0, n);
  return out;
}

/** Writes `n` as 8 big-endian bytes at `offset` (no intermediate array: used per record). */
export function writeU64be(out: Uint8Array, offset: number, n: number): void {
  if (!Number.isSafeInteger(n) || n < 0) throw new Error('u64be: counter out of range');
  let hi = Math.floor(n / 2 ** 32);
  let lo = n >>> 0;
  for (let i = 3; i >= 0; i--) {
    out[offset + i] = hi & 0xff;
    hi >>>= 8;
    out[offset + 4 + i] = lo & 0xff;
    lo >>>= 8;
  }
}

export function readU64be(bytes: Uint8Array, offset = 0): number {
  if (bytes.length < offset + 8) throw new Error('u64be: truncated');
  let hi = 0;
  let lo = 0;
  for (let i = 0; i < 4; i++) {
    hi = hi * 256 + bytes[offset + i]!;
    lo = lo * 256 + bytes[offset + 4 + i]!;
  }
  const n = hi * 2 ** 32 + lo;
  if (!Number.isSafeInteger(n)) throw new Error('u64be: counter out of range');
  return n;
}

/** Constant-time equality for byte strings of public length. */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i]! ^ b[i]!;
  return d === 0;
}
