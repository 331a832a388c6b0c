/**
 * The controller side of an end-to-end session for the benchmarks (remote-protocol.md §4),
 * on the shared `ControllerHandshake` and the Node AEAD: connect through the relay, run the
 * pair or resume handshake, and hand back the socket and the record channel.
 */
import type WebSocket from 'ws';
import { nodeAead } from '../../host/remote-access/nodeAead.js';
import { ControllerHandshake } from '../../shared/crypto/controllerHandshake.js';
import type { Welcome } from '../../shared/crypto/handshakeRecords.js';
import { generateIdentity, idFromPublicKey, signerFromIdentity, type Identity } from '../../shared/crypto/identity.js';
import { parsePairingLink } from '../../shared/pairing/pairingLink.js';
import type { RecordChannel } from '../../shared/crypto/record.js';
import { fromHex } from '../../shared/util/encoding.js';
import { connectController } from './relayPeers.js';

/** An established session: the socket (no listeners of ours left on it) and its records. */
export interface E2eSession {
  readonly ws: WebSocket;
  readonly channel: RecordChannel;
  readonly welcome: Welcome;
}

export interface OpenE2eSessionOptions {
  readonly relayUrl: string;
  readonly hostKey: Uint8Array;
  /** Pair mode when set. */
  readonly pairingSecret?: Uint8Array;
  /** Default: a fresh identity. */
  readonly device?: Identity;
}

/** Connects to the host named by `hostKey` and completes the handshake; rejects unless welcomed. */
export async function openE2eSession(options: OpenE2eSessionOptions): Promise<E2eSession> {
  const device = options.device ?? generateIdentity();
  const { peer, sid } = await connectController(options.relayUrl, idFromPublicKey(options.hostKey), idFromPublicKey(device.publicKey));
  try {
    const hs = new ControllerHandshake({
      mode: options.pairingSecret ? 'pair' : 'resume',
      sid: fromHex(sid),
      hostKey: options.hostKey,
      ...(options.pairingSecret ? { pairingSecret: options.pairingSecret } : {}),
      device: signerFromIdentity(device),
      description: { name: 'bench controller', platform: 'linux', kind: 'host' },
      aead: nodeAead,
    });
    peer.ws.send(hs.clientHello);
    peer.ws.send(await hs.onServerHello(await peer.nextBinary('e2e session: ServerHello')));
    const result = await hs.onHostRecord(await peer.nextBinary('e2e session: welcome'));
    if (result.outcome !== 'welcome') throw new Error(`e2e session: denied (${result.reason})`);
    return { ws: peer.release(), channel: result.channel, welcome: result.welcome };
  } catch (err) {
    peer.ws.terminate();
    throw err;
  }
}

/** Pairs through `link` (the text a QR code carries) and resolves at `welcome`. */
export async function pairWithLink(link: string, device?: Identity): Promise<E2eSession> {
  const parsed = parsePairingLink(link);
  return openE2eSession({ relayUrl: parsed.relay, hostKey: parsed.hostKey, pairingSecret: parsed.secret, ...(device ? { device } : {}) });
}
