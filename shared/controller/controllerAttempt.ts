/**
 * One controller connection attempt (remote-protocol.md §3-§4): open `/v1/connect`, wait for the
 * relay's `ready`, run the handshake with `ControllerHandshake`, and on `welcome` hand over a
 * `RecordTransport` that owns the socket from then on. Everything before `welcome` must finish
 * within the handshake deadline (10 s by default). Failures reject with a `RemoteSessionError`;
 * nothing the relay or host sends can throw out of here.
 */
import type { AeadFactory } from '../crypto/aead.js';
import { ControllerHandshake } from '../crypto/controllerHandshake.js';
import type { HandshakeMode } from '../crypto/handshakeMessages.js';
import type { DeviceDescription, Welcome } from '../crypto/handshakeRecords.js';
import { idFromPublicKey, type Signer } from '../crypto/identity.js';
import type { RecordChannel } from '../crypto/record.js';
import { CLOSE, fromRelaySessionCloseCode, toControllerSocketCloseCode, truncateCloseReason } from '../protocol/closeCodes.js';
import { parseRelayToController, type RelayToController } from '../relay/messages.js';
import type { CloseInfo } from '../rpc/transport.js';
import { RecordTransport } from '../session/recordTransport.js';
import { fromHex } from '../util/encoding.js';
import { errorMessage } from '../util/errors.js';
import { errorFromClose, errorFromFailure, RemoteSessionError } from './remoteSessionError.js';
import { binaryFrameBytes, sendableBytes, type WebSocketFactory, type WebSocketLike } from './webSocketLike.js';

/** Timers, injectable for tests. */
export interface ControllerTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface ControllerAttemptOptions {
  /** Relay WebSocket base URL (no trailing slash). */
  readonly relay: string;
  readonly hostKey: Uint8Array;
  readonly mode: HandshakeMode;
  /** Pair mode: the link's secret. */
  readonly pairingSecret?: Uint8Array;
  readonly signer: Signer;
  readonly description: DeviceDescription;
  readonly aead: AeadFactory;
  readonly webSocket: WebSocketFactory;
  readonly handshakeTimeoutMs: number;
  readonly timers: ControllerTimers;
  /** The relay said `ready`: the end-to-end handshake starts. */
  readonly onHandshaking: () => void;
  /**
   * The host welcomed us. Called synchronously before any later record is opened, so the caller
   * can subscribe to `transport` without missing a message.
   */
  readonly onOpen: (transport: RecordTransport, welcome: Welcome) => void;
}

export interface ControllerAttempt {
  /** Resolves after `onOpen`; rejects with a `RemoteSessionError`. */
  readonly result: Promise<void>;
  /** Abandons the attempt if it has not opened yet (rejects `result` with kind `closed`). */
  cancel(): void;
}

type Phase = 'connecting' | 'serverHello' | 'hostRecord' | 'open' | 'done';

/** Starts an attempt; see `ControllerAttempt`. */
export function startControllerAttempt(o: ControllerAttemptOptions): ControllerAttempt {
  const attempt = new Attempt(o);
  attempt.connect();
  return { result: attempt.result, cancel: () => attempt.cancel() };
}

/**
 * One attempt, as named steps: `connect` opens the socket; `#onRelayMessage` waits for `ready`
 * and sends the ClientHello (`#startHandshake`); binary frames then go, in arrival order, to
 * `#onServerHello`, `#onHostRecord` (welcome → `#open`, denied → fail) and, once open, the
 * session transport; `#onSocketClosed` and the deadline end it with a `RemoteSessionError`.
 */
class Attempt {
  readonly result: Promise<void>;
  readonly #o: ControllerAttemptOptions;
  readonly #op: 'pair' | 'resume';
  readonly #timer: unknown;
  #phase: Phase = 'connecting';
  #handshake: ControllerHandshake | undefined;
  #transport: RecordTransport | undefined;
  #socket: WebSocketLike | undefined;
  /** Every binary frame and the close are handled in arrival order, one at a time. */
  #chain: Promise<void> = Promise.resolve();
  #resolve!: () => void;
  #reject!: (err: RemoteSessionError) => void;

  constructor(o: ControllerAttemptOptions) {
    this.#o = o;
    this.#op = o.mode === 'pair' ? 'pair' : 'resume';
    this.result = new Promise<void>((res, rej) => {
      this.#resolve = res;
      this.#reject = rej;
    });
    this.#timer = o.timers.setTimeout(
      () => this.#fail(new RemoteSessionError('timeout', 'handshake timeout', `${this.#op}: the handshake did not finish within ${o.handshakeTimeoutMs} ms`)),
      o.handshakeTimeoutMs,
    );
  }

  /** Opens `/v1/connect` and wires the socket's events to the steps below. */
  connect(): void {
    const o = this.#o;
    let s: WebSocketLike;
    try {
      s = o.webSocket(`${o.relay}/v1/connect?host=${idFromPublicKey(o.hostKey)}&device=${idFromPublicKey(o.signer.publicKey)}`);
      s.binaryType = 'arraybuffer';
    } catch (err) {
      this.#fail(new RemoteSessionError('network', 'connect failed', `${this.#op}: cannot open a WebSocket to ${o.relay} (${errorMessage(err)})`));
      return;
    }
    this.#socket = s;
    s.onopen = null;
    s.onerror = () => {
      // A close event always follows; it carries the outcome.
    };
    s.onmessage = (event) => {
      if (typeof event.data === 'string') this.#onRelayMessage(event.data);
      else this.#onFrame(binaryFrameBytes(event.data));
    };
    s.onclose = (event) => this.#onSocketClosed({ code: fromRelaySessionCloseCode(event.code), reason: event.reason });
  }

  /** Abandons the attempt if it has not opened yet (rejects `result` with kind `closed`). */
  cancel(): void {
    this.#fail(new RemoteSessionError('closed', 'closed', `${this.#op}: closed by the user`));
  }

  /** A relay control message: only `ready` (start the handshake) or `offline` are expected. */
  #onRelayMessage(text: string): void {
    if (this.#phase !== 'connecting') return; // the relay sends nothing after `ready`; ignore rather than guess
    let msg: RelayToController;
    try {
      msg = parseRelayToController(text, `${this.#op}.relay`);
    } catch (err) {
      this.#fail(new RemoteSessionError('protocol', 'bad relay message', `${this.#op}: the relay sent an invalid message (${errorMessage(err)})`));
      return;
    }
    if (msg.t === 'offline') {
      this.#fail(new RemoteSessionError('offline', 'host offline', `${this.#op}: the host is offline`, CLOSE.OFFLINE));
      return;
    }
    this.#startHandshake(msg.sid);
  }

  /** `ready` arrived: build the handshake for this sid and send the ClientHello. */
  #startHandshake(sid: string): void {
    const o = this.#o;
    try {
      this.#handshake = new ControllerHandshake({
        mode: o.mode,
        sid: fromHex(sid),
        hostKey: o.hostKey,
        ...(o.pairingSecret ? { pairingSecret: o.pairingSecret } : {}),
        device: o.signer,
        description: o.description,
        aead: o.aead,
      });
      this.#phase = 'serverHello';
      o.onHandshaking();
      this.#socket?.send(sendableBytes(this.#handshake.clientHello));
    } catch (err) {
      this.#fail(errorFromFailure(err, this.#op));
    }
  }

  /** Queues one binary frame behind the ones before it; a failure ends the attempt or the session. */
  #onFrame(bytes: Uint8Array | undefined): void {
    this.#chain = this.#chain
      .then(() =>
        bytes ? this.#onBinary(bytes) : Promise.reject(new RemoteSessionError('protocol', 'bad frame', `${this.#op}: a frame that is neither text nor binary`)),
      )
      .catch((err: unknown) => {
        if (this.#phase === 'open') this.#transport?.close(CLOSE.BAD_REQUEST, 'internal error');
        else this.#fail(errorFromFailure(err, this.#op));
      });
  }

  async #onBinary(bytes: Uint8Array): Promise<void> {
    switch (this.#phase) {
      case 'connecting':
        throw new RemoteSessionError('protocol', 'data before ready', `${this.#op}: session data before the relay said ready`);
      case 'serverHello':
        return this.#onServerHello(bytes);
      case 'hostRecord':
        return this.#onHostRecord(bytes);
      case 'open':
        return this.#transport!.receive(bytes);
      case 'done':
        return;
    }
  }

  /** ServerHello: verify the host (pinned key), answer with ClientAuth. */
  async #onServerHello(bytes: Uint8Array): Promise<void> {
    const auth = await this.#handshake!.onServerHello(bytes);
    if (this.#phase !== 'serverHello') return;
    this.#phase = 'hostRecord';
    this.#socket?.send(sendableBytes(auth));
  }

  /** The host's first record: `welcome` opens the session, `denied` ends the attempt. */
  async #onHostRecord(bytes: Uint8Array): Promise<void> {
    const answer = await this.#handshake!.onHostRecord(bytes);
    if (this.#phase !== 'hostRecord') return;
    if (answer.outcome === 'denied') {
      this.#fail(new RemoteSessionError('denied', answer.reason, `${this.#op}: the host denied this device (${answer.reason})`, CLOSE.FORBIDDEN));
      return;
    }
    this.#open(answer.channel, answer.welcome);
  }

  /** Hands the socket over to a `RecordTransport` and resolves. */
  #open(channel: RecordChannel, welcome: Welcome): void {
    const s = this.#socket!;
    this.#transport = new RecordTransport({
      channel,
      writeRecord: (record) => s.send(sendableBytes(record)),
      endSession: (code, reason) => this.#closeSocket(code, reason),
      mediumBufferedAmount: () => s.bufferedAmount,
    });
    this.#phase = 'open';
    this.#o.timers.clearTimeout(this.#timer);
    this.#o.onOpen(this.#transport, welcome);
    this.#resolve();
  }

  /** Lets frames that arrived before the close finish first (a `denied` record precedes its 4403). */
  #onSocketClosed(info: CloseInfo): void {
    this.#chain = this.#chain.then(() => {
      if (this.#phase === 'open') this.#transport?.markPeerClosed(info);
      else this.#fail(errorFromClose(info, this.#op));
    });
  }

  #fail(err: RemoteSessionError): void {
    if (this.#phase === 'done' || this.#phase === 'open') return;
    this.#phase = 'done';
    this.#o.timers.clearTimeout(this.#timer);
    this.#closeSocket(err.kind === 'protocol' || err.kind === 'host_key' ? CLOSE.BAD_REQUEST : CLOSE.NORMAL, err.reason);
    this.#reject(err);
  }

  #closeSocket(code: number, reason: string): void {
    try {
      this.#socket?.close(toControllerSocketCloseCode(code), truncateCloseReason(reason));
    } catch {
      // Already closing, or a socket that refuses the code: nothing more to do.
    }
  }
}
