// Web Push end to end on loopback (docs/notifications.md): the host's push service
// (createPush: VAPID key in the secret store, subscriptions in the data dir, web-push
// encryption, the real HTTP transport) against the push-service stand-in, which checks the
// VAPID JWT and decrypts every message per RFC 8291 with the subscription's private key.
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileSecretStore } from '../host/identity/secretStore.js';
import { createPush, type PushService } from '../host/push/createPush.js';
import type { PushEvent } from '../host/push/pushPayload.js';
import { VAPID_SECRET_NAME } from '../host/push/vapidKeys.js';
import { createLineLogger, type Logger } from '../shared/util/logger.js';
import { PushServiceFixture } from './fixtures/pushService.js';

const HOST_ID = '0f1e2d3c4b5a69788796a5b4c3d2e1f0';
const PHONE = 'aa'.repeat(16);
const TABLET = 'bb'.repeat(16);
const SUBJECT = 'mailto:ops@example.com';
const THREAD = '019a3b2c-4d5e-7f60-8a9b-0c1d2e3f4a5b';

let service: PushServiceFixture;
let dataDir: string;
let logLines: string[];
let logger: Logger;
const opened: PushService[] = [];

async function open(options: { debounceMs?: number } = {}): Promise<PushService> {
  const push = await createPush({
    dataDir,
    secretStore: new FileSecretStore(path.join(dataDir, 'secrets')),
    logger,
    hostId: HOST_ID,
    delay: () => Promise.resolve(),
    ...options,
  });
  opened.push(push);
  return push;
}

beforeEach(async () => {
  service = await PushServiceFixture.start({ expectedSubject: SUBJECT });
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'push-'));
  logLines = [];
  logger = createLineLogger((l) => logLines.push(l), 'debug');
});

afterEach(async () => {
  for (const p of opened.splice(0)) await p.dispose();
  await service.close();
  await rm(dataDir, { recursive: true, force: true });
});

const approval: PushEvent = { kind: 'approval-needed', hostName: 'Build Box', threadId: THREAD };

describe('Web Push to a loopback push service', () => {
  it('sends one encrypted, VAPID-signed message that says only the host and what happened, with a link to the thread', async () => {
    const push = await open();
    await push.setSubject(SUBJECT);
    const phone = service.createSubscription(push.vapidPublicKey);
    expect(await push.subscribe(PHONE, phone.json)).toEqual({ deviceId: PHONE, enabled: true, subscribed: true, pushService: service.origin });

    // A caller that passes more than the event type allows must not leak it either.
    const leaky = { ...approval, prompt: 'delete the prod database', command: 'rm -rf /srv/secret', title: 'Secret project' } as PushEvent;
    expect(await push.notify(leaky)).toEqual({ sent: 1, removed: 0, failed: 0, debounced: false });

    expect(service.rejected).toEqual([]);
    const got = service.received(phone.id);
    expect(got).toHaveLength(1);
    const msg = got[0]!;
    expect(msg.payload).toEqual({
      title: 'Approval needed',
      body: 'Build Box: Codex is waiting for your approval',
      url: `/#/hosts/${HOST_ID}/threads/${THREAD}`,
    });
    for (const secret of ['prod database', 'rm -rf', 'Secret project']) expect(msg.text).not.toContain(secret);
    expect(msg.claims).toMatchObject({ aud: service.origin, sub: SUBJECT });
    expect(msg.claims.exp - Date.now() / 1000).toBeLessThanOrEqual(24 * 3600);
    expect([msg.ttl, msg.urgency]).toEqual([12 * 3600, 'high']);
    expect(msg.topic).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(msg.topic).not.toContain(THREAD.slice(0, 8));

    // "Turn finished" is its own kind (not debounced by the approval), normal urgency, 1 h TTL.
    expect(await push.notify({ kind: 'turn-finished', hostName: 'Build Box', threadId: THREAD })).toMatchObject({ sent: 1 });
    const finished = service.received(phone.id)[1]!;
    expect(finished.payload).toEqual({ title: 'Turn finished', body: 'Build Box: Codex finished working', url: `/#/hosts/${HOST_ID}/threads/${THREAD}` });
    expect([finished.ttl, finished.urgency]).toEqual([3600, 'normal']);
  });

  it('keeps the VAPID private key in the secret store only, and the same key pair across restarts', async () => {
    const first = await open();
    await first.setSubject(SUBJECT);
    const phone = service.createSubscription(first.vapidPublicKey);
    await first.subscribe(PHONE, phone.json);
    const privateKey = (await readFile(path.join(dataDir, 'secrets', VAPID_SECRET_NAME), 'utf8')).trim();
    expect(privateKey).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const pushFile = await readFile(path.join(dataDir, 'push.json'), 'utf8');
    expect(pushFile).not.toContain(privateKey);
    await first.dispose();

    const again = await open();
    expect(again.vapidPublicKey).toBe(first.vapidPublicKey);
    expect(again.settings().subject).toBe(SUBJECT);
    expect(await again.notify(approval)).toMatchObject({ sent: 1 });
    expect(service.received(phone.id)).toHaveLength(1); // the JWT still verifies with the key the phone subscribed with
  });

  it('deletes a subscription the push service says is gone (410 and 404), on disk too', async () => {
    const push = await open();
    await push.setSubject(SUBJECT);
    const phone = service.createSubscription(push.vapidPublicKey);
    const tablet = service.createSubscription(push.vapidPublicKey);
    await push.subscribe(PHONE, phone.json);
    await push.subscribe(TABLET, tablet.json);
    service.setStatus(phone.id, 410);
    service.setStatus(tablet.id, 404);
    const changes: string[] = [];
    push.onDidChangeDevice((s) => changes.push(`${s.deviceId.slice(0, 2)}:${s.subscribed}`));

    expect(await push.notify(approval)).toEqual({ sent: 0, removed: 2, failed: 0, debounced: false });
    expect(push.devices()).toEqual([
      { deviceId: PHONE, enabled: true, subscribed: false },
      { deviceId: TABLET, enabled: true, subscribed: false },
    ]);
    expect(changes.sort()).toEqual(['aa:false', 'bb:false']);
    const onDisk = await readFile(path.join(dataDir, 'push.json'), 'utf8');
    expect(onDisk).not.toContain(phone.json.endpoint);
    expect(onDisk).not.toContain(tablet.json.endpoint);
    expect(await push.notify({ ...approval, kind: 'turn-finished' })).toEqual({ sent: 0, removed: 0, failed: 0, debounced: false });
    expect(service.accepted).toHaveLength(2);
  });

  it('refuses to send while the contact subject is unset, and refuses a subject that is not mailto: or https:', async () => {
    const push = await open();
    const phone = service.createSubscription(push.vapidPublicKey);
    await push.subscribe(PHONE, phone.json);
    await expect(push.notify(approval)).rejects.toThrow('push: set a contact subject (a mailto: address or an https: URL) before notifications can be sent');
    for (const [bad, why] of [
      ['', 'must not be empty'],
      ['ops@example.com', 'must be a mailto: address or an https: URL'],
      ['mailto:nobody', 'must be mailto:user@domain'],
      ['http://example.com/contact', 'must be a mailto: address or an https: URL'],
      ['https://localhost/contact', 'not localhost'],
      ['mailto:ops@example.com\nBcc: x@y.z', 'spaces or control characters'],
    ] as const) {
      await expect(push.setSubject(bad), bad).rejects.toThrow(why);
    }
    expect(push.settings().subject).toBeNull();
    await expect(push.notify(approval)).rejects.toThrow('set a contact subject');
    expect(service.accepted).toEqual([]);
    expect(service.rejected).toEqual([]);
  });

  it('sends nothing to a device whose notifications are off, from either side', async () => {
    const push = await open();
    await push.setSubject(SUBJECT);
    const phone = service.createSubscription(push.vapidPublicKey);
    const tablet = service.createSubscription(push.vapidPublicKey);
    await push.subscribe(PHONE, phone.json);
    await push.subscribe(TABLET, tablet.json);
    expect(await push.setEnabled(PHONE, false)).toEqual({ deviceId: PHONE, enabled: false, subscribed: true, pushService: service.origin });

    expect(await push.notify(approval)).toMatchObject({ sent: 1 });
    expect(service.received(phone.id)).toEqual([]);
    expect(service.received(tablet.id)).toHaveLength(1);

    // A renewed subscription (pushsubscriptionchange) keeps the device's "off".
    const renewed = service.createSubscription(push.vapidPublicKey);
    expect(await push.subscribe(PHONE, renewed.json)).toMatchObject({ enabled: false, subscribed: true });
    await push.unsubscribe(TABLET);
    expect(await push.notify({ ...approval, kind: 'turn-finished' })).toEqual({ sent: 0, removed: 0, failed: 0, debounced: false });
    expect(service.accepted).toHaveLength(1);
  });

  it('refuses bad subscriptions with a clear error and leaves what is stored intact', async () => {
    const push = await open();
    await push.setSubject(SUBJECT);
    const phone = service.createSubscription(push.vapidPublicKey);
    await push.subscribe(PHONE, phone.json);
    const file = path.join(dataDir, 'push.json');
    const before = await readFile(file, 'utf8');
    const good = phone.json;
    const offCurve = Buffer.from(good.keys.p256dh, 'base64url');
    offCurve[40]! ^= 1;
    const cases: [string, unknown, string][] = [
      ['not an object', 'https://push.example/abc', 'push subscription: (root)'],
      ['plain http to a LAN address', { ...good, endpoint: 'http://192.168.1.10/push/1' }, 'push subscription: endpoint must be an https URL'],
      ['http to a name', { ...good, endpoint: 'http://localhost:8080/push/1' }, 'endpoint must be an https URL'],
      ['another scheme', { ...good, endpoint: 'ftp://push.example/1' }, 'endpoint must be an https URL'],
      ['not a URL', { ...good, endpoint: 'push service' }, 'endpoint is not a URL'],
      ['credentials in the URL', { ...good, endpoint: 'https://user:pw@push.example/1' }, 'must not contain credentials'],
      ['an endpoint too long', { ...good, endpoint: `https://push.example/${'a'.repeat(2100)}` }, 'endpoint'],
      ['a short auth secret', { ...good, keys: { ...good.keys, auth: 'AAAAAAAAAAAAAAAAAAAA' } }, 'keys.auth must be 16 bytes'],
      ['padded base64', { ...good, keys: { ...good.keys, auth: `${good.keys.auth}==` } }, 'keys.auth must be base64url without padding'],
      ['a compressed key', { ...good, keys: { ...good.keys, p256dh: Buffer.alloc(33, 2).toString('base64url') } }, 'keys.p256dh must be an uncompressed P-256 public key'],
      ['a key off the curve', { ...good, keys: { ...good.keys, p256dh: offCurve.toString('base64url') } }, 'keys.p256dh is not a point on the P-256 curve'],
      ['missing keys', { endpoint: good.endpoint }, 'keys'],
      ['an unknown field', { ...good, extra: 1 }, 'push subscription:'],
    ];
    for (const [name, value, message] of cases) {
      await expect(push.subscribe(TABLET, value), name).rejects.toThrow(message);
    }
    await expect(push.subscribe('not-a-device', good)).rejects.toThrow('push: invalid device id');
    expect(await readFile(file, 'utf8')).toBe(before);
    expect(push.devices()).toEqual([{ deviceId: PHONE, enabled: true, subscribed: true, pushService: service.origin }]);
    expect(await push.notify(approval)).toMatchObject({ sent: 1 });
  });

  it('sends one message for a burst of approvals in one thread, and still one per other thread', async () => {
    const push = await open({ debounceMs: 60_000 });
    await push.setSubject(SUBJECT);
    const phone = service.createSubscription(push.vapidPublicKey);
    await push.subscribe(PHONE, phone.json);
    const reports = [];
    for (let i = 0; i < 5; i++) reports.push(await push.notify(approval));
    expect(reports.map((r) => r.debounced)).toEqual([false, true, true, true, true]);
    await push.notify({ ...approval, threadId: 'other-thread' });
    expect(service.received(phone.id).map((m) => (m.payload as { url: string }).url)).toEqual([
      `/#/hosts/${HOST_ID}/threads/${THREAD}`,
      `/#/hosts/${HOST_ID}/threads/other-thread`,
    ]);
  });

  it('retries a failed delivery once, then gives up, logging the push service origin but never the endpoint', async () => {
    const push = await open();
    await push.setSubject(SUBJECT);
    const phone = service.createSubscription(push.vapidPublicKey);
    const tablet = service.createSubscription(push.vapidPublicKey);
    await push.subscribe(PHONE, phone.json);
    await push.subscribe(TABLET, tablet.json);
    service.setStatus(phone.id, [503, 201]);
    service.setStatus(tablet.id, 500);

    expect(await push.notify(approval)).toEqual({ sent: 1, removed: 0, failed: 1, debounced: false });
    expect(service.accepted.filter((m) => m.subscriberId === phone.id).map((m) => m.status)).toEqual([503, 201]);
    expect(service.accepted.filter((m) => m.subscriberId === tablet.id).map((m) => m.status)).toEqual([500, 500]);
    expect(push.device(TABLET).subscribed).toBe(true); // a 5xx is not "gone"

    const log = logLines.join('\n');
    expect(log).toContain('push notification not delivered');
    expect(log).toContain(service.origin);
    for (const s of [phone, tablet]) {
      expect(log).not.toContain(s.json.endpoint);
      expect(log).not.toContain(s.id);
      expect(log).not.toContain(s.json.keys.auth);
    }
    expect(log).not.toContain('Build Box');
  });

  it('gives up on a push service that is not there (network error) after one retry', async () => {
    const push = await open();
    await push.setSubject(SUBJECT);
    const phone = service.createSubscription(push.vapidPublicKey);
    await push.subscribe(PHONE, phone.json);
    await service.close(); // nothing listens on its port any more
    expect(await push.notify(approval)).toEqual({ sent: 0, removed: 0, failed: 1, debounced: false });
    expect(logLines.join('\n')).toMatch(/push notification not delivered.*ECONNREFUSED/);
    expect(logLines.join('\n')).not.toContain(phone.json.endpoint);
  });

  it('forgets a revoked device entirely', async () => {
    const push = await open();
    await push.setSubject(SUBJECT);
    await push.subscribe(PHONE, service.createSubscription(push.vapidPublicKey).json);
    await push.forgetDevice(PHONE);
    expect(push.devices()).toEqual([]);
    expect(await readdir(dataDir)).toContain('push.json');
    expect(JSON.parse(await readFile(path.join(dataDir, 'push.json'), 'utf8')).devices).toEqual([]);
  });
});
