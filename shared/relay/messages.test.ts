import { describe, expect, it } from 'vitest';
import { closeSessionMessage, parseHostToRelay, parseRelayToController, parseRelayToHost } from './messages.js';

const SID = 'ab'.repeat(16);
const DEVICE = 'cd'.repeat(16);

describe('relay → host messages (the host parser)', () => {
  it('parses what the relay sends, tolerating extra fields and unknown types', () => {
    expect(parseRelayToHost(JSON.stringify({ t: 'open', sid: SID, device: DEVICE, extra: 1 }))).toEqual({ t: 'open', sid: SID, device: DEVICE });
    expect(parseRelayToHost(JSON.stringify({ t: 'closed', sid: SID }))).toEqual({ t: 'closed', sid: SID });
    expect(parseRelayToHost(JSON.stringify({ t: 'future-thing' }))).toEqual({ t: 'unknown', type: 'future-thing' });
  });

  it('refuses malformed ids, nonces and non-JSON without echoing the input', () => {
    expect(() => parseRelayToHost(JSON.stringify({ t: 'open', sid: SID.toUpperCase(), device: DEVICE }))).toThrow('relay message: sid');
    expect(() => parseRelayToHost('{"t":"challenge","nonce":"short"}')).toThrow('relay message: nonce: must be base64url of 32 bytes');
    expect(() => parseRelayToHost(`{"t":"challenge","nonce":"${'A'.repeat(42)}B"}`)).toThrow('relay message: nonce: must be canonical base64url');
    expect(() => parseRelayToHost('not json secret')).toThrow(/^relay message: invalid JSON$/);
    expect(() => parseRelayToHost(JSON.stringify({ t: 'closed', sid: SID, pad: 'x'.repeat(5000) }))).toThrow('relay message: message too large');
  });
});

describe('host → relay messages (the relay parser)', () => {
  it('is strict: unknown fields, unknown types and out-of-range codes are refused', () => {
    expect(() => parseHostToRelay(JSON.stringify({ t: 'close', sid: SID, code: 4403, extra: 1 }))).toThrow(/^relay\.host: \(root\): Unrecognized key/);
    expect(() => parseHostToRelay(JSON.stringify({ t: 'hello' }))).toThrow('relay.host: t');
    expect(() => parseHostToRelay(JSON.stringify({ t: 'close', sid: SID, code: 1000 }))).toThrow('relay.host: code');
    expect(() => parseHostToRelay(JSON.stringify({ t: 'close', sid: SID, code: 4403, reason: '€'.repeat(42) }))).toThrow('reason longer than 123 UTF-8 bytes');
  });

  it('encodes session closes the relay accepts (4000-4999, reason ≤ 123 bytes)', () => {
    expect(JSON.parse(closeSessionMessage(SID, 4403, 'revoked'))).toEqual({ t: 'close', sid: SID, code: 4403, reason: 'revoked' });
    const m = JSON.parse(closeSessionMessage(SID, 1013, 'x'.repeat(500))) as { code: number; reason: string };
    expect([m.code, m.reason.length]).toEqual([4013, 123]);
  });
});

describe('relay → controller messages (the controller parser)', () => {
  it('tolerates extra fields but refuses unknown types and oversized frames', () => {
    expect(parseRelayToController(JSON.stringify({ t: 'ready', sid: SID, v: 2 }))).toEqual({ t: 'ready', sid: SID });
    expect(() => parseRelayToController(JSON.stringify({ t: 'welcome' }), 'resume.relay')).toThrow('resume.relay: t');
    expect(() => parseRelayToController(' '.repeat(2000), 'resume.relay')).toThrow('resume.relay: message too large');
  });
});
