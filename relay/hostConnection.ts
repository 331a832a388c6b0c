/**
 * One `/v1/host` connection (remote-protocol.md §3): challenge → signed `register` →
 * `registered`, then the host's multiplexed sessions. Binary frames are `sid(16) || payload`;
 * the payload is forwarded untouched and never parsed. Text frames are control messages.
 */
import type { WebSocket } from 'ws';
import { verifyRegister, idFromPublicKey } from '../shared/crypto/identity.js';
import { fromB64u, toB64u } from '../shared/util/encoding.js';
import { parseJson, parseUnknown } from '../shared/util/schema.js';
import { CLOSE } from './closeCodes.js';
import {
  challengeMessage,
  closedMessage,
  closeMessageSchema,
  openMessage,
  registeredMessage,
  registerMessageSchema,
} from './messages.js';
import { RelayPeer, type PeerContext } from './relayPeer.js';
import type { HostEndpoint, HostRegistration, SessionRouter } from './router.js';
import { shortId } from './shortId.js';

const SID_BYTES = 16;
const NONCE_BYTES = 32;

type HostState = 'challenged' | 'registering' | 'registered';

export class HostConnection extends RelayPeer implements HostEndpoint {
  protected readonly kind = 'host';
  #state: HostState = 'challenged';
  #nonce: Uint8Array | undefined;
  #registration: HostRegistration | undefined;
  /** Short hash of the hostId for logs, once known. */
  #tag = '-';

  constructor(
    ws: WebSocket,
    ctx: PeerContext,
    private readonly router: SessionRouter,
    randomBytes: (n: number) => Uint8Array,
  ) {
    super(ws, ctx);
    this.deadlineAt = ctx.clock.now() + ctx.limits.registrationTimeoutMs;
    this.#nonce = randomBytes(NONCE_BYTES);
    ws.send(challengeMessage(toB64u(this.#nonce)));
  }

  override onDeadline(): void {
    this.ctx.logger.info('host registration timed out');
    this.closeWith(CLOSE.TIMEOUT, 'registration timeout');
  }

  // HostEndpoint: the router writes through these.

  open(sid: string, deviceId: string): void {
    this.sendBounded(openMessage(sid, deviceId), false);
  }

  data(sid: Uint8Array, payload: Uint8Array): void {
    const frame = Buffer.allocUnsafe(SID_BYTES + payload.length);
    frame.set(sid, 0);
    frame.set(payload, SID_BYTES);
    this.sendBounded(frame, true);
  }

  closed(sid: string): void {
    this.sendBounded(closedMessage(sid), false);
  }

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
      const msg = parseUnknown(registerMessageSchema, parseJson(data.toString('utf8'), 'relay.register'), 'relay.register');
      key = fromB64u(msg.key);
      sig = fromB64u(msg.sig);
    } catch (err) {
      this.ctx.logger.debug('malformed register', { error: err instanceof Error ? err.message : String(err) });
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
        this.ctx.logger.error('host registration failed in router', { error: err instanceof Error ? err.message : String(err) });
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
    this.ws.send(registeredMessage(registration.hostId));
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
      msg = parseUnknown(closeMessageSchema, parseJson(data.toString('utf8'), 'relay.hostControl'), 'relay.hostControl');
    } catch (err) {
      this.ctx.logger.debug('malformed host control message', { error: err instanceof Error ? err.message : String(err) });
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
    this.#registration?.unregister(CLOSE.OFFLINE, 'host disconnected');
  }

  protected override onClosed(code: number): void {
    this.#registration?.unregister(CLOSE.OFFLINE, 'host disconnected');
    this.ctx.logger.debug('host socket closed', { host: this.#tag, code });
  }
}
