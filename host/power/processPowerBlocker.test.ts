import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { ProcessPowerBlocker, type HelperProcess, type SpawnHelper } from './processPowerBlocker.js';

/** A scripted child process. */
class FakeChild extends EventEmitter implements HelperProcess {
  readonly pid = 4242;
  readonly stdout = new EventEmitter();
  readonly stderr = new EventEmitter();
  stdinEnded = false;
  signals: string[] = [];
  readonly stdin = { end: () => void (this.stdinEnded = true), on: () => this };
  kill(signal?: NodeJS.Signals): boolean {
    this.signals.push(signal ?? 'SIGTERM');
    return true;
  }
}

function fake(ready: 'spawned' | 'stdout', startTimeoutMs?: number) {
  const children: FakeChild[] = [];
  const argv: string[][] = [];
  const spawnFake: SpawnHelper = (command, args) => {
    argv.push([command, ...args]);
    const c = new FakeChild();
    children.push(c);
    return c;
  };
  const blocker = new ProcessPowerBlocker({
    name: 'helper',
    command: '/usr/bin/helper',
    args: (why) => [`--why=${why}`],
    ready,
    spawn: spawnFake,
    ...(startTimeoutMs !== undefined ? { startTimeoutMs } : {}),
  });
  return { blocker, children, argv };
}

describe('ProcessPowerBlocker', () => {
  it('is held once the helper prints its ready line, and released by ending its pipe and stopping it', async () => {
    const { blocker, children, argv } = fake('stdout');
    const p = blocker.start('a turn is running', () => {});
    children[0]!.emit('spawn');
    children[0]!.stdout.emit('data', Buffer.from('held\n'));
    const block = await p;
    expect(argv).toEqual([['/usr/bin/helper', '--why=a turn is running']]);
    expect(children[0]!.signals).toEqual([]);
    block.dispose();
    block.dispose();
    expect(children[0]!.stdinEnded).toBe(true);
    expect(children[0]!.signals).toEqual(['SIGTERM']);
  });

  it('refuses with the helper’s last stderr line when it exits before holding', async () => {
    const { blocker, children } = fake('stdout');
    const p = blocker.start('why', () => {});
    children[0]!.emit('spawn');
    children[0]!.stderr.emit('data', Buffer.from('Failed to connect to bus: No such file or directory\n'));
    children[0]!.emit('exit', 1, null);
    await expect(p).rejects.toThrow(/^helper: Failed to connect to bus: No such file or directory$/);
  });

  it('says the tool is not installed when spawning fails with ENOENT', async () => {
    const { blocker, children } = fake('spawned');
    const p = blocker.start('why', () => {});
    children[0]!.emit('error', Object.assign(new Error('spawn /usr/bin/helper ENOENT'), { code: 'ENOENT' }));
    await expect(p).rejects.toThrow('helper: /usr/bin/helper is not installed (not on PATH)');
  });

  it('gives up (and stops the helper) when it does not get ready in time', async () => {
    const { blocker, children } = fake('stdout', 30);
    const p = blocker.start('why', () => {});
    children[0]!.emit('spawn');
    await expect(p).rejects.toThrow('helper: did not start within 30 ms');
    expect(children[0]!.signals).toEqual(['SIGTERM']);
  });

  it('reports a helper that dies while holding, once, and not after a release', async () => {
    const { blocker, children } = fake('spawned');
    const ended: string[] = [];
    const p = blocker.start('why', (r) => ended.push(r));
    children[0]!.emit('spawn');
    await p;
    children[0]!.emit('exit', null, 'SIGKILL');
    children[0]!.emit('exit', null, 'SIGKILL');
    expect(ended).toEqual(['helper: exited on SIGKILL']);

    const second = blocker.start('why', (r) => ended.push(r));
    children[1]!.emit('spawn');
    (await second).dispose();
    children[1]!.emit('exit', null, 'SIGTERM');
    expect(ended).toHaveLength(1);
  });

  it('refuses without spawning when the tool is known to be missing', async () => {
    let spawned = 0;
    const blocker = new ProcessPowerBlocker({
      name: 'caffeinate',
      command: 'caffeinate',
      args: () => [],
      ready: 'spawned',
      spawn: () => {
        spawned += 1;
        throw new Error('unreachable');
      },
      unavailableReason: 'caffeinate is not on PATH, so this computer cannot be kept awake',
    });
    await expect(blocker.start('why', () => {})).rejects.toThrow('caffeinate is not on PATH');
    expect(spawned).toBe(0);
  });
});
