/**
 * This phone's device identity (remote-protocol.md §1, §6): an Ed25519 key pair made on first
 * use and kept in IndexedDB. Where the browser has Ed25519 in WebCrypto (a secure context in a
 * current browser) the private key is a non-extractable `CryptoKey`: the page can sign with it
 * but no script, not even ours, can read it out. Elsewhere (plain http on a LAN, older
 * browsers) the seed is kept in IndexedDB and signing runs in JavaScript (@noble/curves).
 */
import { generateIdentity, identityFromSeed, signerFromIdentity, type Signer } from '../../../shared/crypto/identity';
import type { KeyValueStore } from './kvStore';

const KEY = 'deviceKey.v1';

export type DeviceKeyKind = 'webcrypto' | 'stored';

export interface DeviceKey {
  readonly signer: Signer;
  /** `webcrypto`: non-extractable CryptoKey; `stored`: a seed in IndexedDB. */
  readonly kind: DeviceKeyKind;
}

interface StoredWebCrypto {
  readonly kind: 'webcrypto';
  readonly privateKey: CryptoKey;
  readonly publicKey: Uint8Array;
}
interface StoredSeed {
  readonly kind: 'stored';
  readonly seed: Uint8Array;
}

function webCryptoSigner(privateKey: CryptoKey, publicKey: Uint8Array): Signer {
  return {
    publicKey,
    sign: async (message) => new Uint8Array(await crypto.subtle.sign({ name: 'Ed25519' }, privateKey, message.slice())),
  };
}

function parseStored(v: unknown): StoredWebCrypto | StoredSeed | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const r = v as Record<string, unknown>;
  if (r.kind === 'webcrypto' && r.publicKey instanceof Uint8Array && r.publicKey.length === 32 && typeof CryptoKey !== 'undefined' && r.privateKey instanceof CryptoKey) {
    return { kind: 'webcrypto', privateKey: r.privateKey, publicKey: r.publicKey };
  }
  if (r.kind === 'stored' && r.seed instanceof Uint8Array && r.seed.length === 32) return { kind: 'stored', seed: r.seed };
  return undefined;
}

/** Whether this page can make a non-extractable Ed25519 key (secure context, a browser with Ed25519). */
async function makeWebCryptoKey(): Promise<StoredWebCrypto | undefined> {
  if (!globalThis.isSecureContext || !globalThis.crypto?.subtle) return undefined;
  try {
    const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, false, ['sign', 'verify'])) as CryptoKeyPair;
    const publicKey = new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey));
    if (publicKey.length !== 32) return undefined;
    return { kind: 'webcrypto', privateKey: pair.privateKey, publicKey };
  } catch {
    return undefined;
  }
}

/**
 * The device key of this origin: the stored one, or a new one (WebCrypto where possible) that
 * is stored before it is used, so a pairing never pins a key the phone could lose on reload.
 */
export async function loadDeviceKey(store: KeyValueStore, options: { readonly preferWebCrypto?: boolean } = {}): Promise<DeviceKey> {
  const stored = parseStored(await store.get(KEY));
  if (stored?.kind === 'webcrypto') return { kind: 'webcrypto', signer: webCryptoSigner(stored.privateKey, stored.publicKey) };
  if (stored?.kind === 'stored') return { kind: 'stored', signer: signerFromIdentity(identityFromSeed(stored.seed)) };
  const web = options.preferWebCrypto === false ? undefined : await makeWebCryptoKey();
  if (web) {
    await store.set(KEY, web);
    return { kind: 'webcrypto', signer: webCryptoSigner(web.privateKey, web.publicKey) };
  }
  const identity = generateIdentity();
  await store.set(KEY, { kind: 'stored', seed: identity.seed } satisfies StoredSeed);
  return { kind: 'stored', signer: signerFromIdentity(identity) };
}
