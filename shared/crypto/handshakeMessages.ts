/**
 * The two plaintext handshake messages (remote-protocol.md §4, docs/encryption.md):
 *
 *   ClientHello (75 B)  = 0x01 || 0x01 || mode || clientEph(32) || clientNonce(32) || pairId(8)
 *   ServerHello (130 B) = 0x02 || 0x01 || hostEph(32) || hostNonce(32) || sig(64)
 *
 * Parsers are strict: exact length, kind, version and mode, and in resume mode an all-zero pairId.
 * Every failure is a 4400 `ProtocolError`.
 */
import { protocolError } from './protocolError.js';

export const KIND_CLIENT_HELLO = 0x01;
export const KIND_SERVER_HELLO = 0x02;
export const PROTOCOL_VERSION = 0x01;
export const MODE_PAIR = 0x01;
export const MODE_RESUME = 0x02;
export const CLIENT_HELLO_BYTES = 75;
export const SERVER_HELLO_BYTES = 130;
export const HANDSHAKE_NONCE_BYTES = 32;
export const PAIR_ID_BYTES = 8;
/** remote-protocol.md §4: the whole handshake must finish within 10 s. */
export const HANDSHAKE_TIMEOUT_MS = 10_000;

/** `pair`: first contact, keys also depend on the link's one-time secret; `resume`: a trusted device. */
export type HandshakeMode = 'pair' | 'resume';

export interface ClientHello {
  readonly mode: HandshakeMode;
  readonly clientEph: Uint8Array;
  readonly clientNonce: Uint8Array;
  /** 8 bytes; all zero in resume mode. */
  readonly pairId: Uint8Array;
}

export interface ServerHello {
  readonly hostEph: Uint8Array;
  readonly hostNonce: Uint8Array;
  readonly sig: Uint8Array;
}

function checkLength(op: string, name: string, bytes: Uint8Array, length: number): void {
  if (bytes.length !== length) throw new Error(`${op}: ${name} must be ${length} bytes`);
}

/** Encodes a ClientHello; throws (plain `Error`) on wrong field lengths or a non-zero resume pairId. */
export function encodeClientHello(hello: ClientHello): Uint8Array {
  checkLength('encodeClientHello', 'clientEph', hello.clientEph, 32);
  checkLength('encodeClientHello', 'clientNonce', hello.clientNonce, HANDSHAKE_NONCE_BYTES);
  checkLength('encodeClientHello', 'pairId', hello.pairId, PAIR_ID_BYTES);
  if (hello.mode === 'resume' && hello.pairId.some((b) => b !== 0)) throw new Error('encodeClientHello: pairId must be zero in resume mode');
  const out = new Uint8Array(CLIENT_HELLO_BYTES);
  out[0] = KIND_CLIENT_HELLO;
  out[1] = PROTOCOL_VERSION;
  out[2] = hello.mode === 'pair' ? MODE_PAIR : MODE_RESUME;
  out.set(hello.clientEph, 3);
  out.set(hello.clientNonce, 35);
  out.set(hello.pairId, 67);
  return out;
}

/** Parses a ClientHello payload; throws a 4400 `ProtocolError` on any deviation. */
export function parseClientHello(payload: Uint8Array): ClientHello {
  if (payload[0] !== KIND_CLIENT_HELLO) throw protocolError('unexpected_message', `parseClientHello: kind ${payload[0]} is not a ClientHello`);
  if (payload.length !== CLIENT_HELLO_BYTES) throw protocolError('bad_hello', `parseClientHello: ${payload.length} bytes, expected ${CLIENT_HELLO_BYTES}`);
  if (payload[1] !== PROTOCOL_VERSION) throw protocolError('bad_version', `parseClientHello: unsupported version ${payload[1]}`);
  const modeByte = payload[2];
  if (modeByte !== MODE_PAIR && modeByte !== MODE_RESUME) throw protocolError('bad_hello', `parseClientHello: unknown mode ${modeByte}`);
  const mode: HandshakeMode = modeByte === MODE_PAIR ? 'pair' : 'resume';
  const pairId = payload.slice(67, 75);
  if (mode === 'resume' && pairId.some((b) => b !== 0)) throw protocolError('bad_hello', 'parseClientHello: pairId must be zero in resume mode');
  return { mode, clientEph: payload.slice(3, 35), clientNonce: payload.slice(35, 67), pairId };
}

/** Encodes a ServerHello; throws (plain `Error`) on wrong field lengths. */
export function encodeServerHello(hello: ServerHello): Uint8Array {
  checkLength('encodeServerHello', 'hostEph', hello.hostEph, 32);
  checkLength('encodeServerHello', 'hostNonce', hello.hostNonce, HANDSHAKE_NONCE_BYTES);
  checkLength('encodeServerHello', 'sig', hello.sig, 64);
  const out = new Uint8Array(SERVER_HELLO_BYTES);
  out[0] = KIND_SERVER_HELLO;
  out[1] = PROTOCOL_VERSION;
  out.set(hello.hostEph, 2);
  out.set(hello.hostNonce, 34);
  out.set(hello.sig, 66);
  return out;
}

/** Parses a ServerHello payload; throws a 4400 `ProtocolError` on any deviation. */
export function parseServerHello(payload: Uint8Array): ServerHello {
  if (payload[0] !== KIND_SERVER_HELLO) throw protocolError('unexpected_message', `parseServerHello: kind ${payload[0]} is not a ServerHello`);
  if (payload.length !== SERVER_HELLO_BYTES) throw protocolError('bad_hello', `parseServerHello: ${payload.length} bytes, expected ${SERVER_HELLO_BYTES}`);
  if (payload[1] !== PROTOCOL_VERSION) throw protocolError('bad_version', `parseServerHello: unsupported version ${payload[1]}`);
  return { hostEph: payload.slice(2, 34), hostNonce: payload.slice(34, 66), sig: payload.slice(66, 130) };
}
