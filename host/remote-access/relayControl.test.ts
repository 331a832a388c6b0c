import { describe, expect, it } from 'vitest';
import { closeSessionMessage, parseRelayToHost } from './relayControl.js';

const SID = 'ab'.repeat(16);
const DEVICE = 'cd'.repeat(16);

describe('relay control messages', () => {
  it('parses what the relay sends, tolerating extra fields and unknown types', () => {
    expect(parseRelayToHost(JSON.stringify({ t: 'open', sid: SID, device: DEVICE, extra: 1 }))).toEqual({ t: 'open', sid: SID, device: DEVICE });
    expect(parseRelayToHost(JSON.stringify({ t: 'closed', sid: SID }))).toEqual({ t: 'closed', sid: SID });
    expect(parseRelayToHost(JSON.stringify({ t: 'future-thing' }))).toEqual({ t: 'unknown', type: 'future-thing' });
  });

  it('refuses malformed ids and non-JSON without echoing the input', () => {
    expect(() => parseRelayToHost(JSON.stringify({ t: 'open', sid: SID.toUpperCase(), device: DEVICE }))).toThrow('relay message: sid');
    expect(() => parseRelayToHost('{"t":"challenge","nonce":"short"}')).toThrow('relay message: nonce');
    expect(() => parseRelayToHost('not json secret')).toThrow(/^relay message: invalid JSON$/);
  });

  it('encodes session closes the relay accepts (4000-4999, reason ≤ 123 bytes)', () => {
    expect(JSON.parse(closeSessionMessage(SID, 4403, 'revoked'))).toEqual({ t: 'close', sid: SID, code: 4403, reason: 'revoked' });
    const m = JSON.parse(closeSessionMessage(SID, 1013, 'x'.repeat(500))) as { code: number; reason: string };
    expect([m.code, m.reason.length]).toEqual([4013, 123]);
  });
});
