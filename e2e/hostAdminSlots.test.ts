/**
 * Red-team P1 over the real host: however many clients remote TUI users open, the host's
 * admin (the CLI) still manages devices; a refused client is closed with 1013 and the cap it
 * hit; and when the CLI itself is refused it prints that real reason, not "1006 transport
 * already closed".
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useStack } from './fixtures/stack.js';

const stack = useStack({ label: 'admin-slots', relay: 'embedded', hostArgs: ['--listen', 'ws://127.0.0.1:0', '--secret-store', 'file'] });

describe('slots kept for the host\'s admin (P1)', () => {
  it('refuses the 33rd remote TUI client with 1013 naming the cap, and the CLI still lists devices', async () => {
    // Opened one after another, as real clients do: the listener's socket guard lets at most 16
    // not-yet-upgraded sockets wait per address (docs/security.md), so a burst of 36 at once would
    // test that guard instead of the hub's caps.
    const tuis = [];
    for (let i = 0; i < 36; i += 1) tuis.push(await stack.open());
    const outcomes = await Promise.all(tuis.map((d) => Promise.race([d.closed, d.request('host/info').then(() => 'open' as const)]).catch(() => 'closed' as const)));
    const refused = outcomes.filter((o) => typeof o === 'object');
    expect(outcomes.filter((o) => o === 'open')).toHaveLength(32);
    expect(refused).toHaveLength(4);
    expect(refused[0]).toEqual({ code: 1013, reason: 'too many tui clients (max 32)' });
    const r = await stack.cli(['devices', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ devices: [] });
  });

  it('prints the real reason when the CLI itself is refused', async () => {
    const control = JSON.parse(readFileSync(join(stack.dataDir, 'control.json'), 'utf8')) as { url: string; token: string };
    const auth = { Authorization: `Bearer ${control.token}` };
    const held = [];
    for (let i = 0; i < 16; i += 1) held.push(await stack.open(control.url, auth));
    await Promise.all(held.map((d) => d.request('host/info')));
    const r = await stack.cli(['status']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('codex-host: status: the host closed the connection (1013: too many cli clients (max 16))\n');
    for (const d of held) await d.close();
    await expect.poll(async () => (await stack.cli(['status'])).code, { timeout: 10_000 }).toBe(0);
  });
});
