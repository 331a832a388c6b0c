import { describe, expect, it } from 'vitest';
import { hrefOf, parseRoute, type Route } from './route';

const H = 'ab'.repeat(16);
const at = (href: string) => {
  const u = new URL(href, 'https://relay.test');
  return parseRoute({ pathname: u.pathname, hash: u.hash, href: u.href });
};

describe('phone routes', () => {
  it('round-trips every screen through its fragment URL', () => {
    const routes: Route[] = [
      { kind: 'home' },
      { kind: 'add' },
      { kind: 'settings' },
      { kind: 'settings', hostId: H },
      { kind: 'host', hostId: H },
      { kind: 'new', hostId: H },
      { kind: 'thread', hostId: H, threadId: 'thr/1 ä' },
      { kind: 'thread', hostId: H, threadId: 't1', environmentId: 'ssh:build box' },
      { kind: 'diff', hostId: H, threadId: 't1', itemId: 'item#2', file: 3 },
    ];
    for (const r of routes) expect(at(hrefOf(r))).toEqual(r);
  });

  it('keeps the host and thread in the fragment, which no browser sends to the relay', () => {
    expect(hrefOf({ kind: 'thread', hostId: H, threadId: 't' })).toBe(`/#/hosts/${H}/threads/t`);
    expect(hrefOf({ kind: 'thread', hostId: H, threadId: 't', environmentId: 'remote:ab' })).toBe(`/#/hosts/${H}/environments/remote%3Aab/threads/t`);
  });

  it('reads the pairing link only at /pair with a p= fragment', () => {
    expect(at('/pair#p=abc')).toEqual({ kind: 'pair', link: 'https://relay.test/pair#p=abc' });
    expect(at('/pair')).toEqual({ kind: 'home' });
    expect(at('/#p=abc')).toEqual({ kind: 'home' });
  });

  it('sends anything it does not know home (bad host ids, broken escapes, junk)', () => {
    expect(at('/#/hosts/NOTAHOST')).toEqual({ kind: 'home' });
    expect(at(`/#/hosts/${H}/threads/%E0%A4%A`)).toEqual({ kind: 'home' });
    expect(at('/#/whatever')).toEqual({ kind: 'home' });
  });
});
