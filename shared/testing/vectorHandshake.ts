/**
 * Test support: runs both handshake state machines on the vectors' fixed inputs and returns
 * every byte string they produced, for tests to compare with the vectors. The two sides may use
 * different AEAD implementations (that is the cross-check).
 */
import { fromUtf8, utf8 } from '../util/encoding.js';
import type { AeadFactory } from '../crypto/aead.js';
import { ControllerHandshake } from '../crypto/controllerHandshake.js';
import type { HandshakeMode } from '../crypto/handshakeMessages.js';
import { HostHandshake } from '../crypto/hostHandshake.js';
import { identityFromSeed, signerFromIdentity } from '../crypto/identity.js';
import { V } from './vectors.js';

export interface VectorRun {
  readonly clientHello: Uint8Array;
  readonly serverHello: Uint8Array;
  readonly recordC2h0: Uint8Array;
  readonly recordH2c0: Uint8Array;
  readonly recordC2h1: Uint8Array;
  /** The rpc message as the host's opener returned it. */
  readonly rpcAtHost: string;
  readonly welcomeAtController: unknown;
  readonly verifiedDeviceId: string;
}

/** Controller and host built from the vectors' inputs for `mode`. */
export function vectorSides(mode: HandshakeMode, controllerAead: AeadFactory, hostAead: AeadFactory) {
  const controller = new ControllerHandshake({
    mode,
    sid: V.sid,
    hostKey: V.hostKey,
    ...(mode === 'pair' ? { pairingSecret: V.secret } : {}),
    device: signerFromIdentity(identityFromSeed(V.deviceSeed)),
    description: { name: 'Test Phone', platform: 'ios', kind: 'phone' },
    aead: controllerAead,
    dangerousFixedRandomness: { ephemeralPrivateKey: V.clientEphPriv, nonce: V.clientNonce },
  });
  const host = new HostHandshake({
    sid: V.sid,
    announcedDeviceId: V.deviceId,
    host: signerFromIdentity(identityFromSeed(V.hostSeed)),
    aead: hostAead,
    lookupPairingSecret: (pairId) => (pairId.every((b, i) => b === V.pairId[i]) ? V.secret : undefined),
    dangerousFixedRandomness: { ephemeralPrivateKey: V.hostEphPriv, nonce: V.hostNonce },
  });
  return { controller, host };
}

/** The full exchange of §4 plus one application record, as the vectors describe it. */
export async function runVectorHandshake(mode: HandshakeMode, controllerAead: AeadFactory, hostAead: AeadFactory): Promise<VectorRun> {
  const { controller, host } = vectorSides(mode, controllerAead, hostAead);
  const hello = await host.onClientHello(controller.clientHello);
  if (hello.action !== 'reply') throw new Error('vector run: host refused the ClientHello');
  const recordC2h0 = await controller.onServerHello(hello.serverHello);
  const auth = await host.onClientAuth(recordC2h0);
  if (!auth.verified) throw new Error(`vector run: ClientAuth not verified (${auth.detail})`);
  const { record: recordH2c0, channel: hostChannel } = await host.welcome({ name: 'Test Host', platform: 'darwin', version: '1.0.0' });
  const result = await controller.onHostRecord(recordH2c0);
  if (result.outcome !== 'welcome') throw new Error('vector run: denied');
  const [recordC2h1, ...more] = await result.channel.sealer.seal(utf8(V[mode].rpcJson));
  if (!recordC2h1 || more.length) throw new Error('vector run: rpc message should be one record');
  const rpc = await hostChannel.opener.open(recordC2h1);
  if (!rpc) throw new Error('vector run: rpc message incomplete');
  return {
    clientHello: controller.clientHello,
    serverHello: hello.serverHello,
    recordC2h0,
    recordH2c0,
    recordC2h1,
    rpcAtHost: fromUtf8(rpc),
    welcomeAtController: result.welcome,
    verifiedDeviceId: auth.device.deviceId,
  };
}
