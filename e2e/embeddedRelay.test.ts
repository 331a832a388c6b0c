/**
 * The default: `codex-host serve` without `--relay` runs its own relay in-process on loopback
 * (`--relay-listen` picks the address), and a phone pairs through it.
 */
import { mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pair } from '../shared/controller/index.js';
import { createCodexHome, type CodexHomeFixture } from './fixtures/codexHome.js';
import { testPhone } from './fixtures/controller.js';
import { startFakeResponses, type FakeResponsesServer } from './fixtures/fakeResponses.js';
import { runCliAsync, startHostProcess, type HostProcess } from './fixtures/hostProcess.js';

let fake: FakeResponsesServer;
let home: CodexHomeFixture;
let host: HostProcess;
let dataDir: string;
let port: number;

beforeAll(async () => {
  fake = await startFakeResponses();
  home = await createCodexHome({ modelBaseUrl: fake.baseUrl, label: 'embedded-relay' });
  dataDir = await mkdtemp(join(home.root, 'data-'));
  // A free port, so the test can check that --relay-listen is honoured.
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  port = (probe.address() as { port: number }).port;
  await new Promise<void>((r) => probe.close(() => r()));
  host = await startHostProcess({ dataDir, env: home.env, cwd: home.workdir, args: ['--relay-listen', `127.0.0.1:${port}`] });
});

afterAll(async () => {
  await host?.stop();
  await fake?.close();
  await home?.cleanup();
});

describe('the embedded relay', () => {
  it('listens where asked, serves /healthz, and carries a pairing', async () => {
    expect(host.relayUrl).toBe(`ws://127.0.0.1:${port}`);
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    const { link } = JSON.parse((await runCliAsync(['pair', '--json', '--data-dir', dataDir])).stdout) as { link: string };
    expect(link.startsWith(`http://127.0.0.1:${port}/pair#p=`)).toBe(true);
    const { session } = await pair(link, testPhone('LAN Phone').deps, { reconnect: false });
    await session.rpc.request('initialize', { clientInfo: { name: 'lan-phone', version: '0' } });
    await expect(session.rpc.request('thread/list', { limit: 1 })).resolves.toHaveProperty('data');
    session.close();
    const status = JSON.parse((await runCliAsync(['status', '--json', '--data-dir', dataDir])).stdout) as { relay: string; hostId: string };
    expect(status).toMatchObject({ relay: `ws://127.0.0.1:${port}`, hostId: host.hostId });
  });
});
