import { describe, expect, it } from 'vitest';
import { isLocalNetworkHost } from '../net/address.js';
import { httpOriginProblem, relayUrlProblem } from './relayUrl.js';

describe('isLocalNetworkHost', () => {
  const local = ['localhost', 'LocalHost', 'a.localhost', 'studio.local', '127.0.0.1', '127.255.0.9', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.0.1', '169.254.1.1', '[::1]', '[fd12:3456::1]', '[fe80::1]'];
  const remote = ['example.com', 'localhost.example.com', 'local', '8.8.8.8', '172.15.0.1', '172.32.0.1', '192.169.0.1', '[2001:db8::1]', '[::2]', '[::]'];
  for (const host of local) it(`${host} is local`, () => expect(isLocalNetworkHost(host)).toBe(true));
  for (const host of remote) it(`${host} is not local`, () => expect(isLocalNetworkHost(host)).toBe(false));
});

describe('relayUrlProblem', () => {
  it('accepts wss URLs with port and path, and ws to local hosts', () => {
    for (const url of ['wss://relay.example.test', 'wss://relay.example.test:443/v', 'wss://[2001:db8::1]:8443', 'ws://127.0.0.1:9000', 'ws://[::1]:1']) {
      expect(relayUrlProblem(url)).toBeUndefined();
    }
  });

  it('names what is wrong', () => {
    expect(relayUrlProblem('wss://relay.example.test/')).toMatch(/trailing slash/);
    expect(relayUrlProblem('wss://relay.example.test#x')).toMatch(/fragment/);
    expect(relayUrlProblem('wss://relay.example.test:0')).toMatch(/port/);
    expect(relayUrlProblem('wss://relay.example.test:65536')).toMatch(/port/);
    expect(relayUrlProblem('wss://-bad.example')).toMatch(/host name/);
    expect(relayUrlProblem('wss://127.1')).toMatch(/IPv4/);
    expect(relayUrlProblem('wss://256.0.0.1')).toMatch(/IPv4/);
    expect(relayUrlProblem('wss://[1::2::3]')).toMatch(/IPv6/);
    expect(relayUrlProblem('ws://relay.example.test')).toMatch(/loopback\/LAN/);
    expect(relayUrlProblem('ftp://relay.example.test')).toMatch(/wss:\/\//);
    expect(relayUrlProblem('relay.example.test')).toMatch(/absolute URL/);
    expect(relayUrlProblem(`wss://${'a'.repeat(250)}.test`)).toMatch(/at most 256/);
  });

  it('origins have no path', () => {
    expect(httpOriginProblem('https://relay.example.test')).toBeUndefined();
    expect(httpOriginProblem('http://192.168.1.2:8080')).toBeUndefined();
    expect(httpOriginProblem('https://relay.example.test/pair')).toMatch(/origin/);
    expect(httpOriginProblem('http://relay.example.test')).toMatch(/loopback\/LAN/);
  });
});
