// The `push` feature's handler table and its wiring to the hub (docs/notifications.md): what a
// phone and the host's admins may do, and that the host's events reach the push service.
import { createECDH, randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ClientIdentity } from '../../shared/protocol/clientIdentity.js';
import { RpcError } from '../../shared/rpc/rpcError.js';
import { Emitter } from '../../shared/util/lifecycle.js';
import { createLineLogger, silentLogger } from '../../shared/util/logger.js';
import type { HostConnection } from '../hub/hostFeatures.js';
import type { HubAttention } from '../hub/hub.js';
import { FileSecretStore } from '../identity/secretStore.js';
import { createPush, type PushDeviceStatus, type PushService } from './createPush.js';
import { pushFeatureTable } from './pushFeature.js';
import type { PushRequest, PushResponse, PushTransport } from './pushTransport.js';
import { wirePushNotifications } from './pushWiring.js';

const HOST_ID = '0123456789abcdef0123456789abcdef';
const PHONE_A = 'aa'.repeat(16);
const PHONE_B = 'bb'.repeat(16);

class RecordingTransport implements PushTransport {
  readonly requests: PushRequest[] = [];
  send(req: PushRequest): Promise<PushResponse> {
    this.requests.push(req);
    return Promise.resolve({ status: 201 });
  }
}

function browserSubscription(n: number) {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  return { endpoint: `https://push.example/send/token-${n}`, expirationTime: null, keys: { p256dh: ecdh.getPublicKey('base64url'), auth: randomBytes(16).toString('base64url') } };
}

const opened: PushService[] = [];
afterEach(async () => {
  for (const p of opened.splice(0)) await p.dispose();
});

async function service(transport: PushTransport = new RecordingTransport()): Promise<PushService> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'push-feature-'));
  const push = await createPush({ dataDir: dir, secretStore: new FileSecretStore(path.join(dir, 'secrets')), logger: silentLogger, hostId: HOST_ID, transport, delay: () => Promise.resolve() });
  opened.push(push);
  return push;
}

function as(kind: ClientIdentity['kind'], id: string): HostConnection {
  return { client: { kind, id, name: kind }, environmentId: 'local', selectEnvironment: () => {}, subscribe: () => {} };
}

describe('the push feature', () => {
  it('a phone subscribes, reads and turns off only its own device', async () => {
    const push = await service();
    const table = pushFeatureTable(push);
    const phone = as('phone', PHONE_A);
    expect(await table['host/push/vapidPublicKey'](undefined, phone)).toEqual({ vapidPublicKey: push.vapidPublicKey });
    expect(await table['host/push/subscribe']({ subscription: browserSubscription(1) }, phone)).toEqual({ deviceId: PHONE_A, enabled: true, subscribed: true, pushService: 'https://push.example' });
    // The subject and other devices stay hidden from a phone.
    expect(await table['host/push/settings/get'](undefined, phone)).toEqual({ configured: false, vapidPublicKey: push.vapidPublicKey, devices: [{ deviceId: PHONE_A, enabled: true, subscribed: true, pushService: 'https://push.example' }] });
    await expect(async () => table['host/push/settings/set']({ enabled: false, deviceId: PHONE_B }, phone)).rejects.toThrow('host/push/settings/set: a phone can change only its own notifications');
    await expect(async () => table['host/push/settings/get']({ deviceId: PHONE_B }, phone)).rejects.toThrow(/only its own/);
    expect(await table['host/push/settings/set']({ enabled: false }, phone)).toMatchObject({ deviceId: PHONE_A, enabled: false, subscribed: true });
    expect(await table['host/push/unsubscribe'](undefined, phone)).toEqual({ deviceId: PHONE_A, enabled: false, subscribed: false });
  });

  it('refuses a bad subscription with one line and keeps what was stored', async () => {
    const push = await service();
    const table = pushFeatureTable(push);
    const phone = as('phone', PHONE_A);
    await table['host/push/subscribe']({ subscription: browserSubscription(1) }, phone);
    const bad = { ...browserSubscription(2), endpoint: 'http://push.example/x' };
    const err = await Promise.resolve(table['host/push/subscribe']({ subscription: bad }, phone)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RpcError);
    expect((err as RpcError).message).toBe('host/push/subscribe: push subscription: endpoint must be an https URL');
    expect(push.device(PHONE_A)).toEqual({ deviceId: PHONE_A, enabled: true, subscribed: true, pushService: 'https://push.example' });
  });

  it('admins set the subject and see and switch every device', async () => {
    const push = await service();
    const table = pushFeatureTable(push);
    const desktop = as('desktop', 'window-1');
    await table['host/push/subscribe']({ subscription: browserSubscription(1) }, as('phone', PHONE_A));
    await expect(async () => table['host/push/subject/set']({ subject: 'mailto:nobody' }, desktop)).rejects.toThrow('host/push/subject/set: push: the contact subject must be mailto:user@domain');
    const view = await table['host/push/subject/set']({ subject: 'mailto:ops@example.com' }, desktop);
    expect(view).toMatchObject({ configured: true, subject: 'mailto:ops@example.com', devices: [{ deviceId: PHONE_A, subscribed: true }] });
    await expect(async () => table['host/push/settings/set']({ enabled: false }, desktop)).rejects.toThrow('host/push/settings/set: name the device (deviceId)');
    expect(await table['host/push/settings/set']({ enabled: false, deviceId: PHONE_A }, desktop)).toMatchObject({ deviceId: PHONE_A, enabled: false });
    expect(await table['host/push/settings/get']({ deviceId: PHONE_A }, as('cli', 'cli-1'))).toMatchObject({ subject: 'mailto:ops@example.com', devices: [{ deviceId: PHONE_A, enabled: false }] });
  });
});

describe('the push wiring', () => {
  function fakeHost() {
    const attention = new Emitter<HubAttention>();
    const revoked = new Emitter<{ deviceId: string }>();
    const notified: PushDeviceStatus[] = [];
    return {
      attention,
      revoked,
      notified,
      hub: { onAttention: (l: (e: HubAttention) => void) => attention.on(l), notify: (_n: 'host/push/changed', p: PushDeviceStatus) => void notified.push(p) },
      devices: { onRevoked: (l: (r: { deviceId: string }) => void) => revoked.on(l) },
    };
  }

  it('sends one push per approval or finished turn, forgets a revoked device and tells the admins', async () => {
    const transport = new RecordingTransport();
    const push = await service(transport);
    await push.setSubject('mailto:ops@example.com');
    const h = fakeHost();
    const reports: string[] = [];
    const wiring = wirePushNotifications({ hub: h.hub, devices: h.devices, push, hostName: 'Desk', logger: silentLogger, onReport: (e, r) => reports.push(`${e.kind}:${r.sent}`) });
    await push.subscribe(PHONE_A, browserSubscription(1));
    expect(h.notified).toEqual([{ deviceId: PHONE_A, enabled: true, subscribed: true, pushService: 'https://push.example' }]);

    h.attention.fire({ kind: 'approval-needed', environmentId: 'local', threadId: 'thread-1' });
    h.attention.fire({ kind: 'turn-finished', environmentId: 'local', threadId: 'thread-1' });
    await expect.poll(() => reports.sort()).toEqual(['approval-needed:1', 'turn-finished:1']);
    expect(transport.requests).toHaveLength(2);

    h.revoked.fire({ deviceId: PHONE_A });
    await expect.poll(() => push.device(PHONE_A).subscribed).toBe(false);
    h.attention.fire({ kind: 'approval-needed', environmentId: 'local', threadId: 'thread-2' });
    await new Promise((r) => setTimeout(r, 20));
    expect(transport.requests).toHaveLength(2);
    wiring.dispose();
  });

  it('sends nothing while nobody subscribed, and says once how to set the missing subject', async () => {
    const transport = new RecordingTransport();
    const push = await service(transport);
    const lines: string[] = [];
    const h = fakeHost();
    const wiring = wirePushNotifications({ hub: h.hub, devices: h.devices, push, hostName: 'Desk', logger: createLineLogger((l) => lines.push(l), 'debug') });
    h.attention.fire({ kind: 'turn-finished', environmentId: 'local', threadId: 't' });
    await push.subscribe(PHONE_A, browserSubscription(1));
    h.attention.fire({ kind: 'turn-finished', environmentId: 'local', threadId: 'a' });
    h.attention.fire({ kind: 'turn-finished', environmentId: 'local', threadId: 'b' });
    await expect.poll(() => lines.filter((l) => l.includes('--push-subject')).length).toBe(1);
    await new Promise((r) => setTimeout(r, 20));
    expect(lines.filter((l) => l.includes('--push-subject'))).toHaveLength(1);
    expect(transport.requests).toHaveLength(0);
    wiring.dispose();
  });
});
