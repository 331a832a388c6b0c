/**
 * One `/v1/host` connection (remote-protocol.md §3): challenge → signed `register` →
 * `registered`, then the host's multiplexed sessions. Binary frames are `sid(16) || payload`;
 * the payload is forwarded untouched and never parsed. Text frames are control messages.
 *
 * Everything written to a host is caused by its controllers, so a host is never closed for a
 * full send queue (one controller could otherwise disconnect it and all its sessions). Above
 * `maxBufferedBytes`, `data` returns false and controllers stop being read until it drains.
 */
import type { WebSocket } from 'ws';
import { verifyRegister, idFromPublicKey } from '../../shared/crypto/identity.js';
import { SID_BYTES } from '../../shared/protocol/ids.js';
import { CLOSE } from '../../shared/protocol/closeCodes.js';
import { encodeRelayToHost, parseHostToRelay } from '../../shared/relay/messages.js';
import { RelayPeer, type PeerContext } from './relayPeer.js';
import type { HostEndpoint, HostRegistration, SessionRouter } from '../router/router.js';
import { shortId } from './shortId.js';
import { errorMessage } from '../../shared/util/errors.js';

const NONCE_BYTES = 32;

type HostState = 'challenged' | 'registering' | 'registered';

export class HostConnection extends RelayPeer implements HostEndpoint {
  #state: HostState = 'challenged';
  #nonce: Uint8Array | undefined;
  #registration: HostRegistration | undefined;
  /** Short hash of the hostId for logs, once known. */
  #tag = '-';
  /** The send queue passed `maxBufferedBytes`; cleared by `#flushed` once it is back under. */
  #full = false;
  /** Callbacks of controllers waiting for `#full` to clear. */
  readonly #writableWaiters = new Set<() => void>();

  constructor(
    ws: WebSocket,
    ctx: PeerContext,
    private readonly router: SessionRouter,
    randomBytes: (n: number) => Uint8Array,
  ) {
    super(ws, ctx);
    this.deadlineAt = ctx.clock.now() + ctx.limits.registrationTimeoutMs;
    this.#nonce = randomBytes(NONCE_BYTES);
    ws.send(encodeRelayToHost({ t: 'challenge', nonce: this.#nonce }));
  }

  override onDeadline(): void {
    this.ctx.logger.info('host registration timed out');
    this.closeWith(CLOSE.TIMEOUT, 'registration timeout');
  }

  // HostEndpoint: the router writes through these.

  open(sid: string, deviceId: string): void {
    this.#send(encodeRelayToHost({ t: 'open', sid, device: deviceId }), false);
  }

  data(sid: Uint8Array, payload: Uint8Array): boolean {
    const frame = Buffer.allocUnsafe(SID_BYTES + payload.length);
    frame.set(sid, 0);
    frame.set(payload, SID_BYTES);
    return this.#send(frame, true);
  }

  closed(sid: string): void {
    this.#send(encodeRelayToHost({ t: 'closed', sid }), false);
  }

  onWritable(callback: () => void): void {
    if (this.#full && !this.isClosing) this.#writableWaiters.add(callback);
    else queueMicrotask(callback);
  }

  /**
   * Queues `data` (unless closing) and returns false while the queue is above
   * `maxBufferedBytes`. Every send that ends above the bound carries the `#flushed` callback,
   * so the last of them, once written out, finds the queue under the bound again.
   */
  #send(data: Buffer | string, binary: boolean): boolean {
    if (this.isClosing || this.ws.readyState !== this.ws.OPEN) return true;
    const size = typeof data === 'string' ? Buffer.byteLength(data) : data.length;
    if (this.ws.bufferedAmount + size > this.ctx.limits.maxBufferedBytes) {
      if (!this.#full) this.ctx.logger.debug('host send queue full', { host: this.#tag, buffered: this.ws.bufferedAmount });
      this.#full = true;
      this.ws.send(data, { binary }, this.#flushed);
    } else {
      this.ws.send(data, { binary });
    }
    return !this.#full;
  }

  readonly #flushed = (): void => {
    if (!this.#full || this.ws.bufferedAmount > this.ctx.limits.maxBufferedBytes) return;
    this.#full = false;
    const waiters = [...this.#writableWaiters];
    this.#writableWaiters.clear();
    for (const resume of waiters) resume();
  };

  close(code: number, reason: string): void {
    this.ctx.logger.info('host connection closed by relay', { host: this.#tag, code });
    this.closeWith(code, reason);
  }

  protected override onMessage(data: Buffer, isBinary: boolean): void {
    if (this.isClosing) return;
    switch (this.#state) {
      case 'challenged':
        this.#onRegister(data, isBinary);
        return;
      case 'registering':
        // The host must wait for `registered` (it has no sid to send to yet).
        this.#fail(CLOSE.BAD_REQUEST, 'message before registered');
        return;
      case 'registered':
        if (isBinary) this.#onData(data);
        else this.#onControl(data);
        return;
    }
  }

  #onRegister(data: Buffer, isBinary: boolean): void {
    if (isBinary || data.length > this.ctx.limits.maxControlMessageBytes) {
      this.#fail(CLOSE.UNAUTHORIZED, 'expected register');
      return;
    }
    if (!this.ctx.takeHandshakeToken()) {
      this.ctx.counters.rateLimited += 1;
      this.#fail(CLOSE.RATE_LIMITED, 'rate limited');
      return;
    }
    let key: Uint8Array;
    let sig: Uint8Array;
    try {
      const msg = parseHostToRelay(data.toString('utf8'), 'relay.register');
      if (msg.t !== 'register') throw new Error(`expected register, got ${msg.t}`);
      ({ key, sig } = msg);
    } catch (err) {
      this.ctx.logger.debug('malformed register', { error: errorMessage(err) });
      this.#fail(CLOSE.UNAUTHORIZED, 'malformed register');
      return;
    }
    const nonce = this.#nonce;
    this.#nonce = undefined;
    if (!nonce || !verifyRegister(key, nonce, sig)) {
      this.#fail(CLOSE.UNAUTHORIZED, 'bad signature');
      return;
    }
    const hostId = idFromPublicKey(key);
    this.#tag = shortId(hostId);
    this.#state = 'registering';
    this.ws.pause();
    this.router.registerHost(hostId, this).then(
      (registration) => this.#onRegistered(registration),
      (err: unknown) => {
        this.ctx.logger.error('host registration failed in router', { error: errorMessage(err) });
        this.closeWith(CLOSE.INTERNAL, 'relay error');
      },
    );
  }

  #onRegistered(registration: HostRegistration): void {
    if (this.isClosing) {
      registration.unregister(CLOSE.OFFLINE, 'host disconnected');
      return;
    }
    this.#registration = registration;
    this.#state = 'registered';
    this.deadlineAt = Infinity;
    this.ws.send(encodeRelayToHost({ t: 'registered', host: registration.hostId }));
    this.ws.resume();
    this.ctx.logger.info('host registered', { host: this.#tag });
  }

  #onData(frame: Buffer): void {
    if (frame.length < SID_BYTES) {
      this.#fail(CLOSE.BAD_REQUEST, 'frame shorter than a sid');
      return;
    }
    const sid = frame.toString('hex', 0, SID_BYTES);
    if (!this.#registration?.toController(sid, frame.subarray(SID_BYTES))) {
      this.ctx.counters.unknownSidFrames += 1;
    }
  }

  #onControl(data: Buffer): void {
    if (data.length > this.ctx.limits.maxControlMessageBytes) {
      this.#fail(CLOSE.BAD_REQUEST, 'control message too large');
      return;
    }
    let msg;
    try {
      msg = parseHostToRelay(data.toString('utf8'), 'relay.hostControl');
      if (msg.t !== 'close') throw new Error(`unexpected ${msg.t} after registration`);
    } catch (err) {
      this.ctx.logger.debug('malformed host control message', { error: errorMessage(err) });
      this.#fail(CLOSE.BAD_REQUEST, 'malformed control message');
      return;
    }
    const found = this.#registration?.closeSession(msg.sid, msg.code, msg.reason ?? '');
    this.ctx.logger.debug('host closed a session', { host: this.#tag, sid: shortId(msg.sid), code: msg.code, found });
  }

  #fail(code: number, reason: string): void {
    this.ctx.logger.info('host connection rejected', { host: this.#tag, code, reason });
    this.closeWith(code, reason);
  }

  protected override beforeClose(): void {
    // Waiting controllers are closed by `unregister` (4404); nothing to resume.
    this.#writableWaiters.clear();
    this.#registration?.unregister(CLOSE.OFFLINE, 'host disconnected');
  }

  protected override onClosed(code: number): void {
    this.#registration?.unregister(CLOSE.OFFLINE, 'host disconnected');
    this.ctx.logger.debug('host socket closed', { host: this.#tag, code });
  }
}
