import { describe, expect, it } from 'vitest';
import { Emitter, type Disposable } from '../../shared/util/lifecycle.js';
import { silentLogger } from '../../shared/util/logger.js';
import { KeepAwake, type KeepAwakeState } from './keepAwake.js';
import type { PowerBlock, PowerBlocker, PowerSource } from './powerBlocker.js';

/** A blocker that records what the OS would hold; starts resolve when the test says so. */
class FakeBlocker implements PowerBlocker {
  readonly name = 'fake';
  unavailableReason: string | undefined = undefined;
  starts: string[] = [];
  live = 0;
  auto = true;
  failWith: string | undefined;
  #pending: { resolve: () => void; reject: (e: Error) => void }[] = [];
  #ended: ((reason: string) => void)[] = [];

  start(why: string, onEnded: (reason: string) => void): Promise<PowerBlock> {
    this.starts.push(why);
    this.#ended.push(onEnded);
    const make = (): PowerBlock => {
      this.live += 1;
      let done = false;
      return {
        dispose: () => {
          if (done) return;
          done = true;
          this.live -= 1;
        },
      };
    };
    if (this.failWith !== undefined) return Promise.reject(new Error(this.failWith));
    if (this.auto) return Promise.resolve(make());
    return new Promise((resolve, reject) => this.#pending.push({ resolve: () => resolve(make()), reject }));
  }

  resolvePending(): void {
    for (const p of this.#pending.splice(0)) p.resolve();
  }

  /** The helper died by itself. */
  endLast(reason: string): void {
    this.live -= 1;
    this.#ended.at(-1)?.(reason);
  }
}

class FakePower implements PowerSource {
  onBattery: boolean | undefined = undefined;
  readonly #changed = new Emitter<boolean | undefined>();
  onDidChange(listener: (v: boolean | undefined) => void): Disposable {
    return this.#changed.on(listener);
  }
  set(v: boolean | undefined): void {
    this.onBattery = v;
    this.#changed.fire(v);
  }
  get listeners(): number {
    return this.#changed.size;
  }
  dispose(): void {}
}

function setup(opts: { enabled?: boolean; remoteAccess?: boolean } = {}) {
  const blocker = new FakeBlocker();
  const power = new FakePower();
  const ka = new KeepAwake({ blocker, power, logger: silentLogger, ...opts });
  const states: KeepAwakeState[] = [];
  ka.onDidChange((s) => states.push(s));
  return { blocker, power, ka, states };
}

const pick = (s: KeepAwakeState) => ({ held: s.held, reasons: s.reasons, available: s.available });

describe('KeepAwake', () => {
  it('holds the blocker from the first turn (0→1) and releases it after the last (1→0)', async () => {
    const { blocker, ka } = setup();
    expect(pick(ka.state)).toEqual({ held: false, reasons: [], available: true });
    ka.acquireTurn('env1/threadA');
    await ka.settled();
    expect(pick(ka.state)).toEqual({ held: true, reasons: ['turn'], available: true });
    expect(blocker.starts).toEqual(['Codex Host: a Codex turn is running']);
    expect(blocker.live).toBe(1);
    ka.releaseTurn('env1/threadA');
    expect(pick(ka.state)).toEqual({ held: false, reasons: [], available: true });
    expect(blocker.live).toBe(0);
  });

  it('keeps one block across two overlapping turns and releases it only when both ended', async () => {
    const { blocker, ka } = setup();
    ka.acquireTurn('env1/threadA');
    await ka.settled();
    ka.acquireTurn('env1/threadB');
    ka.acquireTurn('env1/threadB'); // a repeated status notification
    await ka.settled();
    expect(ka.state.runningTurns).toBe(2);
    ka.releaseTurn('env1/threadA');
    expect(ka.state.held).toBe(true);
    ka.releaseTurn('env1/threadA'); // repeated release: harmless
    expect(ka.state.held).toBe(true);
    ka.releaseTurn('env1/threadB');
    expect(ka.state.held).toBe(false);
    expect(blocker.starts).toHaveLength(1);
    expect(blocker.live).toBe(0);
  });

  it('holds for remote access on AC, releases on battery, and holds again when plugged back in', async () => {
    const { blocker, power, ka, states } = setup({ remoteAccess: true });
    await ka.settled();
    expect(pick(ka.state)).toEqual({ held: true, reasons: ['remote-access'], available: true });
    power.set(true);
    expect(pick(ka.state)).toEqual({ held: false, reasons: [], available: true });
    expect(ka.state.onBattery).toBe(true);
    expect(blocker.live).toBe(0);
    power.set(false);
    await ka.settled();
    expect(pick(ka.state)).toEqual({ held: true, reasons: ['remote-access'], available: true });
    expect(blocker.starts).toHaveLength(2);
    expect(states.map((s) => s.held)).toContain(false);
  });

  it('keeps holding on battery while a turn runs (the turn reason always holds)', async () => {
    const { blocker, power, ka } = setup({ remoteAccess: true });
    power.set(true);
    ka.acquireTurn('t1');
    await ka.settled();
    expect(pick(ka.state)).toEqual({ held: true, reasons: ['turn'], available: true });
    power.set(false);
    await ka.settled();
    expect(pick(ka.state)).toEqual({ held: true, reasons: ['remote-access', 'turn'], available: true });
    expect(blocker.starts).toHaveLength(1);
  });

  it('ignores remote access when the setting is off, but still holds for a turn', async () => {
    const { blocker, ka } = setup({ remoteAccess: true, enabled: false });
    await ka.settled();
    expect(pick(ka.state)).toEqual({ held: false, reasons: [], available: true });
    expect(blocker.starts).toEqual([]);
    ka.acquireTurn('t1');
    await ka.settled();
    expect(ka.state.reasons).toEqual(['turn']);
    ka.setEnabled(true);
    expect(ka.state.reasons).toEqual(['remote-access', 'turn']);
    ka.releaseTurn('t1');
    expect(ka.state.held).toBe(true);
    ka.setEnabled(false);
    expect(pick(ka.state)).toEqual({ held: false, reasons: [], available: true });
    expect(blocker.live).toBe(0);
  });

  it('releases a block whose start finished after the count fell back to 0', async () => {
    const { blocker, ka } = setup();
    blocker.auto = false;
    ka.acquireTurn('t1');
    ka.releaseTurn('t1');
    blocker.resolvePending();
    await ka.settled();
    expect(ka.state.held).toBe(false);
    expect(blocker.live).toBe(0);
  });

  it('releases everything on dispose, including a start still in flight, and stops listening', async () => {
    const { blocker, power, ka } = setup({ remoteAccess: true });
    await ka.settled();
    ka.acquireTurn('t1');
    expect(blocker.live).toBe(1);
    ka.dispose();
    expect(blocker.live).toBe(0);
    expect(power.listeners).toBe(0);

    const second = setup();
    second.blocker.auto = false;
    second.ka.acquireTurn('t1');
    second.ka.dispose();
    second.blocker.resolvePending();
    await second.ka.settled();
    expect(second.blocker.live).toBe(0);
    second.ka.acquireTurn('t2'); // after dispose: ignored
    expect(second.blocker.starts).toHaveLength(1);
  });

  it('reports a failed start as unavailable with its reason, and tries again on the next 0→1', async () => {
    const { blocker, ka } = setup();
    blocker.failWith = 'systemd-inhibit: Failed to connect to bus: No such file or directory';
    ka.acquireTurn('t1');
    await ka.settled();
    expect(ka.state).toMatchObject({
      held: false,
      reasons: ['turn'],
      available: false,
      unavailableReason: 'systemd-inhibit: Failed to connect to bus: No such file or directory',
    });
    ka.acquireTurn('t2'); // count 1→2: no retry storm
    await ka.settled();
    expect(blocker.starts).toHaveLength(1);
    ka.releaseTurn('t1');
    ka.releaseTurn('t2');
    blocker.failWith = undefined;
    ka.acquireTurn('t3');
    await ka.settled();
    expect(pick(ka.state)).toEqual({ held: true, reasons: ['turn'], available: true });
    expect(ka.state.unavailableReason).toBeUndefined();
  });

  it('shows a block that ended by itself as not held, with the reason', async () => {
    const { blocker, ka } = setup();
    ka.acquireTurn('t1');
    await ka.settled();
    blocker.endLast('caffeinate: exited on SIGKILL');
    await ka.settled();
    await Promise.resolve();
    expect(ka.state).toMatchObject({ held: false, reasons: ['turn'], available: false, unavailableReason: 'caffeinate: exited on SIGKILL' });
  });

  it('treats a block that ended before its start resolved as a failed start (and releases it)', async () => {
    let live = 0;
    const blocker: PowerBlocker = {
      name: 'eager',
      unavailableReason: undefined,
      start: (_why, onEnded) => {
        live += 1;
        onEnded('eager: died at once');
        return Promise.resolve({ dispose: () => void (live -= 1) });
      },
    };
    const ka = new KeepAwake({ blocker, power: new FakePower(), logger: silentLogger });
    ka.acquireTurn('t1');
    await ka.settled();
    expect(ka.state).toMatchObject({ held: false, available: false, unavailableReason: 'eager: died at once' });
    expect(live).toBe(0);
  });

  it('never starts a blocker that is known to be unavailable, and says why', async () => {
    const blocker = new FakeBlocker();
    blocker.unavailableReason = 'systemd-inhibit is not installed (not on PATH), so this computer cannot be kept awake';
    const ka = new KeepAwake({ blocker, power: new FakePower(), logger: silentLogger });
    ka.acquireTurn('t1');
    await ka.probe();
    expect(ka.state).toMatchObject({ held: false, available: false, unavailableReason: blocker.unavailableReason });
    expect(blocker.starts).toEqual([]);
  });

  it('probes availability by holding and releasing once while nothing needs it', async () => {
    const { blocker, ka, states } = setup();
    blocker.failWith = 'caffeinate: exited with code 1';
    await ka.probe();
    expect(ka.state).toMatchObject({ held: false, available: false, unavailableReason: 'caffeinate: exited with code 1' });
    expect(states.at(-1)?.available).toBe(false);
    blocker.failWith = undefined;
    await ka.probe();
    expect(ka.state.available).toBe(true);
    expect(blocker.live).toBe(0);
  });

  it('fires onDidChange only when the state changes', async () => {
    const { ka, states } = setup();
    ka.setEnabled(true); // already on
    ka.releaseTurn('nothing');
    expect(states).toEqual([]);
    ka.setRemoteAccess(true);
    await ka.settled();
    expect(states.map(pick)).toEqual([
      { held: false, reasons: ['remote-access'], available: true },
      { held: true, reasons: ['remote-access'], available: true },
    ]);
  });
});
