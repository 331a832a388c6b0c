/**
 * A Node client of the browser bridge, speaking to it exactly as the page does (Origin of the
 * page, the hello with the token, then the hub's protocol): used to seed long threads through
 * the engine's own API and to probe the bridge's refusals.
 */
import { openWsDriver, type WsDriver } from '../fixtures/wsDriver.js';
import type { UiHost } from './appFixture.js';

export async function connectBridge(ui: Pick<UiHost, 'origin' | 'token'>, o: { token?: string; origin?: string | null } = {}): Promise<WsDriver> {
  const headers: Record<string, string> = {};
  const origin = o.origin === undefined ? ui.origin : o.origin;
  if (origin !== null) headers.Origin = origin;
  const d = await openWsDriver(`${ui.origin.replace('http://', 'ws://')}/ws`, { headers });
  d.send({ type: 'hello', token: o.token ?? ui.token, environment: 'local' });
  return d;
}

/** An initialized bridge connection with the experimental API, like the renderer's. */
export async function connectInitialized(ui: Pick<UiHost, 'origin' | 'token'>, name = 'e2e-seed'): Promise<WsDriver> {
  const d = await connectBridge(ui);
  await d.request('initialize', { clientInfo: { name, title: 'e2e', version: '0' }, capabilities: { experimentalApi: true, requestAttestation: false } });
  d.notify('initialized');
  return d;
}

/** Starts a thread in `cwd` and runs `turns` turns on it, one after another; resolves with its id. */
export async function seedThread(d: WsDriver, cwd: string, turns: number, text: (i: number) => string): Promise<string> {
  const started = (await d.request('thread/start', { cwd })) as { thread: { id: string } };
  const threadId = started.thread.id;
  for (let i = 1; i <= turns; i++) {
    const since = d.messages.length;
    const res = (await d.request('turn/start', { threadId, input: [{ type: 'text', text: text(i), text_elements: [] }] })) as { turn: { id: string } };
    await d.waitFor((m) => m.method === 'turn/completed' && (m.params as { turn?: { id?: string } }).turn?.id === res.turn.id, 60_000, { since });
  }
  return threadId;
}
