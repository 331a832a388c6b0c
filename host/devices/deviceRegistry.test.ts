import { mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../shared/util/logger.js';
import { DeviceRegistry } from './deviceRegistry.js';

const phone = { deviceId: '1325b850c2871916eae203f0efc3c898', deviceKey: 'oJql9HpnWYAv-VX43C0qFKXJnSO-l_hkEn_5ODRVpPA', name: 'Test Phone', platform: 'ios', kind: 'phone' as const };

async function dir() {
  return mkdtemp(path.join(os.tmpdir(), 'devices-'));
}

describe('DeviceRegistry', () => {
  it('persists paired devices atomically with mode 0600 and reloads them', async () => {
    const d = await dir();
    const reg = await DeviceRegistry.open(d, silentLogger);
    await reg.addPaired(phone);
    expect((await stat(reg.file)).mode & 0o777).toBe(0o600);
    const again = await DeviceRegistry.open(d, silentLogger);
    expect(again.checkResume(phone.deviceId, phone.deviceKey)).toMatchObject({ ok: true, device: { name: 'Test Phone' } });
  });

  it('answers unknown_device for strangers and revoked after revoke, across restarts', async () => {
    const d = await dir();
    const reg = await DeviceRegistry.open(d, silentLogger);
    expect(reg.checkResume(phone.deviceId, phone.deviceKey)).toEqual({ ok: false, reason: 'unknown_device' });
    await reg.addPaired(phone);
    const revoked: string[] = [];
    reg.onRevoked((r) => revoked.push(r.deviceId));
    await reg.revoke(phone.deviceId);
    expect(revoked).toEqual([phone.deviceId]);
    expect(reg.checkResume(phone.deviceId, phone.deviceKey)).toEqual({ ok: false, reason: 'revoked' });
    const again = await DeviceRegistry.open(d, silentLogger);
    expect(again.checkResume(phone.deviceId, phone.deviceKey)).toEqual({ ok: false, reason: 'revoked' });
    expect(again.list()[0]?.deviceKey).toBeNull();
  });

  it('lets a revoked device pair again as a new entry', async () => {
    const reg = await DeviceRegistry.open(await dir(), silentLogger);
    const first = await reg.addPaired(phone);
    await reg.revoke(phone.deviceId);
    const second = await reg.addPaired(phone);
    expect(second.entryId).not.toBe(first.entryId);
    expect(reg.list()).toHaveLength(2);
    expect(reg.checkResume(phone.deviceId, phone.deviceKey)).toMatchObject({ ok: true });
  });

  it('rejects a resume with a different key for the same device id', async () => {
    const reg = await DeviceRegistry.open(await dir(), silentLogger);
    await reg.addPaired(phone);
    expect(reg.checkResume(phone.deviceId, 'AAAA')).toEqual({ ok: false, reason: 'unknown_device' });
  });

  it('fails closed on a corrupt file: trusts nobody, keeps the bad file aside, reports it', async () => {
    const d = await dir();
    await writeFile(path.join(d, 'devices.json'), '{"version":1,"devices":[{"deviceId":"x"');
    const reg = await DeviceRegistry.open(d, silentLogger);
    expect(reg.list()).toEqual([]);
    expect(reg.problem).toMatch(/devices\.json was unreadable \(.*invalid JSON\); it was moved to .*corrupt-/);
    const files = await readdir(d);
    const aside = files.find((f) => f.startsWith('devices.json.corrupt-'))!;
    expect(await readFile(path.join(d, aside), 'utf8')).toBe('{"version":1,"devices":[{"deviceId":"x"');
  });

  it('renames a device', async () => {
    const reg = await DeviceRegistry.open(await dir(), silentLogger);
    await reg.addPaired(phone);
    await reg.rename(phone.deviceId, 'Work phone');
    expect(reg.active()[0]?.name).toBe('Work phone');
  });
});
