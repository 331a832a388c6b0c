/**
 * The controller side of end-to-end sessions on the real controller library (shared/controller):
 * `pair` for pairing-time runs, and one `startControllerAttempt` per echo session, which hands
 * over the raw `RecordTransport` (the encrypted session as text messages) instead of an
 * `RpcConnection`, so the echo measures the session layer and not JSON-RPC dispatch.
 */
import WebSocket from 'ws';
import { nodeAead } from '../../host/remote-access/nodeAead.js';
import { generateIdentity, signerFromIdentity, type Identity } from '../../shared/crypto/identity.js';
import { startControllerAttempt } from '../../shared/controller/controllerAttempt.js';
import { type ControllerDeps, pair, resume } from '../../shared/controller/controllerSession.js';
import type { RecordTransport } from '../../shared/session/recordTransport.js';
import { type TrustedHost, trustedHostKey } from '../../shared/controller/trustedHost.js';

const DESCRIPTION = { name: 'bench controller', platform: 'linux', kind: 'host' } as const;

/** Controller dependencies for `device`: the `ws` client and the Node AEAD (what a Node controller uses). */
export function controllerDeps(device: Identity = generateIdentity()): ControllerDeps {
  return {
    device: { signer: signerFromIdentity(device), ...DESCRIPTION },
    aead: nodeAead,
    webSocket: (url) => new WebSocket(url, { perMessageDeflate: false }),
  };
}

/** Pairs through `link`; resolves at `welcome` with the record to resume later. Closes the session. */
export async function pairOnce(link: string, device: Identity): Promise<TrustedHost> {
  const { session, trustedHost } = await pair(link, controllerDeps(device), { reconnect: false });
  session.close();
  return trustedHost;
}

/** Resumes once; resolves at `welcome`. Closes the session. */
export async function resumeOnce(host: TrustedHost, device: Identity): Promise<void> {
  const session = await resume(host, controllerDeps(device), { reconnect: false });
  session.close();
}

/** A resumed session's raw transport (the device must be trusted by the host). */
export function openSessionTransport(host: TrustedHost, device: Identity): Promise<RecordTransport> {
  return new Promise((resolve, reject) => {
    let transport: RecordTransport | undefined;
    const attempt = startControllerAttempt({
      relay: host.relay,
      hostKey: trustedHostKey(host),
      mode: 'resume',
      signer: signerFromIdentity(device),
      description: DESCRIPTION,
      aead: nodeAead,
      webSocket: (url) => new WebSocket(url, { perMessageDeflate: false }),
      handshakeTimeoutMs: 10_000,
      timers: { setTimeout: (cb, ms) => setTimeout(cb, ms), clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout) },
      onHandshaking: () => {},
      onOpen: (t) => {
        transport = t;
      },
    });
    attempt.result.then(() => (transport ? resolve(transport) : reject(new Error('openSessionTransport: opened without a transport'))), reject);
  });
}
