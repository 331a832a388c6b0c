/**
 * The Windows rule, enforced in the host (docs/remotes.md): the whole core started in this
 * process with `createHost({ platform })`. For `win32` the `remotes` feature is not offered —
 * host/info lacks it and says why — and every host/remotes/* call and `codex-host remotes …`
 * is refused with one clear sentence, whatever the client asks; the host can still be
 * controlled (a phone pairs with it). For `darwin` and `linux` the feature is on.
 */
import { mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pair } from '../shared/controller/index.js';
import { HostClient } from '../shared/protocol/hostClient.js';
import { RpcError } from '../shared/rpc/rpcError.js';
import { silentLogger } from '../shared/util/logger.js';
import { createHost, type HostHandle } from '../host/app/createHost.js';
import { connectControl } from '../host/control/controlClient.js';
import { WINDOWS_CONTROL_REFUSAL } from '../host/remotes/windowsRule.js';
import { createCodexHome, type CodexHomeFixture } from './fixtures/codexHome.js';
import { testPhone } from './fixtures/controller.js';
import { startFakeResponses, type FakeResponsesServer } from './fixtures/fakeResponses.js';
import { runCliAsync } from './fixtures/hostProcess.js';

let fake: FakeResponsesServer;
let home: CodexHomeFixture;
const hosts: HostHandle[] = [];

async function start(platform: NodeJS.Platform, remote: boolean): Promise<HostHandle> {
  const dataDir = await mkdtemp(join(home.root, `data-${platform}-`));
  const h = await createHost({
    dataDir,
    env: home.env,
    logger: silentLogger,
    engineCwd: home.workdir,
    hostName: `Host on ${platform}`,
    platform,
    ...(remote ? { remoteAccess: { secretStore: 'file' as const } } : {}),
  });
  hosts.push(h);
  return h;
}

beforeAll(async () => {
  fake = await startFakeResponses();
  home = await createCodexHome({ modelBaseUrl: fake.baseUrl, label: 'remotes-windows' });
});

afterAll(async () => {
  for (const h of hosts) await h.dispose();
  await fake?.close();
  await home?.cleanup();
});

describe('the Windows rule', () => {
  it('a win32 host does not offer controlling other devices, refuses every host/remotes call and `remotes` command, and can itself be controlled', async () => {
    const h = await start('win32', true);
    const info = h.info();
    expect(info.platform).toBe('win32');
    expect(info.features).not.toContain('remotes');
    expect(info.features).toContain('remote');
    expect(info.unavailable).toEqual([{ feature: 'remotes', reason: WINDOWS_CONTROL_REFUSAL }]);

    const host = new HostClient(await connectControl(h.dataDir));
    try {
      for (const [method, params] of [
        ['host/remotes/list', undefined],
        ['host/remotes/add', { link: 'http://127.0.0.1:1/pair#p=x' }],
        ['host/remotes/connect', { remoteId: 'a'.repeat(32) }],
        ['host/remotes/listen', { remoteId: 'a'.repeat(32), listen: 'ws://127.0.0.1:0' }],
      ] as const) {
        const err = await (host.call as (m: string, p?: unknown) => Promise<unknown>)(method, params).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(RpcError);
        expect(err).toMatchObject({ code: -32601, message: `${method}: ${WINDOWS_CONTROL_REFUSAL}`, data: { feature: 'remotes', reason: WINDOWS_CONTROL_REFUSAL } });
      }
    } finally {
      host.close();
    }

    const list = await runCliAsync(['remotes', '--data-dir', h.dataDir], home.env);
    expect(list.code).toBe(1);
    expect(list.stderr).toBe(`codex-host: remotes: host/remotes/list: ${WINDOWS_CONTROL_REFUSAL}\n`);
    const connect = await runCliAsync(['remotes', 'connect', 'a'.repeat(32), '--listen', 'ws://127.0.0.1:0', '--data-dir', h.dataDir], home.env);
    expect(connect.code).toBe(1);
    expect(connect.stderr).toContain(WINDOWS_CONTROL_REFUSAL);

    // It can still be controlled: a phone pairs with it and reads its info.
    const link = await runCliAsync(['pair', '--json', '--data-dir', h.dataDir], home.env);
    const { session } = await pair((JSON.parse(link.stdout) as { link: string }).link, testPhone('Phone for Windows').deps, { reconnect: false });
    try {
      const seen = await new HostClient(session.rpc).call('host/info');
      expect(seen).toMatchObject({ platform: 'win32', hostName: 'Host on win32' });
      expect(seen.unavailable).toEqual([{ feature: 'remotes', reason: WINDOWS_CONTROL_REFUSAL }]);
    } finally {
      session.close();
    }
  }, 120_000);

  it.each(['darwin', 'linux'] as const)('a %s host offers controlling other devices', async (platform) => {
    const h = await start(platform, false);
    expect(h.info().features).toContain('remotes');
    expect(h.info().unavailable).toBeUndefined();
    const list = await runCliAsync(['remotes', '--json', '--data-dir', h.dataDir], home.env);
    expect(list.stderr).toBe('');
    expect(JSON.parse(list.stdout)).toEqual({ remotes: [] });
    const text = await runCliAsync(['remotes', '--data-dir', h.dataDir], home.env);
    expect(text.stdout).toContain('This host controls no other host.');
  }, 120_000);
});
