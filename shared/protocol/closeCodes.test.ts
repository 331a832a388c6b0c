import { describe, expect, it } from 'vitest';
import { fromRelaySessionCloseCode, toControllerSocketCloseCode, toRelaySessionCloseCode, truncateCloseReason } from './closeCodes.js';

describe('session close codes', () => {
  it('carries RFC 6455 codes across the relay as 4000-4015 and maps them back', () => {
    const table: [number, number][] = [
      [1000, 4000],
      [1001, 4001],
      [1009, 4009],
      [1012, 4012],
      [4400, 4400],
      [4403, 4403],
      [4999, 4999],
      [3000, 4000],
      [5000, 4000],
    ];
    for (const [code, relay] of table) expect([code, toRelaySessionCloseCode(code)]).toEqual([code, relay]);
    for (const code of [1000, 1001, 1009, 1011, 1012, 1013]) expect(fromRelaySessionCloseCode(toRelaySessionCloseCode(code))).toBe(code);
    for (const code of [4400, 4403, 4404, 4408, 4429, 1006]) expect(fromRelaySessionCloseCode(code)).toBe(code);
  });

  it('gives a browser WebSocket only codes it accepts (1000, 3000-4999)', () => {
    expect([1000, 1001, 1011, 4400].map(toControllerSocketCloseCode)).toEqual([1000, 4001, 4011, 4400]);
  });

  it('cuts reasons to 123 UTF-8 bytes on a code point boundary', () => {
    expect(truncateCloseReason('short')).toBe('short');
    const cut = truncateCloseReason('€'.repeat(50));
    expect(new TextEncoder().encode(cut).length).toBe(123);
    expect(truncateCloseReason('a😀', 4)).toBe('a');
  });
});
