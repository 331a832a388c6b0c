/**
 * The relay's JSON control messages (remote-protocol.md §3): strict, bounded schemas for what
 * hosts send, and encoders for what the relay sends. Session payloads are never parsed.
 */
import { z } from 'zod';
import { MAX_CLOSE_REASON_BYTES } from './closeCodes.js';

const B64U = /^[A-Za-z0-9_-]+$/;
/** 32 lowercase hex characters: hostId, deviceId, sid. */
export const HEX32 = /^[0-9a-f]{32}$/;

/** host → relay `{"t":"register","key":b64u(32 bytes),"sig":b64u(64 bytes)}`. */
export const registerMessageSchema = z.strictObject({
  t: z.literal('register'),
  key: z.string().length(43).regex(B64U),
  sig: z.string().length(86).regex(B64U),
});

/** host → relay `{"t":"close","sid":hex,"code":4000-4999,"reason":…}` (reason optional, ≤ 123 UTF-8 bytes). */
export const closeMessageSchema = z.strictObject({
  t: z.literal('close'),
  sid: z.string().regex(HEX32),
  code: z.number().int().min(4000).max(4999),
  reason: z
    .string()
    .max(MAX_CLOSE_REASON_BYTES)
    .refine((s) => Buffer.byteLength(s, 'utf8') <= MAX_CLOSE_REASON_BYTES, 'reason longer than 123 UTF-8 bytes')
    .optional(),
});

export type RegisterMessage = z.output<typeof registerMessageSchema>;
export type CloseMessage = z.output<typeof closeMessageSchema>;

/** relay → host, before registration. */
export function challengeMessage(nonceB64u: string): string {
  return JSON.stringify({ t: 'challenge', nonce: nonceB64u });
}

export function registeredMessage(hostId: string): string {
  return JSON.stringify({ t: 'registered', host: hostId });
}

/** relay → host: a controller connected as session `sid`. */
export function openMessage(sid: string, deviceId: string): string {
  return JSON.stringify({ t: 'open', sid, device: deviceId });
}

/** relay → host: the controller of `sid` went away. */
export function closedMessage(sid: string): string {
  return JSON.stringify({ t: 'closed', sid });
}

/** relay → controller: the session is open. */
export function readyMessage(sid: string): string {
  return JSON.stringify({ t: 'ready', sid });
}

/** relay → controller: the host is not registered (followed by close 4404). */
export const OFFLINE_MESSAGE = JSON.stringify({ t: 'offline' });
