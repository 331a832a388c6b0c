/**
 * The JSON of the first record in each direction (remote-protocol.md §4 steps 4-5):
 * ClientAuth (controller → host) and welcome/denied (host → controller). Encoders fix the key
 * order the vectors use; parsers are strict zod schemas (no unknown keys, bounded strings,
 * exact-length base64url) behind a size cap, and fail with a 4400 `ProtocolError`.
 */
import { z } from 'zod';
import { fromUtf8, toB64u, utf8 } from '../util/encoding.js';
import { parseJson, parseUnknown, SchemaParseError } from '../util/schema.js';
import { displayNameSchema } from '../protocol/displayName.js';
import { b64uBytes, hexIdSchema } from '../protocol/ids.js';
import { protocolError } from './protocolError.js';

/** Cap on the UTF-8 size of ClientAuth, welcome and denied (the spec sets none; they are ~300 B). */
export const MAX_HANDSHAKE_JSON_BYTES = 4096;

export const DEVICE_PLATFORMS = ['ios', 'android', 'macos', 'windows', 'linux', 'web'] as const;
export const DEVICE_KINDS = ['phone', 'host'] as const;
export const DENIED_REASONS = ['revoked', 'unknown_device', 'used', 'bad_signature'] as const;

export type DevicePlatform = (typeof DEVICE_PLATFORMS)[number];
export type DeviceKind = (typeof DEVICE_KINDS)[number];
export type DeniedReason = (typeof DENIED_REASONS)[number];

/** Host platform as the host reports it (Node's `process.platform`, e.g. `darwin`). */
const hostPlatformSchema = z.string().regex(/^[a-z0-9_-]{1,32}$/, 'must be 1-32 characters of [a-z0-9_-]');
const versionSchema = z.string().regex(/^[0-9A-Za-z.+_-]{1,64}$/, 'must be 1-64 characters of [0-9A-Za-z.+_-]');

const clientAuthSchema = z.strictObject({
  t: z.literal('auth'),
  deviceKey: b64uBytes(32),
  sig: b64uBytes(64),
  name: displayNameSchema,
  platform: z.enum(DEVICE_PLATFORMS),
  kind: z.enum(DEVICE_KINDS),
});

/** What a controller says about itself, before the host has checked anything. */
export interface DeviceDescription {
  readonly name: string;
  readonly platform: DevicePlatform;
  readonly kind: DeviceKind;
}

/** ClientAuth, decoded. */
export interface ClientAuth extends DeviceDescription {
  readonly deviceKey: Uint8Array;
  readonly sig: Uint8Array;
}

/** The host fields of `welcome`. */
export interface WelcomeHost {
  readonly id: string;
  readonly name: string;
  readonly platform: string;
  readonly version: string;
}

export interface Welcome {
  readonly t: 'welcome';
  readonly host: WelcomeHost;
  readonly device: { readonly id: string; readonly name: string };
}

export interface Denied {
  readonly t: 'denied';
  readonly reason: DeniedReason;
}

const welcomeSchema = z.strictObject({
  t: z.literal('welcome'),
  host: z.strictObject({ id: hexIdSchema, name: displayNameSchema, platform: hostPlatformSchema, version: versionSchema }),
  device: z.strictObject({ id: hexIdSchema, name: displayNameSchema }),
});
const deniedSchema = z.strictObject({ t: z.literal('denied'), reason: z.enum(DENIED_REASONS) });
const hostFirstSchema = z.discriminatedUnion('t', [welcomeSchema, deniedSchema]);

const deviceDescriptionSchema = z.strictObject({ name: displayNameSchema, platform: z.enum(DEVICE_PLATFORMS), kind: z.enum(DEVICE_KINDS) });

function parseBoundedJson(op: string, reason: string, bytes: Uint8Array): unknown {
  if (bytes.length > MAX_HANDSHAKE_JSON_BYTES) throw protocolError(reason, `${op}: ${bytes.length} bytes exceeds ${MAX_HANDSHAKE_JSON_BYTES}`);
  let text: string;
  try {
    text = fromUtf8(bytes);
  } catch {
    throw protocolError(reason, `${op}: invalid UTF-8`);
  }
  return parseJson(text, op);
}

/** Runs `parse`, turning a schema failure into a 4400 `ProtocolError` that keeps the issue paths. */
function asProtocolError<T>(reason: string, parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    if (e instanceof SchemaParseError) throw protocolError(reason, e.message);
    throw e;
  }
}

/** Validates what a controller will announce; throws a `SchemaParseError` naming the bad field. */
export function checkDeviceDescription(description: DeviceDescription): DeviceDescription {
  const { name, platform, kind } = description;
  return parseUnknown(deviceDescriptionSchema, { name, platform, kind }, 'ClientAuth');
}

/** ClientAuth JSON bytes, keys in the order of the vectors: t, deviceKey, sig, name, platform, kind. */
export function encodeClientAuth(auth: ClientAuth): Uint8Array {
  return utf8(
    JSON.stringify({ t: 'auth', deviceKey: toB64u(auth.deviceKey), sig: toB64u(auth.sig), name: auth.name, platform: auth.platform, kind: auth.kind }),
  );
}

/** Parses ClientAuth JSON bytes (≤ 4 KiB); throws a 4400 `ProtocolError` (`bad_auth`). */
export function parseClientAuth(bytes: Uint8Array): ClientAuth {
  return asProtocolError('bad_auth', () => {
    const { deviceKey, sig, name, platform, kind } = parseUnknown(clientAuthSchema, parseBoundedJson('parseClientAuth', 'bad_auth', bytes), 'parseClientAuth');
    return { deviceKey, sig, name, platform, kind };
  });
}

/** welcome or denied JSON bytes, keys in the order of the vectors. */
export function encodeHostFirst(message: Welcome | Denied): Uint8Array {
  if (message.t === 'denied') return utf8(JSON.stringify({ t: 'denied', reason: message.reason }));
  const { host, device } = message;
  return utf8(
    JSON.stringify({
      t: 'welcome',
      host: { id: host.id, name: host.name, platform: host.platform, version: host.version },
      device: { id: device.id, name: device.name },
    }),
  );
}

/** Checks a welcome before it is sent; throws a `SchemaParseError` naming the bad field. */
export function checkWelcome(welcome: Welcome): Welcome {
  return parseUnknown(welcomeSchema, welcome, 'welcome');
}

/** Parses the host's first record (welcome or denied, ≤ 4 KiB); throws a 4400 `ProtocolError` (`bad_welcome`). */
export function parseHostFirst(bytes: Uint8Array): Welcome | Denied {
  return asProtocolError('bad_welcome', () => parseUnknown(hostFirstSchema, parseBoundedJson('parseHostFirst', 'bad_welcome', bytes), 'parseHostFirst'));
}
