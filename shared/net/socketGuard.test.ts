import { describe, expect, it } from 'vitest';
import { SocketGuard, type GuardDrop, type SocketGuardOptions } from './socketGuard.js';

class FakeSocket {
  destroyed = false;
  #onClose: (() => void) | undefined;
  constructor(readonly remoteAddress: string) {}
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    // Like net.Socket: 'close' comes later, not inside destroy().
    queueMicrotask(() => this.#onClose?.());
  }
  once(_event: 'close', listener: () => void): void {
    this.#onClose = listener;
  }
}

function harness(options: Partial<SocketGuardOptions> = {}) {
  let now = 0;
  let tick: (() => void) | undefined;
  const drops: GuardDrop[] = [];
  const guard = new SocketGuard({
    maxSockets: 4,
    maxSocketsPerAddress: 3,
    maxPendingPerAddress: 2,
    pendingTimeoutMs: 10_000,
    now: () => now,
    every: (_ms, fn) => {
      tick = fn;
      return { dispose: () => (tick = undefined) };
    },
    onDrop: (reason) => drops.push(reason),
    ...options,
  });
  return {
    guard,
    drops,
    advance: (ms: number) => {
      now += ms;
      tick?.();
    },
    open: (address = '10.0.0.1') => {
      const s = new FakeSocket(address);
      guard.accept(s);
      return s;
    },
  };
}

describe('SocketGuard', () => {
  it('destroys a socket still pending at the deadline, and never an active one', () => {
    const h = harness();
    const idle = h.open('10.0.0.1');
    const authed = h.open('10.0.0.2');
    expect(h.guard.activate(authed)).toBe(true);
    h.advance(9_999);
    expect(idle.destroyed).toBe(false);
    h.advance(1);
    expect([idle.destroyed, authed.destroyed]).toEqual([true, false]);
    expect(h.drops).toEqual(['deadline']);
    expect(h.guard.activate(idle)).toBe(false);
  });

  it('makes room for a new socket from an address by dropping that address\'s oldest pending one', () => {
    const h = harness();
    const [a, b] = [h.open(), h.open()];
    const c = h.open();
    expect([a.destroyed, b.destroyed, c.destroyed]).toEqual([true, false, false]);
    expect(h.drops).toEqual(['evicted_address']);
    expect(h.guard.stats()).toMatchObject({ sockets: 2, pending: 2 });
  });

  it('makes room in a full guard by dropping the oldest pending socket of anyone', () => {
    const h = harness();
    const first = h.open('10.0.0.1');
    h.open('10.0.0.2');
    h.open('10.0.0.3');
    h.open('10.0.0.4');
    const newcomer = h.open('10.0.0.5');
    expect([first.destroyed, newcomer.destroyed]).toEqual([true, false]);
    expect(h.drops).toEqual(['evicted_total']);
  });

  it('refuses a new socket only when every socket that could make room is active', () => {
    const h = harness({ maxSockets: 2, maxSocketsPerAddress: 2 });
    const x = h.open('10.0.0.1');
    const y = h.open('10.0.0.1');
    h.guard.activate(x);
    h.guard.activate(y);
    const z = h.open('10.0.0.1');
    expect(z.destroyed).toBe(true);
    expect(h.drops).toEqual(['refused_address']);
    const w = h.open('10.0.0.9');
    expect(w.destroyed).toBe(true);
    expect(h.drops).toEqual(['refused_address', 'refused_total']);
  });

  it('frees the slots of closed sockets', async () => {
    const h = harness({ maxSockets: 1 });
    const s = h.open();
    h.guard.activate(s);
    s.destroy();
    await Promise.resolve();
    expect(h.guard.stats()).toMatchObject({ sockets: 0, pending: 0 });
    expect(h.open().destroyed).toBe(false);
  });

  it('refuses nonsense bounds', () => {
    expect(() => harness({ maxSockets: 0 })).toThrow('SocketGuard: maxSockets must be at least 1');
  });
});
