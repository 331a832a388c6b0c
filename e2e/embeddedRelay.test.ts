/**
 * The default: `codex-host serve` without `--relay` runs its own relay in-process on loopback
 * (`--relay-listen` picks the address), and a phone pairs through it.
 */
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { pair } from '../shared/controller/index.js';
import { initialize } from './fixtures/appServer.js';
import { testPhone } from './fixtures/controller.js';
import { useStack } from './fixtures/stack.js';

/** A port that was free a moment ago, so the test can check that --relay-listen is honoured. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((r) => probe.close(() => r()));
  return port;
}

const port = await freePort();
const stack = useStack({ label: 'embedded-relay', relay: 'embedded', hostArgs: ['--relay-listen', `127.0.0.1:${port}`] });

describe('the embedded relay', () => {
  it('listens where asked, serves /healthz, and carries a pairing', async () => {
    expect(stack.host.relayUrl).toBe(`ws://127.0.0.1:${port}`);
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    const { link } = JSON.parse((await stack.cli(['pair', '--json'])).stdout) as { link: string };
    expect(link.startsWith(`http://127.0.0.1:${port}/pair#p=`)).toBe(true);
    const { session } = await pair(link, testPhone('LAN Phone').deps, { reconnect: false });
    stack.track(session);
    await initialize(session.rpc, 'lan-phone');
    await expect(session.rpc.request('thread/list', { limit: 1 })).resolves.toHaveProperty('data');
    const status = JSON.parse((await stack.cli(['status', '--json'])).stdout) as { relay: string; hostId: string };
    expect(status).toMatchObject({ relay: `ws://127.0.0.1:${port}`, hostId: stack.host.hostId });
  });
});
