/**
 * Which AES-256-GCM the phone uses (docs/encryption.md "AEAD implementations"): WebCrypto in a
 * secure context (fast, the key non-extractable), else the noble library, loaded only then.
 * Plain http on a LAN is not a secure context, so `crypto.subtle` does not exist there; the
 * session is end-to-end encrypted all the same, only slower, and Web Push (which needs a
 * service worker, hence https) is not available.
 */
import type { AeadFactory } from '../../../shared/crypto/aead';
import { webCryptoAead } from '../../../shared/crypto/webCryptoAead';

export interface CryptoSupport {
  /** `window.isSecureContext`: https, or localhost. */
  readonly secureContext: boolean;
  /** `webcrypto` or `noble` (JavaScript). */
  readonly aeadKind: 'webcrypto' | 'noble';
  readonly aead: AeadFactory;
}

export async function detectCryptoSupport(): Promise<CryptoSupport> {
  const secureContext = globalThis.isSecureContext === true;
  if (secureContext && globalThis.crypto?.subtle) return { secureContext, aeadKind: 'webcrypto', aead: webCryptoAead(crypto.subtle) };
  const { nobleAead } = await import('../../../shared/crypto/nobleAead');
  return { secureContext, aeadKind: 'noble', aead: nobleAead };
}
