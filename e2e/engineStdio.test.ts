/**
 * The JSON-RPC layer over stdio against the real engine: `codex app-server` in its default
 * stdio mode (JSONL), driven through `StdioTransport` + `RpcConnection` (docs/engine.md §4).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RpcConnection } from '../shared/rpc/connection.js';
import { findCodexBinary } from '../host/engine/findCodexBinary.js';
import { StdioTransport } from '../host/transport/stdioTransport.js';
import { useStack } from './fixtures/stack.js';
import { ENGINE_VERSION_RE } from './fixtures/engineVersion.js';

const stack = useStack({ label: 'engine-stdio', host: false });
let child: ChildProcess;
let rpc: RpcConnection;

beforeAll(() => {
  child = spawn(findCodexBinary({ env: process.env }).path, ['app-server'], { env: { ...stack.env, NO_COLOR: '1' }, cwd: stack.home.workdir, stdio: ['pipe', 'pipe', 'ignore'] });
  rpc = new RpcConnection(new StdioTransport(child.stdout!, child.stdin!), { requestTimeoutMs: 30_000 });
});

// Before the stack's teardown removes CODEX_HOME: the engine must be gone first.
afterAll(async () => {
  rpc?.close();
  if (child && child.exitCode === null) {
    const exited = new Promise((r) => child.once('exit', r));
    setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
    await exited;
  }
});

describe('RpcConnection over stdio to the real engine', () => {
  it('initializes, streams a turn, and ends the engine by closing stdin', async () => {
    const init = (await rpc.request('initialize', { clientInfo: { name: 'stdio-test', version: '0' }, capabilities: null })) as { userAgent: string };
    expect(init.userAgent).toMatch(new RegExp(`^stdio-test/${ENGINE_VERSION_RE} `));
    rpc.notify('initialized');
    const deltas: string[] = [];
    rpc.onNotification('item/agentMessage/delta', (p) => deltas.push((p as { delta: string }).delta));
    const completed = new Promise<{ turn: { status: string } }>((r) => rpc.onNotification('turn/completed', (p) => r(p as { turn: { status: string } })));
    const { thread } = (await rpc.request('thread/start', { cwd: stack.home.workdir })) as { thread: { id: string } };
    await rpc.request('turn/start', { threadId: thread.id, input: [{ type: 'text', text: 'hi over stdio', text_elements: [] }] });
    expect((await completed).turn.status).toBe('completed');
    expect(deltas.join('')).toBe('Hello from the fake model! You said: hi over stdio');
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    rpc.close();
    expect(await exited).toBe(0);
  }, 60_000);
});
