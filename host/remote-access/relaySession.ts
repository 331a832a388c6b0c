/**
 * One relay session on the host's relay registration (remote-protocol.md §4-§5): the
 * handshake (ClientHello → ServerHello, ClientAuth → admission → welcome or denied), then the
 * encrypted session as a `Transport` handed to `attach`. Payloads are processed strictly one at a
 * time in arrival order. The whole handshake has a deadline (10 s, then `close` 4408). Every
 * failure caused by received bytes ends only this session (4400, or 4403 after `denied`); nothing
 * a controller sends can throw out of this class.
 */
import type { HostRelayClientOptions } from './hostRelayClient.js';
import type { DeviceKind } from '../../shared/crypto/handshakeRecords.js';
import { HostHandshake } from '../../shared/crypto/hostHandshake.js';
import { ProtocolError } from '../../shared/crypto/protocolError.js';
import { CLOSE } from '../../shared/protocol/closeCodes.js';
import { RecordTransport } from '../../shared/session/recordTransport.js';
import type { CloseInfo } from '../../shared/rpc/transport.js';
import { errorMessage } from '../../shared/util/errors.js';

/** Who a welcomed session belongs to, as handed to `attach`. */
export interface SessionIdentity {
  readonly kind: DeviceKind;
  /** The deviceId. */
  readonly id: string;
  /** The host's name for the device. */
  readonly name: string;
}

/** What a session shares with its client: the host key, AEAD, admission policy, hub attach, logger. */
export interface HostSessionOptions extends Pick<HostRelayClientOptions, 'host' | 'aead' | 'admission' | 'hostDescription' | 'attach' | 'logger'> {
  readonly sid: Uint8Array;
  readonly sidHex: string;
  /** The device the relay announced in `open`. */
  readonly deviceId: string;
  readonly handshakeTimeoutMs: number;
  /** Sends `sid || payload` on the relay connection. */
  readonly writeFrame: (payload: Uint8Array) => void;
  /** Sends the relay `close` for this session (code mapped to 4000-4999 by the caller's encoder). */
  readonly writeClose: (code: number, reason: string) => void;
  readonly connectionBufferedAmount: () => number;
  /** The session is over; forget it. */
  readonly onEnded: () => void;
  /** A payload finished processing (inbound backpressure). */
  readonly onProcessed: () => void;
}

type Phase = 'hello' | 'auth' | 'open' | 'ended';

export class HostSession {
  readonly #o: HostSessionOptions;
  readonly #handshake: HostHandshake;
  readonly #deadline: ReturnType<typeof setTimeout>;
  /** For logs: a prefix of the (public) device id and sid. */
  readonly #tag: Record<string, string>;
  #phase: Phase = 'hello';
  #transport: RecordTransport | undefined;
  #chain: Promise<void> = Promise.resolve();
  #pending = 0;

  /** Throws a plain `Error` if the relay's sid or device id is malformed (the caller validates them). */
  constructor(options: HostSessionOptions) {
    this.#o = options;
    this.#tag = { device: options.deviceId.slice(0, 8), sid: options.sidHex.slice(0, 8) };
    this.#handshake = new HostHandshake({
      sid: options.sid,
      announcedDeviceId: options.deviceId,
      host: options.host,
      aead: options.aead,
      lookupPairingSecret: (pairId) => options.admission.lookupPairingSecret(pairId),
    });
    this.#deadline = setTimeout(() => {
      if (this.#phase === 'open' || this.#phase === 'ended') return;
      this.#o.logger.info('session handshake timed out', this.#tag);
      this.#end(CLOSE.TIMEOUT, 'handshake timeout');
    }, options.handshakeTimeoutMs);
  }

  /** Bytes received and not yet processed (0 once the session has ended). */
  get pendingInboundBytes(): number {
    return this.#phase === 'ended' ? 0 : this.#pending;
  }

  get isOpen(): boolean {
    return this.#phase === 'open';
  }

  /** Between `open` and `welcome`: nobody has proved anything yet. */
  get isHandshaking(): boolean {
    return this.#phase === 'hello' || this.#phase === 'auth';
  }

  /** One payload from the controller (the frame minus its sid). Never throws. */
  receive(payload: Uint8Array): void {
    if (this.#phase === 'ended') return;
    this.#pending += payload.length;
    this.#chain = this.#chain
      .then(() => this.#process(payload))
      .catch((err: unknown) => this.#fail(err))
      .finally(() => {
        this.#pending -= payload.length;
        this.#o.onProcessed();
      });
  }

  /** The controller went away (relay `closed`) or the relay connection was lost. */
  peerClosed(info: CloseInfo): void {
    if (this.#phase === 'ended') return;
    const transport = this.#transport;
    this.#markEnded();
    transport?.markPeerClosed(info);
  }

  /** Ends the session from the host's side (the relay closes the controller with `code`). */
  close(code: number, reason: string): void {
    if (this.#transport && this.#phase === 'open') this.#transport.close(code, reason);
    else this.#end(code, reason);
  }

  async #process(payload: Uint8Array): Promise<void> {
    switch (this.#phase) {
      case 'hello': {
        const hello = await this.#handshake.onClientHello(payload);
        if (this.#phase !== 'hello') return;
        if (hello.action === 'close') {
          this.#o.logger.info('pairing attempt with an unknown or expired code', this.#tag);
          this.#end(hello.closeCode, hello.reason);
          return;
        }
        this.#o.writeFrame(hello.serverHello);
        this.#phase = 'auth';
        return;
      }
      case 'auth':
        await this.#onClientAuth(payload);
        return;
      case 'open':
        await this.#transport?.receive(payload);
        return;
      case 'ended':
        return;
    }
  }

  async #onClientAuth(payload: Uint8Array): Promise<void> {
    const auth = await this.#handshake.onClientAuth(payload);
    if (this.#phase !== 'auth') return;
    if (!auth.verified) {
      this.#o.logger.warn('session denied: ClientAuth not verified', { ...this.#tag, detail: auth.detail });
      await this.#deny('bad_signature');
      return;
    }
    const { device } = auth;
    const verdict = await this.#o.admission.admit(device);
    if (this.#phase !== 'auth') {
      // Timed out or the controller left meanwhile: a pairing that was never welcomed must not
      // burn the code or leave a trusted entry behind.
      if (verdict.ok) await this.#rollback(verdict);
      return;
    }
    if (!verdict.ok) {
      this.#o.logger.info('session denied', { ...this.#tag, mode: device.mode, reason: verdict.reason });
      await this.#deny(verdict.reason);
      return;
    }
    const { record, channel } = await this.#handshake.welcome(this.#o.hostDescription(), verdict.name);
    if (this.#phase !== 'auth') {
      await this.#rollback(verdict);
      return;
    }
    this.#o.writeFrame(record);
    clearTimeout(this.#deadline);
    const transport = new RecordTransport({
      channel,
      writeRecord: (r) => this.#o.writeFrame(r),
      endSession: (code, reason) => this.#end(code, reason),
      mediumBufferedAmount: () => this.#o.connectionBufferedAmount(),
      onFailure: (err) => this.#logFailure(err),
    });
    this.#transport = transport;
    this.#phase = 'open';
    this.#o.logger.info('session opened', { ...this.#tag, mode: device.mode, kind: device.kind });
    try {
      this.#o.attach(transport, { kind: device.kind, id: device.deviceId, name: verdict.name });
    } catch (err) {
      this.#o.logger.error('attaching a relay session failed', { ...this.#tag, error: errorMessage(err) });
      transport.close(CLOSE.INTERNAL, 'host error');
    }
  }

  async #rollback(verdict: { rollback?: () => Promise<void> }): Promise<void> {
    try {
      await verdict.rollback?.();
    } catch (err) {
      this.#o.logger.error('undoing an unfinished pairing failed', { ...this.#tag, error: errorMessage(err) });
    }
  }

  async #deny(reason: Parameters<HostHandshake['deny']>[0]): Promise<void> {
    const record = await this.#handshake.deny(reason);
    if (this.#phase === 'ended') return;
    this.#o.writeFrame(record);
    this.#end(CLOSE.FORBIDDEN, reason);
  }

  #fail(err: unknown): void {
    if (this.#phase === 'ended') return;
    this.#logFailure(err);
    const [code, reason] = err instanceof ProtocolError ? [err.closeCode, err.reason] : [CLOSE.INTERNAL, 'host error'];
    this.close(code, reason);
  }

  #logFailure(err: unknown): void {
    if (err instanceof ProtocolError) this.#o.logger.info('session protocol error', { ...this.#tag, code: err.closeCode, reason: err.reason });
    else this.#o.logger.error('session failed', { ...this.#tag, error: errorMessage(err) });
  }

  /** Has the relay close the controller (handshake phase, or the transport's `endSession`). */
  #end(code: number, reason: string): void {
    if (this.#phase === 'ended') return;
    this.#markEnded();
    try {
      this.#o.writeClose(code, reason);
    } catch {
      // The relay connection is gone; the relay closes the controller itself.
    }
  }

  #markEnded(): void {
    this.#phase = 'ended';
    clearTimeout(this.#deadline);
    this.#o.onEnded();
  }
}
