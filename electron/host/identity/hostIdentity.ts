/**
 * The host's Ed25519 identity (remote-protocol.md §1): created on first run, the seed kept in
 * the secret store, never logged and never sent to the renderer.
 */
import { generateIdentity, identityFromSeed, idFromPublicKey, type Identity } from '../../../shared/crypto/identity.js';
import { fromB64u, toB64u } from '../../../shared/util/encoding.js';
import type { SecretStore } from './secretStore.js';

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
