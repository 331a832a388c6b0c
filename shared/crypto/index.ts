/**
 * The remote-protocol crypto module (remote-protocol.md, docs/encryption.md): the only place in
 * the project that signs, derives keys or encrypts session data. Pure (no I/O, no DOM, no Node);
 * the Node AEAD lives in host/remote-access/nodeAead.ts.
 */
export { AEAD_KEY_BYTES, AEAD_NONCE_BYTES, AEAD_TAG_BYTES, type AeadFactory, type AeadKey } from './aead.js';
export { nobleAead } from './nobleAead.js';
export { type AesGcmParamsLike, type SubtleCryptoLike, type WebCryptoBytes, webCryptoAead } from './webCryptoAead.js';
export {
  ED25519_KEY_BYTES,
  ED25519_SIG_BYTES,
  generateIdentity,
  type Identity,
  identityFromSeed,
  idFromPublicKey,
  sign,
  type Signer,
  signerFromIdentity,
  signRegister,
  verify,
  verifyRegister,
} from './identity.js';
export { L } from './labels.js';
export { displayNameProblem, MAX_DISPLAY_NAME_CHARS } from '../protocol/displayName.js';
export {
  encodePairingLink,
  MAX_PAIRING_LINK_CHARS,
  PAIRING_LINK_TTL_SECONDS,
  pairIdFromSecret,
  type PairingLink,
  PairingLinkError,
  type PairingLinkField,
  type PairingLinkFields,
  type PairingLinkProblem,
  parsePairingLink,
} from '../pairing/pairingLink.js';
export { httpOriginProblem, relayUrlProblem } from '../pairing/relayUrl.js';
export { isLocalNetworkHost } from '../net/address.js';
export { type ProtocolCloseCode, ProtocolError } from './protocolError.js';
export {
  CLIENT_HELLO_BYTES,
  HANDSHAKE_TIMEOUT_MS,
  type HandshakeMode,
  KIND_CLIENT_HELLO,
  KIND_SERVER_HELLO,
  SERVER_HELLO_BYTES,
} from './handshakeMessages.js';
export {
  DENIED_REASONS,
  type DeniedReason,
  DEVICE_KINDS,
  DEVICE_PLATFORMS,
  type DeviceDescription,
  type DeviceKind,
  type DevicePlatform,
  MAX_HANDSHAKE_JSON_BYTES,
  type Welcome,
  type WelcomeHost,
} from './handshakeRecords.js';
export type { DangerousFixedRandomness, SessionKeys } from './keySchedule.js';
export { ControllerHandshake, type ControllerHandshakeOptions, type ControllerHandshakeResult } from './controllerHandshake.js';
export {
  type ClientAuthOutcome,
  type ClientHelloOutcome,
  type HostDescription,
  HostHandshake,
  type HostHandshakeOptions,
  type PairingSecretLookup,
  type VerifiedDevice,
} from './hostHandshake.js';
export {
  KIND_RECORD,
  MAX_FRAGMENT_BYTES,
  MAX_MESSAGE_BYTES,
  MAX_RECORD_BYTES,
  MAX_RECORDS_PER_DIRECTION,
  type RecordChannel,
  type RecordDirection,
  RecordOpener,
  type RecordOpenerOptions,
  RecordSealer,
  type RecordStreamOptions,
  SID_BYTES,
} from './record.js';
