import { createECDH, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../shared/util/logger.js';
import { PushStore } from './pushStore.js';
import { parsePushSubscription } from './pushSubscription.js';
import { FileSecretStore } from '../identity/secretStore.js';
import { loadOrCreateVapidKeys, VAPID_SECRET_NAME } from './vapidKeys.js';
import { useTempDirs } from '../testing/tempDirs.js';

const ID = 'ab'.repeat(16);
const dir = useTempDirs('push-store-');
function sub() {
  const e = createECDH('prime256v1');
  e.generateKeys();
  return parsePushSubscription({ endpoint: 'https://push.example/x', keys: { p256dh: e.getPublicKey('base64url'), auth: randomBytes(16).toString('base64url') } });
}

describe('PushStore', () => {
  it('persists settings and subscriptions with mode 0600 and reloads them', async () => {
    const d = await dir();
    const s = await PushStore.open(d, silentLogger);
    await s.setSubject('mailto:ops@example.com');
    await s.putSubscription(ID, sub());
    await s.setEnabled(ID, false);
    expect((await stat(s.file)).mode & 0o777).toBe(0o600);
    const again = await PushStore.open(d, silentLogger);
    expect([again.subject, again.device(ID)?.enabled, again.device(ID)?.subscription?.endpoint]).toEqual(['mailto:ops@example.com', false, 'https://push.example/x']);
  });

  it('moves a corrupt file aside (keeping it) and starts empty, saying so', async () => {
    const d = await dir();
    await writeFile(path.join(d, 'push.json'), '{"version":1,"devices":"nope"}');
    const s = await PushStore.open(d, silentLogger);
    expect(s.devices).toEqual([]);
    expect(s.problem).toMatch(/push settings .* were unreadable .*moved to .*push\.json\.corrupt-/);
    expect((await readdir(d)).some((f) => f.startsWith('push.json.corrupt-'))).toBe(true);
  });

  it('drops subscriptions made for another VAPID key, keeping the on/off settings', async () => {
    const s = await PushStore.open(await dir(), silentLogger);
    expect(await s.setVapidPublicKey('key-one')).toBe(0);
    await s.putSubscription(ID, sub());
    await s.setEnabled(ID, false);
    expect(await s.setVapidPublicKey('key-one')).toBe(0);
    expect(await s.setVapidPublicKey('key-two')).toBe(1);
    expect(s.device(ID)).toMatchObject({ enabled: false, subscription: null });
  });

  it('rolls memory back when the file cannot be written', async () => {
    const d = await dir();
    const s = await PushStore.open(d, silentLogger);
    await s.putSubscription(ID, sub());
    // A directory where the file should be: the atomic rename fails (even for root).
    await rm(s.file);
    await mkdir(s.file);
    await expect(s.setEnabled(ID, false)).rejects.toThrow(/push: could not save/);
    expect(s.device(ID)?.enabled).toBe(true);
  });
});

describe('VAPID keys', () => {
  it('are created once in the secret store and loaded unchanged afterwards', async () => {
    const store = new FileSecretStore(path.join(await dir(), 'secrets'));
    const a = await loadOrCreateVapidKeys(store);
    const b = await loadOrCreateVapidKeys(store);
    expect([a.created, b.created]).toEqual([true, false]);
    expect(b.keys).toEqual(a.keys);
    expect(Buffer.from(a.keys.publicKey, 'base64url')).toHaveLength(65);
  });

  it('replace an unusable stored key, saying why', async () => {
    const d = await dir();
    const store = new FileSecretStore(path.join(d, 'secrets'));
    await store.set(VAPID_SECRET_NAME, 'garbage');
    const r = await loadOrCreateVapidKeys(store);
    expect(r.replaced).toMatch(/stored VAPID key .* was unusable/);
    expect((await readFile(path.join(d, 'secrets', VAPID_SECRET_NAME), 'utf8')).trim()).toBe(r.keys.privateKey);
  });
});
