import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { idFromPublicKey } from '../../shared/crypto/identity.js';
import { silentLogger } from '../../shared/util/logger.js';
import { FileSecretStore, type SecretStores } from '../identity/secretStore.js';
import { CONTROLLER_DEVICE_SECRET, loadControllerDevice, loadOrCreateControllerDevice } from './controllerDevice.js';
import { RemotesStore } from './remotesStore.js';

/** Secret stores with no OS store (as on a headless server): the 0600 file store only. */
const fileOnly: SecretStores = {
  file: (dataDir) => new FileSecretStore(join(dataDir, 'secrets')),
  os: () => Promise.reject(new Error('no secret service')),
  legacy: async () => [],
};

async function setup() {
  const dataDir = await mkdtemp(join(tmpdir(), 'controller-key-'));
  const records = await RemotesStore.open(dataDir, silentLogger);
  return { dataDir, records, o: { dataDir, records, choice: 'auto' as const, logger: silentLogger, stores: fileOnly } };
}

describe('the controller device key', () => {
  it('is made only when asked, kept in the secret store apart from the host identity, and recorded by id', async () => {
    const { dataDir, records, o } = await setup();
    expect(await loadControllerDevice(o)).toBeUndefined();
    expect(records.device).toBeNull();
    const made = await loadOrCreateControllerDevice(o);
    expect(records.device).toMatchObject({ deviceId: idFromPublicKey(made.publicKey), store: 'file' });
    expect(await new FileSecretStore(join(dataDir, 'secrets')).get(CONTROLLER_DEVICE_SECRET)).toBeDefined();
    expect(await new FileSecretStore(join(dataDir, 'secrets')).get('host-identity-seed')).toBeUndefined();
    const reopened = await RemotesStore.open(dataDir, silentLogger);
    const again = await loadOrCreateControllerDevice({ ...o, records: reopened });
    expect(idFromPublicKey(again.publicKey)).toBe(idFromPublicKey(made.publicKey));
  });

  it('is never replaced silently when it went missing: the hosts it controls pin it', async () => {
    const { dataDir, records, o } = await setup();
    const made = await loadOrCreateControllerDevice(o);
    await rm(join(dataDir, 'secrets', CONTROLLER_DEVICE_SECRET));
    const msg = new RegExp(`controller key ${idFromPublicKey(made.publicKey)} is missing from .*secrets; the hosts it controls pin that key`);
    await expect(loadControllerDevice(o)).rejects.toThrow(msg);
    await expect(loadOrCreateControllerDevice(o)).rejects.toThrow(msg);
    expect(records.device?.deviceId).toBe(idFromPublicKey(made.publicKey));
  });

  it('says so when the recorded OS secret store is not reachable (e.g. started over ssh)', async () => {
    const { records, o } = await setup();
    await records.setDevice({ deviceId: 'c'.repeat(32), store: 'keyring', createdAt: '2026-01-01T00:00:00.000Z' });
    await expect(loadControllerDevice(o)).rejects.toThrow(/kept in the OS secret store, which is not usable here \(no secret service\)/);
  });
});
