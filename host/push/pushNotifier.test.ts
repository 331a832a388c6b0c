import { createECDH, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createLineLogger, silentLogger } from '../../shared/util/logger.js';
import { PushNotifier, PushNotConfiguredError } from './pushNotifier.js';
import type { PushEvent } from './pushPayload.js';
import { PushStore } from './pushStore.js';
import { parsePushSubscription } from './pushSubscription.js';
import type { PushRequest, PushResponse, PushTransport } from './pushTransport.js';
import { generateVapidKeys } from './vapidKeys.js';
import { useTempDirs } from '../testing/tempDirs.js';

const tempDir = useTempDirs('push-unit-');

const HOST_ID = '0123456789abcdef0123456789abcdef';
const event: PushEvent = { kind: 'approval-needed', hostName: 'Desk', threadId: 'thread-1' };

function subscription(n: number) {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  return parsePushSubscription({ endpoint: `https://push.example/send/secret-token-${n}`, keys: { p256dh: ecdh.getPublicKey('base64url'), auth: randomBytes(16).toString('base64url') } });
}

/** A push service that answers from a script and records what arrived when. */
class ScriptedTransport implements PushTransport {
  requests: PushRequest[] = [];
  inFlight = 0;
  maxInFlight = 0;
  answer: (req: PushRequest, n: number) => PushResponse | Error = () => ({ status: 201 });
  async send(req: PushRequest): Promise<PushResponse> {
    this.requests.push(req);
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    await new Promise((r) => setTimeout(r, 5));
    this.inFlight -= 1;
    const a = this.answer(req, this.requests.filter((r) => r.endpoint === req.endpoint).length);
    if (a instanceof Error) throw a;
    return a;
  }
}

async function setup(devices: number, options: { debounceMs?: number; maxConcurrent?: number; subject?: string | null } = {}) {
  const store = await PushStore.open(await tempDir(), silentLogger);
  if (options.subject !== null) await store.setSubject(options.subject ?? 'mailto:ops@example.com');
  for (let i = 0; i < devices; i++) await store.putSubscription(i.toString(16).padStart(32, '0'), subscription(i));
  const transport = new ScriptedTransport();
  let clock = 1_000_000;
  const waits: number[] = [];
  const lines: string[] = [];
  const notifier = new PushNotifier({
    store,
    keys: generateVapidKeys(),
    hostId: HOST_ID,
    transport,
    logger: createLineLogger((l) => lines.push(l), 'debug'),
    now: () => clock,
    delay: (ms) => (waits.push(ms), Promise.resolve()),
    ...options,
  });
  return { store, transport, notifier, waits, lines, advance: (ms: number) => (clock += ms) };
}

describe('PushNotifier', () => {
  it('has at most maxConcurrent requests in flight', async () => {
    const { notifier, transport } = await setup(10, { maxConcurrent: 3 });
    expect(await notifier.notify(event)).toMatchObject({ sent: 10 });
    expect(transport.maxInFlight).toBe(3);
  });

  it('debounces one kind for one thread for debounceMs, then sends again', async () => {
    const { notifier, transport, advance } = await setup(1, { debounceMs: 10_000 });
    await notifier.notify(event);
    advance(9_999);
    expect(await notifier.notify(event)).toMatchObject({ debounced: true, sent: 0 });
    advance(1);
    expect(await notifier.notify(event)).toMatchObject({ debounced: false, sent: 1 });
    expect(transport.requests).toHaveLength(2);
  });

  it('honours Retry-After (capped at 30 s) for the one retry, and does not retry a 400', async () => {
    const { notifier, transport, waits } = await setup(2);
    transport.answer = (req, n) => (req.endpoint.endsWith('-0') ? (n === 1 ? { status: 429, retryAfterSeconds: 3600 } : { status: 201 }) : { status: 400 });
    expect(await notifier.notify(event)).toMatchObject({ sent: 1, failed: 1 });
    expect(waits).toEqual([30_000]);
    expect(transport.requests.filter((r) => r.endpoint.endsWith('-1'))).toHaveLength(1);
  });

  it('does not delete a subscription that was renewed while a 410 was on its way', async () => {
    const { notifier, transport, store } = await setup(1);
    const id = '0'.repeat(32);
    const renewed = subscription(99);
    transport.answer = () => ({ status: 410 });
    const sending = notifier.notify(event);
    await store.putSubscription(id, renewed);
    expect(await sending).toMatchObject({ removed: 1 });
    expect(store.device(id)?.subscription?.endpoint).toBe(renewed.endpoint);
  });

  it('refuses while the subject is unset', async () => {
    const { notifier, transport } = await setup(1, { subject: null });
    await expect(notifier.notify(event)).rejects.toBeInstanceOf(PushNotConfiguredError);
    expect(transport.requests).toEqual([]);
  });

  it('refuses a malformed thread id instead of putting it in a link', async () => {
    const { notifier } = await setup(1);
    await expect(notifier.notify({ ...event, threadId: '../../evil' })).rejects.toThrow('push: invalid thread id');
  });

  it('redacts the endpoint from transport errors in the log', async () => {
    const { notifier, transport, lines } = await setup(1);
    transport.answer = (req) => new Error(`request to ${req.endpoint} failed`);
    await notifier.notify(event);
    const log = lines.join('\n');
    expect(log).toContain('request to https://push.example failed');
    expect(log).not.toContain('secret-token');
  });

  it('stops after dispose: no retry after a cut-short wait, no new events', async () => {
    const store = await PushStore.open(await tempDir(), silentLogger);
    await store.setSubject('mailto:ops@example.com');
    await store.putSubscription('0'.repeat(32), subscription(0));
    const transport = new ScriptedTransport();
    transport.answer = () => ({ status: 503 });
    const notifier = new PushNotifier({ store, keys: generateVapidKeys(), hostId: HOST_ID, transport, logger: silentLogger });
    const sending = notifier.notify(event);
    await new Promise((r) => setTimeout(r, 50)); // first attempt answered, now waiting 1 s to retry
    await notifier.dispose();
    expect(await sending).toMatchObject({ failed: 1 });
    expect(transport.requests).toHaveLength(1);
    await expect(notifier.notify(event)).rejects.toThrow('push: the notifier is stopped');
  });
});
