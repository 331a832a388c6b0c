import { SocketAddress, isIPv4, isIPv6 } from 'node:net';
import { describe, expect, it } from 'vitest';
import { formatHostPort, formatIPv6, isLocalNetworkHost, isLoopbackIp, ListenAddressError, parseHostPort, parseIPv4, parseIPv6, parseListenUrl } from './address.js';

function problemOf(f: () => unknown): string {
  try {
    f();
  } catch (err) {
    if (err instanceof ListenAddressError) return err.problem;
    throw err;
  }
  return 'ok';
}

describe('IP literals', () => {
  // Node's own parser (libuv inet_pton / inet_ntop) is the reference for what an IP literal is
  // and how an IPv6 address is written canonically.
  const samples = [
    '127.0.0.1', '0.0.0.0', '255.255.255.255', '01.2.3.4', '1.2.3', '1.2.3.4.5', '256.1.1.1', '127.1', '1.2.3.-4', '',
    '::', '::1', '::2', '1::', '0:0:0:0:0:0:0:1', '2001:DB8::1', '2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1',
    '1:0:0:2:0:0:0:3', 'fe80::1', 'fe80::1%eth0', '::ffff:127.0.0.1', '::ffff:7f00:1', '::1.2.3.4', '1::1.2.3.4',
    '1:2:3:4:5:6:1.2.3.4', '1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7::', '::1:2:3:4:5:6:7', '1::2::3',
    ':::', '12345::', 'g::1', '::ffff:01.2.3.4', '1.2.3.4::', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', '0::0.0.0.0',
  ];
  for (const s of samples) {
    it(`${JSON.stringify(s)} parses like node`, () => {
      expect(parseIPv4(s) !== undefined).toBe(isIPv4(s));
      expect(parseIPv6(s) !== undefined).toBe(isIPv6(s) && !s.includes('%'));
      if (parseIPv6(s)) expect(formatIPv6(parseIPv6(s)!)).toBe(new SocketAddress({ address: s, family: 'ipv6' }).address);
    });
  }
});

describe('parseListenUrl', () => {
  it('parses IPv4 and bracketed IPv6 with a port, canonicalising IPv6', () => {
    expect(parseListenUrl('ws://127.0.0.1:8787')).toEqual({ host: '127.0.0.1', family: 'ipv4', port: 8787 });
    expect(parseListenUrl('ws://[0:0:0:0:0:0:0:1]:00')).toEqual({ host: '::1', family: 'ipv6', port: 0 });
    expect(parseListenUrl('ws://[::FFFF:127.0.0.1]:1')).toEqual({ host: '::ffff:127.0.0.1', family: 'ipv6', port: 1 });
  });

  it('names what is wrong', () => {
    const table: [string, string][] = [
      ['wss://127.0.0.1:1', 'scheme'],
      ['WS://127.0.0.1:1', 'scheme'],
      [' ws://127.0.0.1:1', 'scheme'],
      ['127.0.0.1:1', 'scheme'],
      ['ws://localhost:1', 'host'],
      ['ws://127.1:1', 'host'],
      ['ws://::1:0', 'host'],
      ['ws://[fe80::1%eth0]:0', 'host'],
      ['ws://[::1', 'host'],
      ['ws://127.0.0.1', 'port_missing'],
      ['ws://127.0.0.1:', 'port_missing'],
      ['ws://[::1]', 'port_missing'],
      ['ws://127.0.0.1:65536', 'port_range'],
      ['ws://127.0.0.1:-1', 'port_range'],
      ['ws://127.0.0.1:0/', 'extra'],
      ['ws://127.0.0.1:0/path', 'extra'],
      ['ws://127.0.0.1:0?x', 'extra'],
      ['ws://u:p@127.0.0.1:1', 'extra'],
      ['ws://[::1]x:1', 'syntax'],
      ['ws://:1', 'syntax'],
      [`ws://127.0.0.1:${'0'.repeat(200)}`, 'too_long'],
    ];
    for (const [url, want] of table) expect([url, problemOf(() => parseListenUrl(url))]).toEqual([url, want]);
  });

  it('accepts one trailing slash only when asked', () => {
    expect(parseListenUrl('ws://127.0.0.1:0/', { trailingSlash: true }).port).toBe(0);
    expect(problemOf(() => parseListenUrl('ws://127.0.0.1:0//', { trailingSlash: true }))).toBe('extra');
  });
});

describe('parseHostPort', () => {
  it('parses IP:PORT and [IPv6]:PORT, and refuses a scheme', () => {
    expect(parseHostPort('0.0.0.0:9000')).toEqual({ host: '0.0.0.0', family: 'ipv4', port: 9000 });
    expect(parseHostPort('[::1]:0')).toEqual({ host: '::1', family: 'ipv6', port: 0 });
    expect(problemOf(() => parseHostPort('ws://127.0.0.1:1'))).toBe('syntax');
    expect(problemOf(() => parseHostPort('127.0.0.1'))).toBe('port_missing');
    expect(() => parseHostPort('example.com:1')).toThrow('the host must be an IP address');
  });

  it('formats back with brackets for IPv6', () => {
    expect(formatHostPort('::1', 80)).toBe('[::1]:80');
    expect(formatHostPort('10.0.0.1', 80)).toBe('10.0.0.1:80');
  });
});

describe('loopback and LAN', () => {
  it('isLoopbackIp: 127/8 and ::1 only (a mapped 127.0.0.1 is not loopback, as in Rust)', () => {
    expect(['127.0.0.1', '127.255.0.9', '::1', '0:0:0:0:0:0:0:1'].map(isLoopbackIp)).toEqual([true, true, true, true]);
    expect(['::ffff:127.0.0.1', '10.0.0.1', '::', 'localhost', '[::1]'].map(isLoopbackIp)).toEqual([false, false, false, false, false]);
  });

  it('isLocalNetworkHost: loopback, private ranges, link-local and local names', () => {
    const local = ['localhost', 'LocalHost', 'a.localhost', 'studio.local', '127.0.0.1', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.0.1', '169.254.1.1', '[::1]', '[fd12:3456::1]', '[fe80::1]'];
    const remote = ['example.com', 'local', '8.8.8.8', '172.15.0.1', '172.32.0.1', '192.169.0.1', '[2001:db8::1]', '[::2]', '[::]', '[::1', '::1'];
    expect(local.filter((h) => !isLocalNetworkHost(h))).toEqual([]);
    expect(remote.filter((h) => isLocalNetworkHost(h))).toEqual([]);
  });
});
