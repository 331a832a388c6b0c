import { describe, expect, it } from 'vitest';
import { protocolError } from '../crypto/protocolError.js';
import { errorFromClose, errorFromFailure } from './remoteSessionError.js';

describe('RemoteSessionError classification', () => {
  it('turns close codes into what a user is told, and whether to retry', () => {
    const table: [number, string, string, string, boolean][] = [
      [4403, 'expired', 'expired', 'expired', false],
      [4403, 'revoked', 'denied', 'revoked', false],
      [4403, 'used', 'denied', 'used', false],
      [4404, 'host offline', 'offline', 'host offline', true],
      [4408, 'handshake timeout', 'timeout', 'handshake timeout', true],
      [4429, 'rate limited', 'rate_limited', 'rate limited', true],
      [4400, 'bad_counter', 'protocol', 'bad_counter', true],
      [1000, '', 'closed', 'closed', false],
      [1000, 'record_limit', 'network', 'record_limit', true],
      [1001, 'host is shutting down', 'network', 'host is shutting down', true],
      [1006, '', 'network', 'closed 1006', true],
    ];
    for (const [code, reason, kind, outReason, retryable] of table) {
      const e = errorFromClose({ code, reason }, 'resume');
      expect([code, reason, e.kind, e.reason, e.retryable]).toEqual([code, reason, kind, outReason, retryable]);
    }
    expect(errorFromClose({ code: 4403, reason: 'revoked' }, 'resume').deniedReason).toBe('revoked');
  });

  it('reports a host that fails the pinned-key check as host_key, never retried', () => {
    const e = errorFromFailure(protocolError('bad_host_signature', 'ControllerHandshake: …'), 'resume');
    expect([e.kind, e.retryable]).toEqual(['host_key', false]);
    expect(errorFromFailure(protocolError('decrypt_failed', 'x'), 'pair').kind).toBe('protocol');
  });
});
