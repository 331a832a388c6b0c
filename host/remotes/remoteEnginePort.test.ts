import { describe, expect, it } from 'vitest';
import type { EngineState } from '../../shared/protocol/hostMethods.js';
import { createMemoryTransportPair } from '../../shared/rpc/memoryTransport.js';
import { Emitter } from '../../shared/util/lifecycle.js';
import { RemoteEnginePort, type RemoteLinkView } from './remoteEnginePort.js';
import type { LinkStatus } from './remoteLink.js';

class FakeLink implements RemoteLinkView {
  status: LinkStatus = { phase: 'idle', offline: false, removed: false };
  readonly changes = new Emitter<LinkStatus>();
  readonly restarts = new Emitter<void>();
  opened = 0;
  set(s: Partial<LinkStatus>): void {
    this.status = { offline: false, removed: false, ...s } as LinkStatus;
    this.changes.fire(this.status);
  }
  onChange(l: (s: LinkStatus) => void) {
    return this.changes.on(l);
  }
  onEngineRestart(l: () => void) {
    return this.restarts.on(l);
  }
  async openEngineTransport() {
    this.opened++;
    return createMemoryTransportPair()[0];
  }
}

describe('RemoteEnginePort', () => {
  it('follows the link: starting until the first connection, running when open, restarting when it is re-established, failed when refused for good, stopped when off', () => {
    const link = new FakeLink();
    const port = new RemoteEnginePort(link, () => '0.171.0');
    const seen: EngineState[] = [];
    port.onStateChange((s) => seen.push(s));
    expect(port.state).toBe('stopped');
    link.set({ phase: 'connecting' });
    link.set({ phase: 'handshaking' });
    link.set({ phase: 'open' });
    link.set({ phase: 'retrying', offline: true, message: 'Host B is offline (not connected to its relay)' });
    expect(port.lastError).toBe('Host B is offline (not connected to its relay)');
    link.set({ phase: 'waiting' });
    link.set({ phase: 'open' });
    link.set({ phase: 'failed', removed: true });
    link.set({ phase: 'idle' });
    expect(seen).toEqual(['starting', 'running', 'restarting', 'running', 'failed', 'stopped']);
    expect(port.version).toBe('0.171.0');
  });

  it('tells the hub when what its environment shows changed without a state change: a new failure message, a rename', () => {
    const link = new FakeLink();
    const port = new RemoteEnginePort(link, () => undefined);
    let infos = 0;
    port.onInfoChange(() => infos++);
    link.set({ phase: 'connecting' });
    expect(infos).toBe(0); // a state change (stopped → starting) is its own notification
    // Still starting, but now with a reason.
    link.set({ phase: 'retrying', message: 'connection refused' });
    expect([port.state, infos]).toEqual(['starting', 1]);
    link.set({ phase: 'retrying', message: 'connection refused' });
    expect(infos).toBe(1);
    link.set({ phase: 'retrying', message: 'the relay is not reachable' });
    expect(infos).toBe(2);
    port.nameChanged();
    expect(infos).toBe(3);
  });

  it('opens one end-to-end session per connect while running, and refuses otherwise with the reason', async () => {
    const link = new FakeLink();
    const port = new RemoteEnginePort(link, () => undefined);
    link.set({ phase: 'retrying', offline: true, message: 'Host B is offline (not connected to its relay)' });
    await expect(port.connect()).rejects.toThrow('the other host is not connected (Host B is offline (not connected to its relay))');
    link.set({ phase: 'open' });
    await port.connect();
    await port.connect();
    expect(link.opened).toBe(2);
  });

  it('reports the other engine\u2019s restart as a restart of this environment (its clients reconnect)', () => {
    const link = new FakeLink();
    const port = new RemoteEnginePort(link, () => undefined);
    let fired = 0;
    port.onRestart(() => fired++);
    link.restarts.fire();
    expect([fired, port.restarts]).toEqual([1, 1]);
    port.dispose();
    link.restarts.fire();
    expect(fired).toBe(1);
  });
});
