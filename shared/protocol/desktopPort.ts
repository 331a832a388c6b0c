/**
 * How the desktop window reaches the hub in the Electron app (docs/desktop.md, "How the port
 * reaches the renderer"): the page asks for a port, main answers with one end of a fresh
 * MessageChannel whose other end it attached to the hub as a `desktop` client, and from then on
 * the port carries the hub's protocol like any other transport. Shared by electron/main and
 * renderer/desktop so both sides agree on names and frames; the preload, which may import
 * nothing, repeats the names (its test checks they match).
 *
 * 1. page → preload: `window.postMessage({type: PAGE_PORT_REQUEST, nonce}, origin)`
 * 2. preload → main: `ipcRenderer.send(IPC_PORT_REQUEST, nonce)` (main checks the sender)
 * 3. main → preload: `webContents.postMessage(IPC_PORT_CHANNEL, {nonce}, [port])`
 * 4. preload → page: `window.postMessage({type: PAGE_PORT, nonce}, origin, [port])`
 *
 * On the port: a string is one JSON-RPC message; `{type: 'close', code, reason}` says the
 * sender closes (a MessagePort has no close code of its own), then the port is closed.
 */
import { z } from 'zod';

/** IPC channel: the preload asks main for a fresh hub port. */
export const IPC_PORT_REQUEST = 'hub-port-request';
/** IPC channel: main hands the preload a hub port. */
export const IPC_PORT_CHANNEL = 'hub-port';
/** window message type: the page asks the preload for a hub port. */
export const PAGE_PORT_REQUEST = 'codex-host:hub-port-request';
/** window message type: the preload hands the page a hub port. */
export const PAGE_PORT = 'codex-host:hub-port';

/** A request nonce: what the page sends and gets back with its port (so two requests never swap ports). */
export const PortNonceSchema = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be 8-64 URL-safe characters');

/** The close frame either side sends before closing the port. */
export const PortCloseFrameSchema = z
  .object({
    type: z.literal('close'),
    code: z.number().int().min(1000).max(4999),
    reason: z.string().max(123),
  })
  .strict();
export type PortCloseFrame = z.infer<typeof PortCloseFrameSchema>;

/** The close code a port closed without a close frame reports (the peer went away). */
export const PORT_GONE_CODE = 1001;
