/**
 * Environments over the real host (`codex-host serve`) and the real `codex app-server`
 * (docs/host-api.md): a client selects `local` before `initialize` and runs a turn; an
 * unknown environment is an error that names it and leaves the connection usable; select
 * after initialize is refused; `host/environments/list` and `host/info` report the local
 * environment.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCodexHome, TEST_OUTPUT_DIR, type CodexHomeFixture } from './fixtures/codexHome.js';
import { startFakeResponses, type FakeResponsesServer } from './fixtures/fakeResponses.js';
import { startHostProcess, type HostProcess } from './fixtures/hostProcess.js';
import { ENGINE_VERSION } from './fixtures/engineVersion.js';
import { openWsDriver, type WireMessage, type WsDriver } from './fixtures/wsDriver.js';

const TURN_MS = 45_000;
let fake: FakeResponsesServer;
let home: CodexHomeFixture;
let host: HostProcess;
let dataDir: string;
const drivers: WsDriver[] = [];

async function connect(): Promise<WsDriver> {
  const d = await openWsDriver(host.listenUrl!);
  drivers.push(d);
  return d;
}

const paramsOf = (m: WireMessage) => (m.params && typeof m.params === 'object' ? (m.params as Record<string, unknown>) : {});

beforeAll(async () => {
  fake = await startFakeResponses();
  home = await createCodexHome({ modelBaseUrl: fake.baseUrl, label: 'environments' });
  dataDir = await mkdtemp(join(TEST_OUTPUT_DIR, 'env-data-'));
  host = await startHostProcess({ dataDir, env: home.env, cwd: home.workdir, args: ['--listen', 'ws://127.0.0.1:0', '--no-remote'] });
});

afterAll(async () => {
  for (const d of drivers) d.terminate();
  await host?.stop();
  await fake?.close();
  await home?.cleanup();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('environments on the real host', () => {
  it('runs a turn on a connection that selected the local environment before initialize', async () => {
    const d = await connect();
    const selected = (await d.request('host/environment/select', { environmentId: 'local' })) as { environment: Record<string, unknown> };
    expect(selected.environment).toMatchObject({ id: 'local', kind: 'local', state: 'running', version: ENGINE_VERSION, busy: false });
    await d.initialize('env-client');
    const { thread } = (await d.request('thread/start', { cwd: home.workdir })) as { thread: { id: string } };
    await d.request('turn/start', { threadId: thread.id, input: [{ type: 'text', text: 'Please say hello.', text_elements: [] }] });
    const done = await d.waitFor((m) => m.method === 'turn/completed' && paramsOf(m).threadId === thread.id, TURN_MS);
    expect((paramsOf(done).turn as { status: string }).status).toBe('completed');
    const text = d.messages
      .filter((m) => m.method === 'item/agentMessage/delta' && paramsOf(m).threadId === thread.id)
      .map((m) => paramsOf(m).delta)
      .join('');
    expect(text).toBe('Hello from the fake model! You said: Please say hello.');
    // Once the connection works in an environment, it stays there.
    await expect(d.request('host/environment/select', { environmentId: 'local' })).rejects.toMatchObject({
      code: -32600,
      rpcMessage: 'host/environment/select: this connection already works in environment "local"; choose the environment before initialize, or open a new connection for another one',
    });
  });

  it('answers an unknown environment with an error naming it; the connection stays usable', async () => {
    const d = await connect();
    await expect(d.request('host/environment/select', { environmentId: 'ssh:nowhere' })).rejects.toMatchObject({
      code: -32602,
      rpcMessage: 'host/environment/select: unknown environment "ssh:nowhere" (this host has: local)',
    });
    await d.initialize('after-unknown');
    const list = (await d.request('thread/list', { limit: 5 })) as { data: unknown[] };
    expect(Array.isArray(list.data)).toBe(true);
  });

  it('lists the local environment, and host/info shows which environment each client is in', async () => {
    const d = await connect();
    await expect(d.request('host/environments/list')).resolves.toEqual({
      environments: [expect.objectContaining({ id: 'local', kind: 'local', state: 'running', version: ENGINE_VERSION, restarts: 0 })],
    });
    await d.initialize('lister');
    const info = (await d.request('host/info')) as { environments: { id: string }[]; clients: { name: string; environmentId: string }[]; features: string[] };
    expect(info.environments.map((e) => e.id)).toEqual(['local']);
    expect(info.features).toEqual(['core', 'environments', 'ssh']);
    // A TUI client sees only itself among the clients (red-team P18).
    expect(info.clients).toEqual([expect.objectContaining({ kind: 'tui', name: 'lister', environmentId: 'local' })]);
  });
});
