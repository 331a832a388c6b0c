/**
 * The encrypted session as a `Transport` (remote-protocol.md §5), used unchanged by both ends:
 * the host relay client (records travel as `sid || record` on its relay connection) and the
 * controller (records are its socket's binary frames). Each JSON-RPC message text is sealed as
 * one message: UTF-8, split into ≤ 256 KiB fragments by `RecordSealer`, reassembled by
 * `RecordOpener`. The medium is abstracted as three callbacks, so this class has no socket.
 *
 * Ordering: sealing and opening are asynchronous. Counters are reserved in call order and every
 * write goes through one promise chain, so records leave in `send` order and the session end is
 * written after every record sent before `close`. Received records are opened strictly in order
 * (the opener serializes) and delivered in order.
 *
 * Any `ProtocolError` (bad counter, tamper, failed decryption, oversize) ends the session with
 * its close code and reason; nothing the peer sends can throw out of this class.
 */
import type { RecordChannel } from '../crypto/record.js';
import { CLOSE } from '../protocol/closeCodes.js';
import { ProtocolError } from '../crypto/protocolError.js';
import { TransportClosedError, TransportEvents, type CloseInfo, type Disposable, type Transport } from '../rpc/transport.js';
import { fromUtf8, utf8 } from '../util/encoding.js';

export interface RecordTransportOptions {
  /** The session's record streams, from the handshake. */
  readonly channel: RecordChannel;
  /** Writes one record to the medium. May throw if the medium is gone (the session then ends). */
  readonly writeRecord: (record: Uint8Array) => void;
  /** Ends the session on the medium; called once, after every record queued before it. */
  readonly endSession: (code: number, reason: string) => void;
  /** Bytes the medium has queued but not sent (its socket's `bufferedAmount`). */
  readonly mediumBufferedAmount: () => number;
  /** Told why the session failed (for logs); never given secrets. */
  readonly onFailure?: (error: unknown) => void;
}

export class RecordTransport implements Transport {
  readonly #o: RecordTransportOptions;
  readonly #events = new TransportEvents();
  #outTail: Promise<void> = Promise.resolve();
  /** Bytes accepted by `send` and not yet written to the medium. */
  #sealing = 0;
  /** Set by `close` (ours) while queued records drain; the session is over for callers. */
  #closing: CloseInfo | undefined;

  constructor(options: RecordTransportOptions) {
    this.#o = options;
  }

  get isClosed(): boolean {
    return this.#closing !== undefined || this.#events.closed !== undefined;
  }

  get bufferedAmount(): number {
    return this.#sealing + this.#o.mediumBufferedAmount();
  }

  /** Seals `text` (UTF-8) into records and queues them in order. Throws `TransportClosedError` once closed. */
  send(text: string): void {
    const ended = this.#events.closed ?? this.#closing;
    if (ended) throw new TransportClosedError(ended);
    const bytes = utf8(text);
    this.#sealing += bytes.length;
    // `seal` reserves the counters now, so concurrent sends cannot interleave their fragments.
    const sealed = this.#o.channel.sealer.seal(bytes);
    this.#outTail = this.#outTail
      .then(() => sealed)
      .then(
        (records) => {
          this.#sealing -= bytes.length;
          if (this.#events.closed) return;
          try {
            for (const record of records) this.#o.writeRecord(record);
          } catch (err) {
            this.#fail(err);
          }
        },
        (err: unknown) => {
          this.#sealing -= bytes.length;
          this.#fail(err);
        },
      );
  }

  onMessage(listener: (text: string) => void): Disposable {
    return this.#events.onMessage(listener);
  }

  onClose(listener: (info: CloseInfo) => void): Disposable {
    return this.#events.onClose(listener);
  }

  /**
   * Ends the session: records already accepted by `send` are written first, then the medium's
   * `endSession(code, reason)`, then `onClose` fires with the same code and reason.
   */
  close(code: number = CLOSE.NORMAL, reason = ''): void {
    if (this.#closing || this.#events.closed) return;
    const info = { code, reason };
    this.#closing = info;
    void this.#outTail.then(() => {
      if (!this.#events.closed) {
        try {
          this.#o.endSession(code, reason);
        } catch (err) {
          this.#o.onFailure?.(err);
        }
      }
      this.markPeerClosed(info);
    });
  }

  /**
   * One record from the peer. Resolves once it has been opened and its message (if complete)
   * delivered; never rejects. After a failure or a close, records are dropped.
   */
  receive(record: Uint8Array): Promise<void> {
    if (this.isClosed) return Promise.resolve();
    return this.#o.channel.opener.open(record).then(
      (message) => {
        if (!message || this.isClosed) return;
        let text: string;
        try {
          text = fromUtf8(message);
        } catch {
          this.#fail(new ProtocolError(CLOSE.BAD_REQUEST, 'bad_utf8', 'session.receive: message is not valid UTF-8'));
          return;
        }
        this.#events.deliver(text);
      },
      (err: unknown) => this.#fail(err),
    );
  }

  /** The medium reports that the session is gone (peer left, connection lost): closes without writing. */
  markPeerClosed(info: CloseInfo): void {
    this.#events.markClosed(info);
  }

  #fail(err: unknown): void {
    this.#o.onFailure?.(err);
    if (err instanceof ProtocolError) this.close(err.closeCode, err.reason);
    else this.close(CLOSE.INTERNAL, 'internal error');
  }
}
