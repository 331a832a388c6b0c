/**
 * This host's own controller device key (docs/remotes.md): the Ed25519 identity it presents to
 * the hosts it controls (remote-protocol.md §1 "Device identity"), separate from its host
 * identity. The seed lives in the host's secret store (the OS store, or a 0600 file where none
 * answers) under its own name; `remotes.json` records its device id and which store holds it,
 * so a key that went missing (a keyring unreachable over ssh) is reported, never silently
 * replaced by a new one that every controlled host would refuse as `unknown_device`.
 *
 * Created only when the first remote is added: a host that controls nothing never touches the
 * secret store for this.
 */
import { generateIdentity, identityFromSeed, idFromPublicKey, type Identity } from '../../shared/crypto/identity.js';
import { fromB64u, toB64u } from '../../shared/util/encoding.js';
import type { Logger } from '../../shared/util/logger.js';
import { nodeSecretStores, openSecretStore, type SecretStore, type SecretStoreChoice, type SecretStores } from '../identity/secretStore.js';
import type { RemotesStore } from './remotesStore.js';

export const CONTROLLER_DEVICE_SECRET = 'controller-device-seed';

export interface ControllerDeviceOptions {
  readonly dataDir: string;
  readonly records: RemotesStore;
  readonly choice: SecretStoreChoice;
  readonly logger: Logger;
  readonly stores?: SecretStores;
}

/** Loads the device key recorded in `remotes.json`; undefined when none was ever made. Throws when it is recorded but unusable. */
export async function loadControllerDevice(o: ControllerDeviceOptions): Promise<Identity | undefined> {
  const marker = o.records.device;
  if (!marker) return undefined;
  const stores = o.stores ?? nodeSecretStores();
  let store: SecretStore;
  try {
    store = marker.store === 'file' ? stores.file(o.dataDir) : await stores.os(o.dataDir);
  } catch (err) {
    throw new Error(
      `this host's controller key ${marker.deviceId} is kept in the OS secret store, which is not usable here (${(err as Error).message}); start the host where it is available`,
    );
  }
  const stored = await store.get(CONTROLLER_DEVICE_SECRET);
  if (stored === undefined) {
    throw new Error(
      `this host's controller key ${marker.deviceId} is missing from ${store.location}; the hosts it controls pin that key: restore it, or remove them here and add them again`,
    );
  }
  const identity = identityOf(stored, store);
  if (idFromPublicKey(identity.publicKey) !== marker.deviceId) {
    throw new Error(`the controller key in ${store.location} is not the one recorded in ${o.records.file} (${marker.deviceId})`);
  }
  return identity;
}

/** Loads the device key, or creates it (and records where it lives) when there is none yet. */
export async function loadOrCreateControllerDevice(o: ControllerDeviceOptions): Promise<Identity> {
  const existing = await loadControllerDevice(o);
  if (existing) return existing;
  const store = await openSecretStore(o.dataDir, o.choice, o.logger, CONTROLLER_DEVICE_SECRET, o.stores ?? nodeSecretStores());
  // A seed without a record (a crash between the two writes) is adopted, not replaced.
  const left = await store.get(CONTROLLER_DEVICE_SECRET);
  let identity: Identity;
  if (left !== undefined) identity = identityOf(left, store);
  else {
    identity = generateIdentity();
    await store.set(CONTROLLER_DEVICE_SECRET, toB64u(identity.seed));
    if ((await store.get(CONTROLLER_DEVICE_SECRET)) !== toB64u(identity.seed)) throw new Error(`the controller key does not read back from ${store.location}`);
  }
  const deviceId = idFromPublicKey(identity.publicKey);
  await o.records.setDevice({ deviceId, store: store.kind, createdAt: new Date().toISOString() });
  o.logger.info('created the controller device key', { deviceId, store: store.kind });
  return identity;
}

function identityOf(stored: string, store: SecretStore): Identity {
  let seed: Uint8Array;
  try {
    seed = fromB64u(stored);
    if (seed.length !== 32) throw new Error('wrong length');
  } catch {
    throw new Error(`the controller key in ${store.location} is corrupt; restore it, or remove the controlled hosts and add them again`);
  }
  return identityFromSeed(seed);
}
