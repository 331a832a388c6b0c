import { beforeEach, describe, expect, it } from 'vitest';
import type { Relay } from './relayServer.js';
import { startRelay } from './relayServer.js';
import { useRelay, waitFor } from '../testing/useRelay.js';

const fx = useRelay();
const start = fx.start;

/** Opens `/v1/host` with optional `X-Forwarded-For`; resolves with the first message or the close. */
async function attempt(_r: Relay, forwardedFor?: string): Promise<'challenge' | string> {
  const peer = await fx.connect('/v1/host', forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor });
  attempts.push(peer);
  return Promise.race([peer.nextJson().then((m) => String(m.t)), peer.closed.then((c) => `${c.code} ${c.reason}`)]);
}
/** This test's peers, in the order `attempt` opened them. */
const attempts: Awaited<ReturnType<typeof fx.connect>>[] = [];
beforeEach(() => {
  attempts.length = 0;
});

const TOO_MANY = '4429 too many connections from this address';

describe('connections per address', () => {
  it('closes connections beyond maxConnectionsPerAddress with 4429, and admits again once one closes', async () => {
    const r = await start({ maxConnectionsPerAddress: 2 });
    expect(await attempt(r)).toBe('challenge');
    expect(await attempt(r)).toBe('challenge');
    expect(await attempt(r)).toBe(TOO_MANY);
    expect(r.stats().rateLimited).toBe(1);
    const first = attempts[0]!;
    first.ws.close();
    await first.waitClosed();
    await waitFor(() => r.stats().connections === 1);
    expect(await attempt(r)).toBe('challenge');
  });

  it('ignores X-Forwarded-For by default: every client behind one socket address shares the cap', async () => {
    const r = await start({ maxConnectionsPerAddress: 1 });
    expect(await attempt(r, '198.51.100.1')).toBe('challenge');
    expect(await attempt(r, '198.51.100.2')).toBe(TOO_MANY);
  });
});

describe('trustProxy', () => {
  it('keys limits on the last X-Forwarded-For entry, falling back to the socket address', async () => {
    const r = await start({ trustProxy: true, maxConnectionsPerAddress: 1 });
    // The last entry is the address the proxy saw; earlier ones are the client's own claims.
    expect(await attempt(r, '203.0.113.9, 198.51.100.1')).toBe('challenge');
    expect(await attempt(r, '198.51.100.1')).toBe(TOO_MANY);
    expect(await attempt(r, '203.0.113.9, 198.51.100.2')).toBe('challenge');
    expect(await attempt(r, '2001:DB8::1')).toBe('challenge');
    expect(await attempt(r, '2001:db8::1')).toBe(TOO_MANY);
    // No header, or a last entry that is not an IP: the socket address (127.0.0.1).
    expect(await attempt(r)).toBe('challenge');
    expect(await attempt(r, '198.51.100.3, not-an-ip')).toBe(TOO_MANY);
  });

  it('applies the per-address rate limits to the forwarded address', async () => {
    const r = await start({ trustProxy: true, connectionRate: { burst: 1, perSecond: 0.001 } });
    expect(await attempt(r, '198.51.100.1')).toBe('challenge');
    expect(await attempt(r, '198.51.100.2')).toBe('challenge');
    expect(await attempt(r, '198.51.100.1')).toBe('4429 rate limited');
  });

  it('cannot be combined with a clientAddress hook', async () => {
    await expect(startRelay({ trustProxy: true, clientAddress: () => 'x' })).rejects.toThrow(
      'startRelay: options: trustProxy and clientAddress are exclusive',
    );
  });
});
