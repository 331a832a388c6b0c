/**
 * The real Linux keep-awake adapter on this machine (systemd-inhibit as a child process); the
 * adapters' logic is unit-tested with fakes in headlessPower.test.ts.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../shared/util/logger.js';
import { createHeadlessPower } from './headlessPower.js';
import { KeepAwake } from './keepAwake.js';

describe('createHeadlessPower on this machine', () => {
  // The real Linux adapter on this machine: either systemd-inhibit holds a lock (visible in
  // `systemd-inhibit --list`) or keep-awake reports "unavailable" with systemd-inhibit's own
  // stderr line (in a container: no system bus).
  it.runIf(process.platform === 'linux')('holds sleep with the real systemd-inhibit, or reports it unavailable with its stderr line', async () => {
    const { blocker, power } = await createHeadlessPower({ pollIntervalMs: 60_000 });
    const ka = new KeepAwake({ blocker, power, logger: silentLogger });
    try {
      ka.acquireTurn('env/thread');
      await ka.settled();
      const state = ka.state;
      const tool = spawnSync('sh', ['-c', 'command -v systemd-inhibit'], { encoding: 'utf8' }).stdout.trim();
      if (!tool) {
        expect(state).toMatchObject({ held: false, available: false, unavailableReason: 'systemd-inhibit is not installed (not on PATH), so this computer cannot be kept awake' });
        return;
      }
      const list = () => spawnSync(tool, ['--list', '--no-pager'], { encoding: 'utf8', timeout: 5000 });
      const probe = spawnSync(tool, ['--what=sleep:idle', '--who=probe', '--why=probe', '--mode=block', 'true'], { encoding: 'utf8', timeout: 5000 });
      if (probe.status === 0) {
        expect(state).toMatchObject({ held: true, reasons: ['turn'], available: true, mechanism: 'systemd-inhibit' });
        expect(list().stdout).toContain('Codex Host');
        ka.releaseTurn('env/thread');
        await until(() => !list().stdout.includes('Codex Host'));
      } else {
        const line = probe.stderr.trim().split('\n').at(-1);
        expect(line).toBeTruthy();
        expect(state).toMatchObject({ held: false, reasons: ['turn'], available: false, unavailableReason: `systemd-inhibit: ${line}` });
      }
    } finally {
      ka.dispose();
      power.dispose();
    }
  });
});

async function until(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}
