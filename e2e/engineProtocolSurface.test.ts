/**
 * What Codex Host's front ends use from the engine, against the REAL `codex app-server`
 * (offline; the fake Responses API is the only stand-in), written with the generated protocol
 * types (shared/protocol/appServer): a field the pinned engine drops fails `npm run typecheck`,
 * and a method or field the running engine does not serve fails here. Point
 * CODEX_HOST_CODEX_BIN at another codex to check that it serves everything too; this is how
 * MIN_CODEX_VERSION is verified (docs/engine.md, "Versions").
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { InitializeParams } from '../shared/protocol/appServer/experimental/InitializeParams.js';
import type { ModelListParams } from '../shared/protocol/appServer/experimental/v2/ModelListParams.js';
import type { ModelListResponse } from '../shared/protocol/appServer/experimental/v2/ModelListResponse.js';
import type { ThreadListParams } from '../shared/protocol/appServer/experimental/v2/ThreadListParams.js';
import type { ThreadListResponse } from '../shared/protocol/appServer/experimental/v2/ThreadListResponse.js';
import type { ThreadResumeParams } from '../shared/protocol/appServer/experimental/v2/ThreadResumeParams.js';
import type { ThreadResumeResponse } from '../shared/protocol/appServer/experimental/v2/ThreadResumeResponse.js';
import type { ThreadStartResponse } from '../shared/protocol/appServer/experimental/v2/ThreadStartResponse.js';
import type { ThreadTurnsListParams } from '../shared/protocol/appServer/experimental/v2/ThreadTurnsListParams.js';
import type { ThreadTurnsListResponse } from '../shared/protocol/appServer/experimental/v2/ThreadTurnsListResponse.js';
import type { TurnStartParams } from '../shared/protocol/appServer/experimental/v2/TurnStartParams.js';
import type { TurnStartResponse } from '../shared/protocol/appServer/experimental/v2/TurnStartResponse.js';
import type { TurnSteerParams } from '../shared/protocol/appServer/experimental/v2/TurnSteerParams.js';
import type { TurnSteerResponse } from '../shared/protocol/appServer/experimental/v2/TurnSteerResponse.js';
import { createLineLogger } from '../shared/util/logger.js';
import { EngineSupervisor } from '../host/engine/engineSupervisor.js';
import { findCodexBinary } from '../host/engine/findCodexBinary.js';
import { isDelta, paramsOf, TURN_MS, turnCompleted } from './fixtures/appServer.js';
import { useStack } from './fixtures/stack.js';
import { RpcResponseError, openWsDriver, type WsDriver } from './fixtures/wsDriver.js';

const stack = useStack({ label: 'engine-surface', host: false });
let supervisor: EngineSupervisor;

/** A typed request: the params and result types come from the generated bindings. */
async function call<P, R>(d: WsDriver, method: string, params: P): Promise<R> {
  return (await d.request(method, params)) as R;
}

/** A connection initialized the way the front ends will: with the experimental API on. */
async function connect(name: string): Promise<WsDriver> {
  const { url, token } = supervisor.endpoint();
  const d = stack.track(await openWsDriver(url, { headers: { Authorization: `Bearer ${token}` } }));
  const init: InitializeParams = { clientInfo: { name, title: 'Codex Host e2e', version: '0.0.0' }, capabilities: { experimentalApi: true, requestAttestation: false } };
  await d.request('initialize', init);
  d.notify('initialized');
  return d;
}

async function startThread(d: WsDriver): Promise<string> {
  return (await call<{ cwd: string }, ThreadStartResponse>(d, 'thread/start', { cwd: stack.home.workdir })).thread.id;
}

async function startTurn(d: WsDriver, threadId: string, text: string): Promise<string> {
  const params: TurnStartParams = { threadId, input: [{ type: 'text', text, text_elements: [] }] };
  return (await call<TurnStartParams, TurnStartResponse>(d, 'turn/start', params)).turn.id;
}

// One thread with one finished turn, which the reading tests below share (none of them changes it).
let threadId: string;
let firstTurnId: string;

beforeAll(async () => {
  supervisor = new EngineSupervisor({ launch: { bin: findCodexBinary({ env: process.env }).path, env: stack.env, cwd: stack.home.workdir }, logger: createLineLogger(() => undefined, 'error') });
  stack.track(supervisor);
  await supervisor.start();
  const d = await connect('surface-setup');
  threadId = await startThread(d);
  firstTurnId = await startTurn(d, threadId, 'Please say hello.');
  await d.waitFor(turnCompleted(threadId), TURN_MS);
});

describe('the engine protocol the front ends use', () => {
  it('thread/list from the state database only (first paint), newest first, with both cursors', async () => {
    const d = await connect('surface-list');
    const params: ThreadListParams = { limit: 20, sortKey: 'updated_at', useStateDbOnly: true };
    // the state database is written as the thread is, so poll briefly rather than assume timing
    let list: ThreadListResponse | undefined;
    await expect
      .poll(async () => {
        list = await call<ThreadListParams, ThreadListResponse>(d, 'thread/list', params);
        return list.data.map((t) => t.id);
      }, { timeout: 10_000 })
      .toContain(threadId);
    expect(list).toHaveProperty('nextCursor');
    expect(list).toHaveProperty('backwardsCursor');
  });

  it('thread/resume without turns but with the newest turns page (opening a thread)', async () => {
    const d = await connect('surface-resume');
    const params: ThreadResumeParams = { threadId, excludeTurns: true, initialTurnsPage: { limit: 1, sortDirection: 'desc', itemsView: 'summary' } };
    const res = await call<ThreadResumeParams, ThreadResumeResponse>(d, 'thread/resume', params);
    expect(res.thread.id).toBe(threadId);
    expect(res.thread.turns).toEqual([]);
    expect(res.initialTurnsPage?.data.map((t) => t.id)).toEqual([firstTurnId]);
    expect(res).toHaveProperty('turnsBackwardsCursor');
    expect(res).toHaveProperty('itemsBackwardsCursor');
  });

  it('thread/turns/list pages the history, newest first', async () => {
    const d = await connect('surface-turns');
    const params: ThreadTurnsListParams = { threadId, limit: 10, sortDirection: 'desc' };
    const page = await call<ThreadTurnsListParams, ThreadTurnsListResponse>(d, 'thread/turns/list', params);
    expect(page.data.map((t) => t.id)).toEqual([firstTurnId]);
    expect(page.data[0]?.status).toBe('completed');
  });

  it('model/list answers with a page of models a picker can show', async () => {
    const d = await connect('surface-models');
    const res = await call<ModelListParams, ModelListResponse>(d, 'model/list', { limit: 50 });
    expect(res.data.length).toBeGreaterThan(0);
    for (const m of res.data) expect(m).toMatchObject({ id: expect.any(String), displayName: expect.any(String), hidden: expect.any(Boolean) });
    expect(res).toHaveProperty('nextCursor');
  });

  it('turn/steer adds input to the running turn named by expectedTurnId, and refuses another id', async () => {
    // A thread of its own: the reading tests expect the shared one to hold exactly one turn.
    const d = await connect('surface-steer');
    const steerThread = await startThread(d);
    const finished = await startTurn(d, steerThread, 'Please say hello.');
    await d.waitFor(turnCompleted(steerThread), TURN_MS);
    const running = await startTurn(d, steerThread, 'SLOW please');
    await d.waitFor(isDelta(steerThread), TURN_MS);
    const input: TurnSteerParams['input'] = [{ type: 'text', text: 'also this', text_elements: [] }];
    const wrong = await call<TurnSteerParams, TurnSteerResponse>(d, 'turn/steer', { threadId: steerThread, input, expectedTurnId: finished }).catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(RpcResponseError);
    expect((wrong as RpcResponseError).rpcMessage).toContain(`expected active turn id \`${finished}\``);
    const steered = await call<TurnSteerParams, TurnSteerResponse>(d, 'turn/steer', { threadId: steerThread, input, expectedTurnId: running });
    expect(steered.turnId).toBe(running);
    await d.request('turn/interrupt', { threadId: steerThread, turnId: running });
    const done = await d.waitFor((m) => turnCompleted(steerThread)(m) && (paramsOf(m).turn as { id?: string }).id === running, TURN_MS);
    expect((paramsOf(done).turn as { status?: string }).status).toBe('interrupted');
  });
});
