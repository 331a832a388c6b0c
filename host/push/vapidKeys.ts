/**
 * The host's VAPID key pair (RFC 8292): a P-256 key that signs the JWT every push request
 * carries, and whose public half the phone passes to `pushManager.subscribe` as the
 * `applicationServerKey`. Generated once; the private key lives in the host's secret store
 * (never in the data dir, argv or logs), and the public key is derived from it, so the two can
 * never disagree.
 */
import { createECDH } from 'node:crypto';
import type { SecretStore } from '../identity/secretStore.js';

export const VAPID_SECRET_NAME = 'push-vapid-private-key';

export interface VapidKeys {
  /** base64url, 65-byte uncompressed point. */
  readonly publicKey: string;
  /** base64url, 32 bytes. */
  readonly privateKey: string;
}

/** Derives the public key; throws if `privateKey` is not a valid P-256 scalar. */
export function vapidKeysFromPrivate(privateKey: string): VapidKeys {
  const raw = Buffer.from(privateKey, 'base64url');
  if (raw.length !== 32 || raw.toString('base64url') !== privateKey) throw new Error('not 32 bytes of base64url');
  const ecdh = createECDH('prime256v1');
  ecdh.setPrivateKey(raw);
  return { publicKey: ecdh.getPublicKey().toString('base64url'), privateKey };
}

export function generateVapidKeys(): VapidKeys {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  // getPrivateKey() drops leading zero bytes; pad to the 32 bytes VAPID requires.
  const priv = Buffer.alloc(32);
  const raw = ecdh.getPrivateKey();
  raw.copy(priv, 32 - raw.length);
  return vapidKeysFromPrivate(priv.toString('base64url'));
}

/**
 * Loads the key pair from `store`, creating it on first use. A stored key that is unusable is
 * replaced (with `created: true` and the reason in `replaced`), since subscriptions made for
 * a key the host cannot sign with are useless anyway; the caller drops them.
 */
export async function loadOrCreateVapidKeys(store: SecretStore): Promise<{ keys: VapidKeys; created: boolean; replaced?: string }> {
  const stored = await store.get(VAPID_SECRET_NAME);
  let replaced: string | undefined;
  if (stored !== undefined) {
    try {
      return { keys: vapidKeysFromPrivate(stored), created: false };
    } catch (err) {
      replaced = `the stored VAPID key in ${store.location} was unusable (${err instanceof Error ? err.message : String(err)})`;
    }
  }
  const keys = generateVapidKeys();
  await store.set(VAPID_SECRET_NAME, keys.privateKey);
  return replaced !== undefined ? { keys, created: true, replaced } : { keys, created: true };
}
