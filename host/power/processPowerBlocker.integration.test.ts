/**
 * `ProcessPowerBlocker` with a real child process (the command systemd-inhibit runs under its
 * lock); its logic is unit-tested with scripted children in processPowerBlocker.test.ts.
 */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { INHIBIT_CHILD } from './headlessPower.js';
import { ProcessPowerBlocker } from './processPowerBlocker.js';

const pidAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function until(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('ProcessPowerBlocker with a real child', () => {
  it('runs the real inhibitor child command: ready on its line, gone after release', async () => {
    // The command systemd-inhibit runs under its lock, run directly: it must announce itself
    // and live exactly as long as our pipe.
    const [command, ...args] = INHIBIT_CHILD;
    let pid: number | undefined;
    const blocker = new ProcessPowerBlocker({
      name: 'sh',
      command,
      args: () => args,
      ready: 'stdout',
      spawn: (c, a, o) => {
        const child = spawn(c, [...a], o);
        pid = child.pid;
        return child;
      },
    });
    const block = await blocker.start('why', () => {});
    expect(pid !== undefined && pidAlive(pid)).toBe(true);
    block.dispose();
    await until(() => !pidAlive(pid!));
  });
});
