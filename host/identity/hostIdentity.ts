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
import { errorMessage } from '../../shared/util/errors.js';
import { nodeSecretStores, openSecretStore, type SecretStore, type SecretStoreChoice, type SecretStores } from './secretStore.js';

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
 *
 * An identity an older version left in a non-durable store (Linux's kernel keyring, lost at
 * reboot) is moved to the durable one on this start: same key, so no device pairs again.
 */
export async function openHostIdentity(
  dataDir: string,
  choice: SecretStoreChoice,
  logger: Logger,
  stores: SecretStores = nodeSecretStores(),
): Promise<HostIdentity & { store: SecretStore }> {
  const markerPath = path.join(dataDir, IDENTITY_MARKER_FILE);
  const marker = await readJsonFile(markerPath, MarkerSchema, 4096).catch((err: Error) => {
    throw new Error(`host identity marker ${markerPath} is unreadable (${err.message}); remove it to continue`);
  });
  if (marker?.store === 'keyring' && choice !== 'file') {
    const moved = await moveFromLegacyStore(dataDir, marker.hostId, choice, logger, stores);
    if (moved) {
      await writeJsonAtomic(markerPath, { ...marker, store: moved.store.kind });
      return { ...moved, created: false };
    }
  }
  const store = await openSecretStore(dataDir, marker && choice === 'auto' ? marker.store : choice, logger, HOST_IDENTITY_SECRET, stores).catch((err: Error) => {
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

/**
 * If the durable OS store lacks the seed but a legacy store (kernel keyring) has it: copies it
 * to the durable store (`keyring` choice: the OS store, which must answer; `auto`: the OS store
 * if it answers, else the 0600 file), checks the copy, then deletes the legacy copy. Returns the
 * identity in its new store, or undefined when there is nothing to move.
 */
async function moveFromLegacyStore(
  dataDir: string,
  hostId: string,
  choice: Exclude<SecretStoreChoice, 'file'>,
  logger: Logger,
  stores: SecretStores,
): Promise<(Omit<HostIdentity, 'created'> & { store: SecretStore }) | undefined> {
  const durable = await stores.os(dataDir).catch((err: unknown) => err instanceof Error ? err : new Error(errorMessage(err)));
  if (!(durable instanceof Error) && (await durable.get(HOST_IDENTITY_SECRET)) !== undefined) return undefined;
  const legacy = await stores.legacy(dataDir).catch(() => [] as SecretStore[]);
  for (const old of legacy) {
    const seed = await old.get(HOST_IDENTITY_SECRET).catch(() => undefined);
    if (seed === undefined) continue;
    const id = await loadOrCreateHostIdentity(old);
    if (id.hostId !== hostId) continue; // not this data dir's identity: leave it alone
    if (durable instanceof Error && choice === 'keyring') {
      throw new Error(
        `the host identity ${hostId} is in ${old.location}, which is lost at reboot, and no durable OS secret store answers to move it to (${durable.message}); ` +
          'start once with --secret-store auto to move it to the 0600 file store',
      );
    }
    const target = durable instanceof Error ? stores.file(dataDir) : durable;
    await target.set(HOST_IDENTITY_SECRET, seed);
    if ((await target.get(HOST_IDENTITY_SECRET)) !== seed) throw new Error(`could not move the host identity ${hostId} to ${target.location}: the copy does not read back`);
    await old.delete(HOST_IDENTITY_SECRET).catch((err: unknown) => logger.warn('could not delete the old copy of the host identity', { from: old.location, error: errorMessage(err) }));
    logger.warn(`moved the host identity ${hostId} from ${old.location} (not durable: lost at reboot) to ${target.location}; paired devices keep working`);
    return { identity: id.identity, hostId: id.hostId, store: target };
  }
  return undefined;
}
