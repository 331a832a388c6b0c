import { readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../shared/util/logger.js';
import { useTempDirs } from '../testing/tempDirs.js';
import { DeviceRegistry, MAX_TOMBSTONES } from './deviceRegistry.js';

const phone = { deviceId: '1325b850c2871916eae203f0efc3c898', deviceKey: 'oJql9HpnWYAv-VX43C0qFKXJnSO-l_hkEn_5ODRVpPA', name: 'Test Phone', platform: 'ios', kind: 'phone' as const };

const dir = useTempDirs('devices-');

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

  it('never overwrites the only copy when the corrupt list cannot be moved aside', async () => {
    const d = await dir();
    const bad = '{"version":1,"devices":[{"deviceId":"x"';
    await writeFile(path.join(d, 'devices.json'), bad);
    const reg = await DeviceRegistry.open(d, silentLogger, () => new Date(), {
      rename: () => Promise.reject(Object.assign(new Error('EBUSY: resource busy or locked'), { code: 'EBUSY' })),
    });
    expect(reg.list()).toEqual([]);
    expect(reg.warnings).toEqual([
      expect.stringMatching(/^the trusted-device list .*devices\.json is unreadable \(.*invalid JSON\) and could not be moved aside \(EBUSY: resource busy or locked\); no device is trusted, and the file is not overwritten: fix or move it away, then restart the host$/),
    ]);
    await expect(reg.addPaired(phone)).rejects.toThrow(/^devices: not saved: the trusted-device list .* could not be moved aside/);
    await expect(reg.rename(phone.deviceId, 'x')).rejects.toThrow(/not saved/);
    expect(await readFile(path.join(d, 'devices.json'), 'utf8')).toBe(bad);
    expect((await readdir(d)).sort()).toEqual(['devices.json']);
  });

  it('keeps warning about a moved-aside list on every start until the aside file is dealt with', async () => {
    const d = await dir();
    await writeFile(path.join(d, 'devices.json'), 'not json');
    const first = await DeviceRegistry.open(d, silentLogger, () => new Date(1_760_000_000_000));
    const aside = path.join(d, 'devices.json.corrupt-1760000000000');
    expect(first.warnings).toEqual([expect.stringContaining(`was unreadable (`)]);
    // Pairing a new device does not make the lost list look fine.
    await first.addPaired(phone);
    expect(first.warnings).toHaveLength(1);
    const second = await DeviceRegistry.open(d, silentLogger);
    expect(second.checkResume(phone.deviceId, phone.deviceKey)).toMatchObject({ ok: true });
    expect(second.warnings).toEqual([
      `a trusted-device list that could not be read was moved aside to ${aside}; the devices in it are not trusted (pair them again). Delete it once checked (or repair it and move it back to ${second.file} while the host is stopped) to clear this warning`,
    ]);
    expect(second.problem).toBe(second.warnings[0]);
    await rm(aside);
    expect(second.warnings).toEqual([]);
    expect(second.problem).toBeUndefined();
    expect((await DeviceRegistry.open(d, silentLogger)).warnings).toEqual([]);
  });

  it('still loads, with the owner trusted, after 1025 pair/revoke cycles (tombstones capped)', async () => {
    const d = await dir();
    let t = Date.parse('2026-01-01T00:00:00Z');
    // Each save is kept in memory and only the last one goes to disk: 2051 fsync'd writes of a
    // growing file would only make the test slow. The file read back is the registry's own.
    let saved: unknown;
    const reg = await DeviceRegistry.open(d, silentLogger, () => new Date((t += 1000)), { writeJson: (_f, v) => Promise.resolve(void (saved = v)) });
    const owner = { ...phone, deviceId: 'aa'.repeat(16), name: 'Owner phone' };
    await reg.addPaired(owner);
    for (let i = 0; i < 1025; i++) {
      const deviceId = i.toString(16).padStart(32, '0');
      await reg.addPaired({ ...phone, deviceId, name: `Phone ${i}` });
      await reg.revoke(deviceId);
    }
    await writeFile(reg.file, JSON.stringify(saved));
    const onDisk = JSON.parse(await readFile(reg.file, 'utf8')) as { devices: { deviceId: string; revokedAt: string | null }[] };
    expect(onDisk.devices.length).toBeLessThanOrEqual(1024);
    expect(onDisk.devices.filter((x) => x.revokedAt !== null)).toHaveLength(MAX_TOMBSTONES);
    const again = await DeviceRegistry.open(d, silentLogger);
    expect(again.warnings).toEqual([]);
    expect(again.checkResume(owner.deviceId, owner.deviceKey)).toMatchObject({ ok: true, device: { name: 'Owner phone' } });
    // The most recent revocations are kept; the oldest tombstones went (still refused, as unknown).
    expect(again.checkResume((1024).toString(16).padStart(32, '0'), phone.deviceKey)).toEqual({ ok: false, reason: 'revoked' });
    expect(again.checkResume((0).toString(16).padStart(32, '0'), phone.deviceKey)).toEqual({ ok: false, reason: 'unknown_device' });
  });

  it('loads a list with more tombstones than the cap (written by an older version) and prunes it on the next write', async () => {
    const d = await dir();
    const tomb = (i: number) => ({ entryId: `e${i}`, deviceId: i.toString(16).padStart(32, '0'), deviceKey: null, name: `P${i}`, platform: 'ios', kind: 'phone', pairedAt: '2026-01-01T00:00:00.000Z', lastSeen: null, revokedAt: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString() });
    await writeFile(path.join(d, 'devices.json'), JSON.stringify({ version: 1, devices: Array.from({ length: 1100 }, (_, i) => tomb(i)) }));
    const reg = await DeviceRegistry.open(d, silentLogger);
    expect(reg.warnings).toEqual([]);
    expect(reg.list()).toHaveLength(MAX_TOMBSTONES);
    await reg.addPaired(phone);
    const onDisk = JSON.parse(await readFile(reg.file, 'utf8')) as { devices: unknown[] };
    expect(onDisk.devices).toHaveLength(MAX_TOMBSTONES + 1);
  });
});
