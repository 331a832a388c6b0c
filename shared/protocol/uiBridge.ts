/**
 * The browser bridge's handshake (`codex-host serve --ui`, docs/renderer.md "The bridge"): the
 * page opens a WebSocket to the bridge and its first message is this hello, carrying the token
 * from the URL fragment (never a query string, so it is in no request line or log). After it,
 * the socket speaks the hub's protocol like any other client. Shared by host/ui-bridge and the
 * renderer so both sides agree on the shape and the close codes.
 */
import { z } from 'zod';


/** Largest hello accepted, in characters (checked before parsing). */
export const UI_BRIDGE_HELLO_MAX_CHARS = 1024;

export const UiBridgeHelloSchema = z
  .object({
    type: z.literal('hello'),
    /** The token printed in the URL fragment (`#token=…`). */
    token: z.string().min(1).max(256),
    /** The environment this connection works in (only `local` for now). */
    environment: z.string().min(1).max(128).default('local'),
  })
  .strict();
export type UiBridgeHello = z.input<typeof UiBridgeHelloSchema>;

export { UiBridgeCloseCode } from './uiBridgeCloseCode.js';
