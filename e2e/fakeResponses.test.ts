/** The fake Responses API on its own (the engine tests drive it through the real codex). */
import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeResponses, type FakeResponsesServer } from './fixtures/fakeResponses.js';

let fake: FakeResponsesServer | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const userMsg = (text: string) => ({ type: 'message', role: 'user', content: [{ type: 'input_text', text }] });
const envMsg = userMsg('<environment_context>\n  <cwd>/w</cwd>\n</environment_context>');

async function post(f: FakeResponsesServer, body: unknown): Promise<{ status: number; events: { type?: string; [k: string]: unknown }[] }> {
  const res = await fetch(`${f.baseUrl}/responses`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await res.text();
  const events = text
    .split('\n')
    .filter((l) => l.startsWith('data: '))
    .map((l) => JSON.parse(l.slice(6)) as { type?: string });
  return { status: res.status, events };
}

describe('fake Responses API', () => {
  it('streams the default reply in several deltas and ends with response.completed', async () => {
    fake = await startFakeResponses({ deltaMs: 0 });
    const { status, events } = await post(fake, { input: [envMsg, userMsg('hi there')] });
    expect(status).toBe(200);
    expect(events[0]?.type).toBe('response.created');
    expect(events.at(-1)?.type).toBe('response.completed');
    const deltas = events.filter((e) => e.type === 'response.output_text.delta').map((e) => e.delta);
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join('')).toBe('Hello from the fake model! You said: hi there');
    expect(fake.requests[0]).toMatchObject({ scenario: 'reply', lastUserText: 'hi there', aborted: false });
  });

  it('answers RUN with an escalated exec_command call, and the follow-up with the tool output', async () => {
    fake = await startFakeResponses({ deltaMs: 0 });
    const first = await post(fake, { input: [userMsg('please RUN echo hi && true')] });
    const call = first.events.find((e) => e.type === 'response.output_item.done')?.item as { type: string; name: string; call_id: string; arguments: string };
    expect(call).toMatchObject({ type: 'function_call', name: 'exec_command' });
    expect(JSON.parse(call.arguments)).toMatchObject({ cmd: 'echo hi && true', sandbox_permissions: 'require_escalated' });
    const second = await post(fake, {
      input: [userMsg('please RUN echo hi && true'), { type: 'function_call', call_id: call.call_id }, { type: 'function_call_output', call_id: call.call_id, output: 'Output:\nhi\n' }],
    });
    const done = second.events.find((e) => e.type === 'response.output_item.done')?.item as { content: { text: string }[] };
    expect(done.content[0]?.text).toContain('Output:\nhi');
    expect(fake.requests.map((r) => r.scenario)).toEqual(['run', 'followUp']);
  });

  it('answers json_schema requests with the title JSON and unknown routes with 404', async () => {
    fake = await startFakeResponses();
    const { events } = await post(fake, { input: [userMsg('x')], text: { format: { type: 'json_schema', schema: {} } } });
    const done = events.find((e) => e.type === 'response.output_item.done')?.item as { content: { text: string }[] };
    expect(JSON.parse(done.content[0]?.text ?? '')).toEqual({ title: 'Fake task title' });
    expect((await fetch(`${fake.baseUrl}/models`)).status).toBe(404);
    const bad = await post(fake, { input: 'not a list' });
    expect(bad.status).toBe(400);
  });

  it('survives a client that aborts a SLOW stream, records it, and closes promptly', async () => {
    fake = await startFakeResponses({ slowDeltaMs: 50, slowDeltaCount: 1000 });
    const f = fake;
    await new Promise<void>((resolve, reject) => {
      const req = request(`${f.baseUrl}/responses`, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
        res.once('data', () => {
          req.destroy();
          resolve();
        });
      });
      req.on('error', () => undefined);
      req.end(JSON.stringify({ input: [userMsg('SLOW')] }));
      setTimeout(() => reject(new Error('no data')), 5000);
    });
    await expect.poll(() => f.requests[0]?.aborted, { timeout: 5000 }).toBe(true);
    // Still serving after the abort.
    expect((await post(f, { input: [userMsg('again')] })).status).toBe(200);
    // A stream left open does not block close().
    const open = fetch(`${f.baseUrl}/responses`, { method: 'POST', body: JSON.stringify({ input: [userMsg('SLOW')] }) }).then((r) => r.text()).catch(() => 'closed');
    await expect.poll(() => f.requests.length).toBe(3);
    const t0 = Date.now();
    await f.close();
    fake = undefined;
    expect(Date.now() - t0).toBeLessThan(2000);
    await open;
  });
});
