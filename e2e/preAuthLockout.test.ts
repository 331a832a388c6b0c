/**
 * Red-team P3, P4 and P12 against the real `codex-host serve`: idle TCP sockets on the control
 * endpoint, the remote-TUI listener and the embedded relay cannot lock the local admin out or use
 * up the host's file descriptors, and a control endpoint that refuses the CLI's token gives one
 * clear line, not a Node stack trace.
 */
import { readdirSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EMBEDDED_RELAY_LIMITS } from '../relay/server/limits.js';
import { useStack } from './fixtures/stack.js';

const stack = useStack({ label: 'pre-auth', relay: 'embedded', hostArgs: ['--listen', 'ws://127.0.0.1:0'] });
const held: Socket[] = [];
// Every idle socket a test opened is gone before the next test starts.
afterEach(() => {
  for (const s of held.splice(0)) s.destroy();
});

function portOf(url: string): number {
  return Number(/:(\d+)$/.exec(url)?.[1]);
}

/**
 * `n` TCP connections to `port` that send nothing, from `addresses` source addresses in turn
 * (127.0.0.x are all this machine), opened 100 at a time so the kernel's accept queue keeps up.
 * Some may be dropped by the server at once.
 */
async function idle(port: number, n: number, addresses = 1): Promise<Socket[]> {
  const opened: Socket[] = [];
  for (let done = 0; done < n; done += 100) {
    opened.push(
      ...(await Promise.all(
        Array.from({ length: Math.min(100, n - done) }, (_, i) => new Promise<Socket>((resolve) => {
          const s = connect({ port, host: '127.0.0.1', localAddress: `127.0.0.${1 + ((done + i) % addresses)}` });
          s.on('error', () => {});
          s.once('connect', () => resolve(s));
          s.once('close', () => resolve(s));
        })),
      )),
    );
  }
  held.push(...opened);
  return opened;
}

function release(sockets: Socket[]): void {
  for (const s of sockets) s.destroy();
}

const status = () => stack.cli(['status']);

const fdCount = (pid: number) => readdirSync(`/proc/${pid}/fd`).length;

describe('pre-authentication sockets (red-team P3, P4)', () => {
  it('codex-host status works within 5 s, every time, while 100 idle sockets hold the control port', async () => {
    const control = JSON.parse(await readFile(join(stack.dataDir, 'control.json'), 'utf8')) as { url: string };
    for (let round = 0; round < 3; round++) {
      const sockets = await idle(portOf(control.url), 100);
      // The admin's connection, timed without the CLI's own start-up (a Node process start takes
      // seconds on a loaded machine): locked out, it would wait for the 10 s header deadline.
      const t0 = Date.now();
      await expect(stack.admin((h) => h.call('host/info'))).resolves.toMatchObject({ hostId: stack.host.hostId });
      expect(Date.now() - t0).toBeLessThan(5_000);
      // And the CLI itself gets in.
      const r = await status();
      expect([r.code, r.stderr]).toEqual([0, '']);
      expect(r.stdout).toContain(`host id:  ${stack.host.hostId}`);
      release(sockets);
    }
  });

  it('codex-host status still works while 100 idle sockets hold the remote-TUI listener', async () => {
    const sockets = await idle(portOf(stack.host.listenUrl!), 100);
    const r = await status();
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`listener: ${stack.host.listenUrl}`);
    release(sockets);
  });

  it('1100 idle sockets on the embedded relay hold at most its socket cap of descriptors, and the host keeps working', async () => {
    const pid = stack.host.child.pid!;
    const before = fdCount(pid);
    // From 70 addresses, so that the per-address cap alone does not hold them back.
    const sockets = await idle(portOf(stack.host.relayUrl!), 1100, 70);
    const cap = EMBEDDED_RELAY_LIMITS.maxSockets!;
    // The relay drops what is beyond its cap as the sockets arrive (oldest unauthenticated first).
    const cut = () => sockets.filter((s) => s.destroyed || s.readableEnded).length;
    const deadline = Date.now() + 10_000;
    while (cut() < sockets.length - cap && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(cut()).toBeGreaterThanOrEqual(sockets.length - cap);
    expect(fdCount(pid) - before).toBeLessThanOrEqual(cap);
    const r = await status();
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`relay:    ${stack.host.relayUrl}`);
    release(sockets);
  });
});

describe('a control endpoint that refuses the CLI (red-team P12)', () => {
  it('prints one line naming the HTTP 401, no stack trace, and exits 1', async () => {
    const file = join(stack.dataDir, 'control.json');
    const original = await readFile(file, 'utf8');
    try {
      const control = JSON.parse(original) as Record<string, unknown>;
      await writeFile(file, JSON.stringify({ ...control, token: 'w'.repeat(43) }), { mode: 0o600 });
      const r = await status();
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^codex-host: cannot reach the running codex-host at ws:\/\/127\.0\.0\.1:\d+: connect ws:\/\/127\.0\.0\.1:\d+\/: the server answered HTTP 401 \(Unauthorized\)/);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).not.toMatch(/\n\s+at |node:events|Unhandled 'error'/);
      expect(r.stderr).not.toContain('w'.repeat(43));
    } finally {
      await writeFile(file, original, { mode: 0o600 });
    }
  });
});
