/**
 * The host's Ed25519 identity (remote-protocol.md §1): created on first run, the seed kept in
 * the secret store, never logged and never sent to the renderer.
 */
import { generateIdentity, identityFromSeed, idFromPublicKey, type Identity } from '../../shared/crypto/identity.js';
import { fromB64u, toB64u } from '../../shared/util/encoding.js';
import path from 'node:path';
import { z } from 'zod';
import type { Logger } from '../../shared/util/logger.js';
import { readJsonFile, writeJsonAtomic } from '../storage/atomicFile.js';
import { openSecretStore, type SecretStore, type SecretStoreChoice } from './secretStore.js';

export const HOST_IDENTITY_SECRET = 'host-identity-seed';

export interface HostIdentity {
  readonly identity: Identity;
  readonly hostId: string;
  readonly created: boolean;
}

export async function loadOrCreateHostIdentity(store: SecretStore): Promise<HostIdentity> {
  const stored = await store.get(HOST_IDENTITY_SECRET);
  if (stored !== undefined) {
    let seed: Uint8Array;
    try {
      seed = fromB64u(stored);
      if (seed.length !== 32) throw new Error('wrong length');
    } catch {
      // Never replace a stored identity silently: paired devices pin this key.
      throw new Error(`host identity in ${store.location} is corrupt; restore it or remove it to create a new identity (all devices must pair again)`);
    }
    const identity = identityFromSeed(seed);
    return { identity, hostId: idFromPublicKey(identity.publicKey), created: false };
  }
  const identity = generateIdentity();
  await store.set(HOST_IDENTITY_SECRET, toB64u(identity.seed));
  return { identity, hostId: idFromPublicKey(identity.publicKey), created: true };
}

export const IDENTITY_MARKER_FILE = 'identity.json';
const MarkerSchema = z.object({ hostId: z.string().regex(/^[0-9a-f]{32}$/), store: z.enum(['keyring', 'file']), createdAt: z.string().max(40) }).strict();

/**
 * Opens the secret store and the host identity, guarded by a marker in the data dir (hostId and
 * store kind, no secret). Without it, a host first run in a desktop session (key in the OS
 * keyring) and later run where that keyring is unreachable (ssh, systemd) would silently make a
 * new identity, and every paired device would then see a host that cannot prove its key. With
 * the marker such a start fails with an explanation instead.
 */
export async function openHostIdentity(dataDir: string, choice: SecretStoreChoice, logger: Logger): Promise<HostIdentity & { store: SecretStore }> {
  const markerPath = path.join(dataDir, IDENTITY_MARKER_FILE);
  const marker = await readJsonFile(markerPath, MarkerSchema, 4096).catch((err: Error) => {
    throw new Error(`host identity marker ${markerPath} is unreadable (${err.message}); remove it to continue`);
  });
  const store = await openSecretStore(dataDir, marker && choice === 'auto' ? marker.store : choice, logger, HOST_IDENTITY_SECRET).catch((err: Error) => {
    if (!marker) throw err;
    throw new Error(
      `the host identity ${marker.hostId} is kept in the ${marker.store === 'keyring' ? 'OS secret store' : 'file store'}, which is not usable here (${err.message}). ` +
        `Start the host where it is available, or remove ${markerPath} to create a new identity (every paired device must then pair again).`,
    );
  });
  if (marker && (await store.get(HOST_IDENTITY_SECRET)) === undefined) {
    throw new Error(
      `the host identity ${marker.hostId} is missing from ${store.location}. Paired devices pin that key, so a new one is not made silently: ` +
        `restore it, or remove ${markerPath} to create a new identity (every paired device must then pair again).`,
    );
  }
  const id = await loadOrCreateHostIdentity(store);
  if (marker && marker.hostId !== id.hostId) {
    throw new Error(`the host identity in ${store.location} (${id.hostId}) is not the one this data dir was paired with (${marker.hostId}); remove ${markerPath} to accept it`);
  }
  if (!marker) await writeJsonAtomic(markerPath, { hostId: id.hostId, store: store.kind, createdAt: new Date().toISOString() });
  return { ...id, store };
}
