import { describe, expect, it } from 'vitest';
import { manualToResolved, parseManualHost } from './manualHost.js';

const HOME = '/home/u';

describe('parseManualHost', () => {
  it('accepts user@host, user@host:port, user@[v6]:port and an identity file', () => {
    expect(parseManualHost({ name: 'box', destination: 'alice@devbox.lan' }, HOME)).toEqual({ name: 'box', user: 'alice', hostName: 'devbox.lan', port: 22 });
    expect(parseManualHost({ name: 'box', destination: 'alice@10.0.0.2:2222', identityFile: '~/.ssh/box_key' }, HOME)).toEqual({
      name: 'box',
      user: 'alice',
      hostName: '10.0.0.2',
      port: 2222,
      identityFile: '/home/u/.ssh/box_key',
    });
    expect(parseManualHost({ name: 'v6', destination: 'bob@[::1]:2200' }, HOME)).toMatchObject({ hostName: '::1', port: 2200 });
    expect(parseManualHost({ name: 'p', destination: 'bob@h', port: 2022 }, HOME).port).toBe(2022);
  });

  it('says what is wrong', () => {
    const bad = (destination: string, extra: Record<string, unknown> = {}) => () => parseManualHost({ name: 'x', destination, ...extra }, HOME);
    expect(bad('devbox')).toThrow('"devbox" needs a user: write it as user@host or user@host:port');
    expect(bad('a@')).toThrow('has no host after the @');
    expect(bad('a@h:0')).toThrow('the port "0" must be a number from 1 to 65535');
    expect(bad('a@h:70000')).toThrow('must be a number from 1 to 65535');
    expect(bad('a@h:ssh')).toThrow('the port "ssh" must be a number');
    expect(bad('a@::1')).toThrow('write an IPv6 address in brackets');
    expect(bad('a@bad_host!')).toThrow('is not a valid host name or address');
    expect(bad('a b@h')).toThrow('"a b" is not a valid user name');
    expect(bad('a@h', { port: 0 })).toThrow('the port 0 must be a number from 1 to 65535');
    expect(() => parseManualHost({ name: '', destination: 'a@h' }, HOME)).toThrow('the name must be 1–64 printable characters');
    expect(() => parseManualHost({ name: 'my box', destination: 'a@h' }, HOME)).toThrow(/may only contain letters/);
  });

  it('becomes resolved settings with OpenSSH defaults', () => {
    const r = manualToResolved(parseManualHost({ name: 'box', destination: 'a@h:2', identityFile: '/k' }, HOME), { home: HOME, localUser: 'u', localHost: 'l', authSock: undefined });
    expect(r).toMatchObject({ alias: 'box', hostName: 'h', port: 2, user: 'a', identityFiles: ['/k'], identitiesOnly: true, agentSocket: undefined, source: 'manual' });
  });
});
