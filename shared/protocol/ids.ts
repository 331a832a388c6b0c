/**
 * The id and key encodings of the remote protocol (remote-protocol.md §1, §3): hostIds, deviceIds
 * and sids are 16 bytes written as 32 lowercase hex characters; keys, nonces and signatures are
 * base64url without padding, of an exact byte length. One definition each, used by the relay, the
 * host, the controller, the pairing link and the stored device lists.
 */
import { z } from 'zod';
import { fromB64u } from '../util/encoding.js';

/** Bytes of a session id (the relay's `sid`), and of hostIds and deviceIds. */
export const SID_BYTES = 16;

/** 32 lowercase hex characters: a hostId, deviceId or sid. */
export const HEX_ID_RE = /^[0-9a-f]{32}$/;

/** A hostId, deviceId or sid: 32 lowercase hex characters. */
export const hexIdSchema = z.string().regex(HEX_ID_RE, 'must be 32 lowercase hex characters');

/** Length of the unpadded base64url text of `bytes` bytes. */
export function b64uLength(bytes: number): number {
  return Math.ceil((bytes * 4) / 3);
}

const B64U_CHARS = /^[A-Za-z0-9_-]*$/;

/** Exact length and alphabet; the canonical decode runs only on text that passed both. */
function b64uChars(bytes: number) {
  const message = `must be base64url of ${bytes} bytes`;
  return z.string().length(b64uLength(bytes), message).regex(B64U_CHARS, message);
}

/** A base64url string that decodes canonically to exactly `bytes` bytes; parses to the bytes. */
export function b64uBytes(bytes: number) {
  return b64uChars(bytes).transform((s, ctx) => {
    try {
      return fromB64u(s);
    } catch {
      ctx.issues.push({ code: 'custom', message: 'must be canonical base64url', input: s });
      return z.NEVER;
    }
  });
}

/** Like `b64uBytes`, but keeps the text (for records stored as JSON, e.g. a pinned host key). */
export function b64uText(bytes: number) {
  return b64uChars(bytes).transform((s, ctx) => {
    try {
      fromB64u(s);
      return s;
    } catch {
      ctx.issues.push({ code: 'custom', message: 'must be canonical base64url', input: s });
      return z.NEVER;
    }
  });
}
