/**
 * One `/v1/connect` connection = one relay session (remote-protocol.md §3). Binary frames
 * are forwarded to the host untouched; text frames are not part of the protocol (close 4400).
 *
 * Bounds that protect the host's one shared connection from a controller (docs/relay.md):
 * - the session is *pending* until its handshake is done, which the relay sees without parsing
 *   anything as two payloads each way (ClientHello + ClientAuth, ServerHello + the host's first
 *   record, remote-protocol.md §4). A pending session must finish within the handshake deadline
 *   (else 4408), and the router drops the oldest pending session of a host to make room for a
 *   new one, so neither a socket whose host never answers nor a stranger who only knows the
 *   hostId can hold a session slot;
 * - at most `maxBytesBeforeHostReply` go to the host before it answers on this session (else
 *   1008), so a controller that needs no handshake cannot fill the host's queue;
 * - when the host's queue is full, this socket is not read until it drains (backpressure), and
 *   a stall longer than `idleTimeoutMs` closes this controller with 1008, never the host.
 */
import type { WebSocket } from 'ws';
import { CLOSE } from '../../shared/protocol/closeCodes.js';
import { encodeRelayToController } from '../../shared/relay/messages.js';
import { RelayPeer, type PeerContext } from './relayPeer.js';
import type { ControllerEndpoint, SessionHandle, SessionRouter } from '../router/router.js';
import { shortId } from './shortId.js';
import { errorMessage } from '../../shared/util/errors.js';

/**
 * Frames a controller may send before `ready` (it may pipeline its ClientHello). The socket is
 * paused while the session opens, so this only catches what was already read.
 */
const MAX_EARLY_FRAMES = 8;
/** Payloads each way that make up the end-to-end handshake (remote-protocol.md §4). */
const HANDSHAKE_PAYLOADS_EACH_WAY = 2;

export class ControllerConnection extends RelayPeer implements ControllerEndpoint {
  #session: SessionHandle | undefined;
  /** Frames received while the session is opening; undefined once open. */
  #early: Buffer[] | undefined = [];
  #tag = '-';
  /** Payload bytes sent to the host before the host answered on this session. */
  #unansweredBytes = 0;
  /** Payloads each way, counted up to `HANDSHAKE_PAYLOADS_EACH_WAY`. */
  #controllerPayloads = 0;
  #hostPayloads = 0;
  #established = false;
  /** Reading is paused until the host's queue drains. */
  #waitingForHost = false;

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
      this.ctx.logger.error('session open failed in router', { error: errorMessage(err) });
      this.closeWith(CLOSE.INTERNAL, 'relay error');
      return;
    }
    if (!result.ok) {
      if (result.reason === 'offline') {
        this.ws.send(encodeRelayToController({ t: 'offline' }));
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
    if (this.#established) session.established();
    this.ctx.logger.debug('session opened', { host: shortId(hostId), device: shortId(deviceId), sid: this.#tag });
    this.ws.send(encodeRelayToController({ t: 'ready', sid: session.sid }));
    const early = this.#early ?? [];
    this.#early = undefined;
    for (const frame of early) this.#forward(session, frame);
    if (!this.#waitingForHost && !this.isClosing) this.ws.resume();
  }

  override onDeadline(): void {
    this.ctx.logger.info('session handshake timed out', { sid: this.#tag, controllerPayloads: this.#controllerPayloads, hostPayloads: this.#hostPayloads });
    this.closeWith(CLOSE.TIMEOUT, 'handshake timeout');
  }

  override onStalled(): void {
    this.ctx.logger.info('controller closed: host is not keeping up', { sid: this.#tag });
    this.closeWith(CLOSE.POLICY, 'host is not keeping up');
  }

  // ControllerEndpoint: the router writes through these.

  data(payload: Uint8Array): void {
    if (this.#hostPayloads < HANDSHAKE_PAYLOADS_EACH_WAY) {
      this.#hostPayloads += 1;
      this.#checkEstablished();
    }
    this.#sendBounded(payload);
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
    if (this.#controllerPayloads < HANDSHAKE_PAYLOADS_EACH_WAY) {
      this.#controllerPayloads += 1;
      this.#checkEstablished();
    }
    if (this.#hostPayloads === 0) {
      // Counted on arrival, so early frames held while the session opens are bounded too.
      this.#unansweredBytes += data.length;
      if (this.#unansweredBytes > this.ctx.limits.maxBytesBeforeHostReply) {
        this.ctx.logger.info('controller closed: too much data before the host answered', { sid: this.#tag });
        this.closeWith(CLOSE.POLICY, 'too much data before the host answered');
        return;
      }
    }
    if (this.#session) {
      this.#forward(this.#session, data);
    } else if (this.#early && this.#early.length < MAX_EARLY_FRAMES) {
      this.#early.push(data);
    } else {
      this.closeWith(CLOSE.BAD_REQUEST, 'too many frames before ready');
    }
  }

  /** Two payloads each way: the handshake is done, the deadline and the pending state end. */
  #checkEstablished(): void {
    if (this.#established || this.#controllerPayloads < HANDSHAKE_PAYLOADS_EACH_WAY || this.#hostPayloads < HANDSHAKE_PAYLOADS_EACH_WAY) return;
    this.#established = true;
    this.deadlineAt = Infinity;
    this.#session?.established();
  }

  /** Forwards one payload to the host; when the host is full, stops reading until it drains. */
  #forward(session: SessionHandle, payload: Buffer): void {
    if (!session.toHost(payload)) this.#waitForHost(session);
  }

  #waitForHost(session: SessionHandle): void {
    if (this.#waitingForHost) return;
    this.#waitingForHost = true;
    this.ctx.counters.hostBackpressurePauses += 1;
    this.stalledSince = this.ctx.clock.now();
    this.ws.pause();
    session.onHostWritable(this.#hostWritable);
  }

  readonly #hostWritable = (): void => {
    if (!this.#waitingForHost) return;
    this.#waitingForHost = false;
    this.stalledSince = Infinity;
    if (this.isClosing) return;
    // Its pongs were not read while paused: count the resume as life.
    this.lastSeenAt = this.ctx.clock.now();
    this.ws.resume();
  };

  /**
   * Queues `payload` unless the socket is closing. A controller whose queue already exceeds
   * `maxBufferedBytes` is a slow consumer and is closed with 1008 (never buffer without bound).
   */
  #sendBounded(payload: Uint8Array): void {
    if (this.isClosing || this.ws.readyState !== this.ws.OPEN) return;
    if (this.ws.bufferedAmount > this.ctx.limits.maxBufferedBytes) {
      this.ctx.counters.slowConsumers += 1;
      this.ctx.logger.warn('slow consumer closed', { kind: 'controller', buffered: this.ws.bufferedAmount });
      this.closeWith(CLOSE.POLICY, 'slow consumer');
      return;
    }
    this.ws.send(payload, { binary: true });
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
