/**
 * One `/v1/connect` connection = one controller session (remote-protocol.md §3). Binary frames
 * are forwarded to the host untouched; text frames are not part of the protocol (close 4400).
 * A controller that sends no payload within `sessionHandshakeTimeoutMs` is closed with 4408,
 * so sockets that never start the end-to-end handshake cannot hold a host's session slots.
 */
import type { WebSocket } from 'ws';
import { CLOSE } from './closeCodes.js';
import { OFFLINE_MESSAGE, readyMessage } from './messages.js';
import { RelayPeer, type PeerContext } from './relayPeer.js';
import type { ControllerEndpoint, SessionHandle, SessionRouter } from './router.js';
import { shortId } from './shortId.js';

/**
 * Frames a controller may send before `ready` (it may pipeline its ClientHello). The socket is
 * paused while the session opens, so this only catches what was already read.
 */
const MAX_EARLY_FRAMES = 8;

export class ControllerConnection extends RelayPeer implements ControllerEndpoint {
  protected readonly kind = 'controller';
  #session: SessionHandle | undefined;
  /** Frames received while the session is opening; undefined once open. */
  #early: Buffer[] | undefined = [];
  #tag = '-';

  constructor(ws: WebSocket, ctx: PeerContext) {
    super(ws, ctx);
    this.deadlineAt = ctx.clock.now() + ctx.limits.sessionHandshakeTimeoutMs;
  }

  /** Opens the session to `hostId` for `deviceId` (both already validated). */
  async start(router: SessionRouter, hostId: string, deviceId: string): Promise<void> {
    this.ws.pause();
    let result;
    try {
      result = await router.openSession(hostId, deviceId, this);
    } catch (err) {
      this.ctx.logger.error('session open failed in router', { error: err instanceof Error ? err.message : String(err) });
      this.closeWith(CLOSE.INTERNAL, 'relay error');
      return;
    }
    if (!result.ok) {
      if (result.reason === 'offline') {
        this.ws.send(OFFLINE_MESSAGE);
        this.closeWith(CLOSE.OFFLINE, 'host offline');
      } else {
        this.ctx.counters.rateLimited += 1;
        this.closeWith(CLOSE.RATE_LIMITED, 'too many sessions');
      }
      return;
    }
    const session = result.session;
    if (this.isClosing) {
      session.end();
      return;
    }
    this.#session = session;
    this.#tag = shortId(session.sid);
    this.ctx.logger.debug('session opened', { host: shortId(hostId), device: shortId(deviceId), sid: this.#tag });
    this.ws.send(readyMessage(session.sid));
    const early = this.#early ?? [];
    this.#early = undefined;
    for (const frame of early) session.toHost(frame);
    this.ws.resume();
  }

  override onDeadline(): void {
    this.ctx.logger.info('session handshake timed out', { sid: this.#tag });
    this.closeWith(CLOSE.TIMEOUT, 'handshake timeout');
  }

  // ControllerEndpoint: the router writes through these.

  data(payload: Uint8Array): void {
    this.sendBounded(payload, true);
  }

  close(code: number, reason: string): void {
    this.ctx.logger.debug('session closed by host side', { sid: this.#tag, code });
    this.closeWith(code, reason);
  }

  protected override onMessage(data: Buffer, isBinary: boolean): void {
    if (this.isClosing) return;
    if (!isBinary) {
      this.closeWith(CLOSE.BAD_REQUEST, 'text frames are not part of the protocol');
      return;
    }
    this.deadlineAt = Infinity;
    if (this.#session) {
      this.#session.toHost(data);
    } else if (this.#early && this.#early.length < MAX_EARLY_FRAMES) {
      this.#early.push(data);
    } else {
      this.closeWith(CLOSE.BAD_REQUEST, 'too many frames before ready');
    }
  }

  protected override beforeClose(): void {
    this.#early = undefined;
    this.#session?.end();
  }

  protected override onClosed(code: number): void {
    this.#session?.end();
    this.ctx.logger.debug('controller socket closed', { sid: this.#tag, code });
  }
}
