/**
 * One controller connection attempt (remote-protocol.md §3-§4): open `/v1/connect`, wait for the
 * relay's `ready`, run the handshake with `ControllerHandshake`, and on `welcome` hand over a
 * `RecordTransport` that owns the socket from then on. Everything before `welcome` must finish
 * within the handshake deadline (10 s by default). Failures reject with a `RemoteSessionError`;
 * nothing the relay or host sends can throw out of here.
 */
import { z } from 'zod';
import type { AeadFactory } from '../crypto/aead.js';
import { ControllerHandshake } from '../crypto/controllerHandshake.js';
import type { HandshakeMode } from '../crypto/handshakeMessages.js';
import type { DeviceDescription, Welcome } from '../crypto/handshakeRecords.js';
import { idFromPublicKey, type Signer } from '../crypto/identity.js';
import { fromHex } from '../util/encoding.js';
import { parseJson, parseUnknown } from '../util/schema.js';
import { RecordTransport } from '../session/recordTransport.js';
import { errorFromClose, errorFromFailure, RemoteSessionError } from './remoteSessionError.js';
import { fromRelaySessionCloseCode, toControllerSocketCloseCode, truncateCloseReason } from '../session/sessionCloseCodes.js';
import { binaryFrameBytes, sendableBytes, type WebSocketFactory, type WebSocketLike } from './webSocketLike.js';
import { errorMessage } from '../util/errors.js';

/** Longest relay control message a controller reads (`ready` is ~50 bytes). */
const MAX_CONTROL_CHARS = 1024;

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

const relayControlSchema = z.discriminatedUnion('t', [
  z.object({ t: z.literal('ready'), sid: z.string().regex(/^[0-9a-f]{32}$/) }),
  z.object({ t: z.literal('offline') }),
]);

type Phase = 'connecting' | 'serverHello' | 'hostRecord' | 'open' | 'done';

/** Starts an attempt; see `ControllerAttempt`. */
export function startControllerAttempt(o: ControllerAttemptOptions): ControllerAttempt {
  const op = o.mode === 'pair' ? 'pair' : 'resume';
  let phase: Phase = 'connecting';
  let handshake: ControllerHandshake | undefined;
  let transport: RecordTransport | undefined;
  let socket: WebSocketLike | undefined;
  // Every binary frame and the close are handled in arrival order, one at a time.
  let chain: Promise<void> = Promise.resolve();
  let resolve!: () => void;
  let reject!: (err: RemoteSessionError) => void;
  const result = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });

  const timer = o.timers.setTimeout(
    () => fail(new RemoteSessionError('timeout', 'handshake timeout', `${op}: the handshake did not finish within ${o.handshakeTimeoutMs} ms`)),
    o.handshakeTimeoutMs,
  );

  function closeSocket(code: number, reason: string): void {
    try {
      socket?.close(toControllerSocketCloseCode(code), truncateCloseReason(reason));
    } catch {
      // Already closing, or a socket that refuses the code: nothing more to do.
    }
  }

  function fail(err: RemoteSessionError): void {
    if (phase === 'done' || phase === 'open') return;
    phase = 'done';
    o.timers.clearTimeout(timer);
    closeSocket(err.kind === 'protocol' || err.kind === 'host_key' ? 4400 : 1000, err.reason);
    reject(err);
  }

  function onText(text: string): void {
    if (phase !== 'connecting') return; // the relay sends nothing after `ready`; ignore rather than guess
    let msg: z.output<typeof relayControlSchema>;
    try {
      if (text.length > MAX_CONTROL_CHARS) throw new Error('control message too large');
      msg = parseUnknown(relayControlSchema, parseJson(text, `${op}.relay`), `${op}.relay`);
    } catch (err) {
      fail(new RemoteSessionError('protocol', 'bad relay message', `${op}: the relay sent an invalid message (${errorMessage(err)})`));
      return;
    }
    if (msg.t === 'offline') {
      fail(new RemoteSessionError('offline', 'host offline', `${op}: the host is offline`, 4404));
      return;
    }
    try {
      handshake = new ControllerHandshake({
        mode: o.mode,
        sid: fromHex(msg.sid),
        hostKey: o.hostKey,
        ...(o.pairingSecret ? { pairingSecret: o.pairingSecret } : {}),
        device: o.signer,
        description: o.description,
        aead: o.aead,
      });
      phase = 'serverHello';
      o.onHandshaking();
      socket?.send(sendableBytes(handshake.clientHello));
    } catch (err) {
      fail(errorFromFailure(err, op));
    }
  }

  async function onBinary(bytes: Uint8Array): Promise<void> {
    switch (phase) {
      case 'connecting':
        throw new RemoteSessionError('protocol', 'data before ready', `${op}: session data before the relay said ready`);
      case 'serverHello': {
        const auth = await handshake!.onServerHello(bytes);
        if (phase !== 'serverHello') return;
        phase = 'hostRecord';
        socket?.send(sendableBytes(auth));
        return;
      }
      case 'hostRecord': {
        const answer = await handshake!.onHostRecord(bytes);
        if (phase !== 'hostRecord') return;
        if (answer.outcome === 'denied') {
          fail(new RemoteSessionError('denied', answer.reason, `${op}: the host denied this device (${answer.reason})`, 4403));
          return;
        }
        const s = socket!;
        transport = new RecordTransport({
          channel: answer.channel,
          writeRecord: (record) => s.send(sendableBytes(record)),
          endSession: (code, reason) => closeSocket(code, reason),
          mediumBufferedAmount: () => s.bufferedAmount,
        });
        phase = 'open';
        o.timers.clearTimeout(timer);
        o.onOpen(transport, answer.welcome);
        resolve();
        return;
      }
      case 'open':
        await transport!.receive(bytes);
        return;
      case 'done':
        return;
    }
  }

  try {
    socket = o.webSocket(`${o.relay}/v1/connect?host=${idFromPublicKey(o.hostKey)}&device=${idFromPublicKey(o.signer.publicKey)}`);
    socket.binaryType = 'arraybuffer';
  } catch (err) {
    fail(new RemoteSessionError('network', 'connect failed', `${op}: cannot open a WebSocket to ${o.relay} (${errorMessage(err)})`));
    return { result, cancel() {} };
  }
  const s = socket;
  s.onopen = null;
  s.onerror = () => {
    // A close event always follows; it carries the outcome.
  };
  s.onmessage = (event) => {
    if (typeof event.data === 'string') {
      onText(event.data);
      return;
    }
    const bytes = binaryFrameBytes(event.data);
    chain = chain.then(() =>
      bytes ? onBinary(bytes) : Promise.reject(new RemoteSessionError('protocol', 'bad frame', `${op}: a frame that is neither text nor binary`)),
    ).catch((err: unknown) => {
      if (phase === 'open') transport?.close(4400, 'internal error');
      else fail(errorFromFailure(err, op));
    });
  };
  s.onclose = (event) => {
    const info = { code: fromRelaySessionCloseCode(event.code), reason: event.reason };
    // Let frames that arrived before the close finish first (a `denied` record precedes its 4403).
    chain = chain.then(() => {
      if (phase === 'open') transport?.markPeerClosed(info);
      else fail(errorFromClose(info, op));
    });
  };

  return {
    result,
    cancel: () => fail(new RemoteSessionError('closed', 'closed', `${op}: closed by the user`)),
  };
}
