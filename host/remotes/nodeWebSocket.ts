/** The controller library's WebSocket in Node: the `ws` client, bounded to the relay's frame size. */
import WebSocket from 'ws';
import type { WebSocketFactory, WebSocketLike } from '../../shared/controller/webSocketLike.js';

/** Relay frames are at most 1 MiB (remote-protocol.md §3); records carry at most 256 KiB of plaintext. */
const MAX_RELAY_FRAME_BYTES = 1024 * 1024 + 64;

export const nodeWebSocket: WebSocketFactory = (url) => new WebSocket(url, { maxPayload: MAX_RELAY_FRAME_BYTES, handshakeTimeout: 10_000 }) as unknown as WebSocketLike;
