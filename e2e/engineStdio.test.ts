/**
 * The JSON-RPC layer over stdio against the real engine: `codex app-server` in its default
 * stdio mode (JSONL), driven through `StdioTransport` + `RpcConnection` (docs/engine.md §4).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RpcConnection } from '../shared/rpc/connection.js';
import { findCodexBinary } from '../host/engine/findCodexBinary.js';
import { StdioTransport } from '../host/transport/stdioTransport.js';
import { createCodexHome, type CodexHomeFixture } from './fixtures/codexHome.js';
import { startFakeResponses, type FakeResponsesServer } from './fixtures/fakeResponses.js';
import { ENGINE_VERSION_RE } from './fixtures/engineVersion.js';

let fake: FakeResponsesServer;
let home: CodexHomeFixture;
let child: ChildProcess;
let rpc: RpcConnection;

beforeAll(async () => {
  fake = await startFakeResponses();
  home = await createCodexHome({ modelBaseUrl: fake.baseUrl, label: 'engine-stdio' });
  child = spawn(findCodexBinary({ env: process.env }).path, ['app-server'], { env: { ...home.env, NO_COLOR: '1' }, cwd: home.workdir, stdio: ['pipe', 'pipe', 'ignore'] });
  rpc = new RpcConnection(new StdioTransport(child.stdout!, child.stdin!), { requestTimeoutMs: 30_000 });
});

afterAll(async () => {
  rpc?.close();
  if (child && child.exitCode === null) {
    const exited = new Promise((r) => child.once('exit', r));
    setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
    await exited;
  }
  await fake?.close();
  await home?.cleanup();
});

describe('RpcConnection over stdio to the real engine', () => {
  it('initializes, streams a turn, and ends the engine by closing stdin', async () => {
    const init = (await rpc.request('initialize', { clientInfo: { name: 'stdio-test', version: '0' }, capabilities: null })) as { userAgent: string };
    expect(init.userAgent).toMatch(new RegExp(`^stdio-test/${ENGINE_VERSION_RE} `));
    rpc.notify('initialized');
    const deltas: string[] = [];
    rpc.onNotification('item/agentMessage/delta', (p) => deltas.push((p as { delta: string }).delta));
    const completed = new Promise<{ turn: { status: string } }>((r) => rpc.onNotification('turn/completed', (p) => r(p as { turn: { status: string } })));
    const { thread } = (await rpc.request('thread/start', { cwd: home.workdir })) as { thread: { id: string } };
    await rpc.request('turn/start', { threadId: thread.id, input: [{ type: 'text', text: 'hi over stdio', text_elements: [] }] });
    expect((await completed).turn.status).toBe('completed');
    expect(deltas.join('')).toBe('Hello from the fake model! You said: hi over stdio');
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    rpc.close();
    expect(await exited).toBe(0);
  }, 60_000);
});
