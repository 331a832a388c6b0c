import { describe, expect, it } from 'vitest';
import { connectionOf } from './connectionState';

describe('a host’s state in words', () => {
  it('says removed, with the host’s name, when the host revoked this phone', () => {
    expect(connectionOf({ kind: 'refused', reason: 'removed' }, undefined, 'Build Box')).toEqual({ state: 'removed', label: 'Removed', detail: 'This device was removed from Build Box' });
  });

  it('tells a host that is not on its relay from a phone without network', () => {
    const offline = { kind: 'offline' as const, reason: 'offline', message: 'host offline' };
    expect(connectionOf({ kind: 'reconnecting', attempt: 2, lastError: 'x' }, offline, 'Build Box')).toMatchObject({ state: 'offline', detail: 'Build Box is not connected to its relay' });
    expect(connectionOf({ kind: 'reconnecting', attempt: 2, lastError: 'x' }, offline, 'Build Box', false)).toMatchObject({ state: 'offline', detail: 'This phone has no network connection' });
  });

  it('says reconnecting with the reason, without close codes', () => {
    const c = connectionOf({ kind: 'reconnecting', attempt: 1, lastError: 'connection closed (4000)' }, { kind: 'network', reason: 'x', message: 'socket closed 1006' }, 'H');
    expect(c).toEqual({ state: 'reconnecting', label: 'Reconnecting', detail: 'The connection was lost' });
  });

  it('is online, connecting, or refuses a host that cannot prove its key', () => {
    expect(connectionOf({ kind: 'online' }, undefined, 'H').state).toBe('online');
    expect(connectionOf({ kind: 'connecting' }, undefined, 'H').state).toBe('connecting');
    expect(connectionOf({ kind: 'refused', reason: 'host_key' }, undefined, 'H')).toMatchObject({ state: 'failed', label: 'Not trusted' });
  });
});
