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

  it('says which environment is out of reach when the host is there but that engine is not', () => {
    const laptop = { id: 'remote:ab12', label: 'Studio Laptop' };
    const down = { kind: 'reconnecting' as const, attempt: 3, closeCode: 1013, lastError: 'connection closed: engine of environment "remote:ab12" unavailable; try again later' };
    expect(connectionOf(down, undefined, 'Build Box', true, laptop)).toEqual({
      state: 'offline',
      label: 'Not reachable',
      detail: 'Build Box cannot reach Studio Laptop right now. It keeps trying; the other environments work meanwhile.',
    });
    const gone = { ...down, lastError: 'connection closed: environment "remote:ab12" is not available on this host' };
    expect(connectionOf(gone, undefined, 'Build Box', true, laptop)).toMatchObject({ state: 'offline', label: 'Not available', detail: 'Build Box no longer offers Studio Laptop. Pick another environment above.' });
    const unknown = { kind: 'reconnecting' as const, attempt: 1, lastError: 'host/environment/select: unknown environment "remote:ab12" (this host has: local)' };
    expect(connectionOf(unknown, undefined, 'Build Box', true, laptop)).toMatchObject({ state: 'offline', label: 'Not available' });
    const own = { ...down, lastError: 'connection closed: engine unavailable; try again later' };
    expect(connectionOf(own, undefined, 'Build Box', true)).toMatchObject({ state: 'reconnecting', detail: 'Codex is not running on Build Box right now; the host is starting it again' });
    // Another close, or the same words without the hub's code, keep the generic wording.
    expect(connectionOf({ ...down, closeCode: 1011 }, undefined, 'Build Box', true, laptop)).toMatchObject({ state: 'reconnecting', detail: down.lastError });
    expect(connectionOf({ ...down, lastError: 'connection closed: too many clients' }, undefined, 'Build Box', true, laptop)).toMatchObject({ state: 'reconnecting' });
  });
});
