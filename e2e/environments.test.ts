/**
 * Environments over the real host (`codex-host serve`) and the real `codex app-server`
 * (docs/host-api.md): a client selects `local` before `initialize` and runs a turn; an
 * unknown environment is an error that names it and leaves the connection usable; select
 * after initialize is refused; `host/environments/list` and `host/info` report the local
 * environment.
 */
import { describe, expect, it } from 'vitest';
import { agentText, startThread, startTurn, TURN_MS, turnCompleted, turnStatus } from './fixtures/appServer.js';
import { ENGINE_VERSION } from './fixtures/engineVersion.js';
import { useStack } from './fixtures/stack.js';

const stack = useStack({ label: 'environments', hostArgs: ['--listen', 'ws://127.0.0.1:0'] });

describe('environments on the real host', () => {
  it('runs a turn on a connection that selected the local environment before initialize', async () => {
    const d = await stack.open();
    const selected = (await d.request('host/environment/select', { environmentId: 'local' })) as { environment: Record<string, unknown> };
    expect(selected.environment).toMatchObject({ id: 'local', kind: 'local', state: 'running', version: ENGINE_VERSION, busy: false });
    await d.initialize('env-client');
    const threadId = await startThread(d, stack.home.workdir);
    await startTurn(d, threadId, 'Please say hello.');
    const done = await d.waitFor(turnCompleted(threadId), TURN_MS);
    expect(turnStatus(done)).toBe('completed');
    expect(agentText(d.messages, threadId)).toBe('Hello from the fake model! You said: Please say hello.');
    // Once the connection works in an environment, it stays there.
    await expect(d.request('host/environment/select', { environmentId: 'local' })).rejects.toMatchObject({
      code: -32600,
      rpcMessage: 'host/environment/select: this connection already works in environment "local"; choose the environment before initialize, or open a new connection for another one',
    });
  });

  it('answers an unknown environment with an error naming it; the connection stays usable', async () => {
    const d = await stack.open();
    await expect(d.request('host/environment/select', { environmentId: 'ssh:nowhere' })).rejects.toMatchObject({
      code: -32602,
      rpcMessage: 'host/environment/select: unknown environment "ssh:nowhere" (this host has: local)',
    });
    await d.initialize('after-unknown');
    const list = (await d.request('thread/list', { limit: 5 })) as { data: unknown[] };
    expect(Array.isArray(list.data)).toBe(true);
  });

  it('lists the local environment, and host/info shows which environment each client is in', async () => {
    const d = await stack.open();
    await expect(d.request('host/environments/list')).resolves.toEqual({
      environments: [expect.objectContaining({ id: 'local', kind: 'local', state: 'running', version: ENGINE_VERSION, restarts: 0 })],
    });
    await d.initialize('lister');
    const info = (await d.request('host/info')) as { environments: { id: string }[]; clients: { name: string; environmentId: string }[]; features: string[] };
    expect(info.environments.map((e) => e.id)).toEqual(['local']);
    expect(info.features).toEqual(['core', 'environments', 'ssh', 'power']);
    // A TUI client sees only itself among the clients (red-team P18).
    expect(info.clients).toEqual([expect.objectContaining({ kind: 'tui', name: 'lister', environmentId: 'local' })]);
  });
});
