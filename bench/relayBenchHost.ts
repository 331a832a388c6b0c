/**
 * The far side of `bench/relayBench.ts`, in its own process (as a host would be): a raw
 * loopback WebSocket echo server (baseline), a raw host registered on the relay that sends
 * every session payload back unchanged (plaintext relay), the real host relay client
 * (`HostRelayClient` with the real pairing manager and trusted-device registry) whose attached
 * sessions echo every message, and a host on the bare crypto primitives (`E2eEchoHost`).
 *
 * argv[2] = relay ws URL, argv[3] = relay http origin.
 * IPC: sends `RelayBenchHostReady`; answers `'pairingLink'` with `{ link }` (a real pairing
 * code of the real host) and `'bareLink'` likewise for the bare host; exits on `'stop'`.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { TEST_OUTPUT_DIR } from '../e2e/fixtures/codexHome.js';
import { nodeAead } from '../host/remote-access/nodeAead.js';
import { DeviceRegistry } from '../host/devices/deviceRegistry.js';
import { PairingManager } from '../host/pairing/pairingManager.js';
import { HostRelayClient } from '../host/remote-access/hostRelayClient.js';
import { createSessionAdmission } from '../host/remote-access/sessionAdmission.js';
import { generateIdentity, idFromPublicKey, signerFromIdentity } from '../shared/crypto/identity.js';
import { toB64u } from '../shared/util/encoding.js';
import { silentLogger } from '../shared/util/logger.js';
import { E2eEchoHost } from './lib/e2eEchoHost.js';
import { registerRawHost } from './lib/relayPeers.js';

export interface RelayBenchHostReady {
  readonly echoUrl: string;
  /** hostId of the plaintext echo host. */
  readonly plainHostId: string;
  /** b64u public key of the bare-primitives end-to-end host. */
  readonly bareHostKey: string;
}

/** The real host relay client with real admission; every attached session echoes its messages. */
async function startRealHost(relayUrl: string, relayHttpUrl: string): Promise<{ pairing: PairingManager; stop(): Promise<void> }> {
  await mkdir(TEST_OUTPUT_DIR, { recursive: true });
  const dataDir = await mkdtemp(join(TEST_OUTPUT_DIR, 'bench-relay-host-'));
  const identity = generateIdentity();
  const devices = await DeviceRegistry.open(dataDir, silentLogger);
  const pairing = new PairingManager({ identity, relay: () => ({ wsUrl: relayUrl, httpOrigin: relayHttpUrl }), hostName: () => 'Bench Host' });
  const client = new HostRelayClient({
    relayUrl,
    host: signerFromIdentity(identity),
    aead: nodeAead,
    admission: createSessionAdmission(pairing, devices),
    hostDescription: () => ({ name: 'Bench Host', platform: process.platform, version: '0.1.0' }),
    attach: (transport) => transport.onMessage((text) => transport.send(text)),
    logger: silentLogger,
  });
  const registered = new Promise<void>((resolve) => {
    const sub = client.onStateChange((state) => {
      if (state === 'registered') {
        sub.dispose();
        resolve();
      }
    });
  });
  client.start();
  await registered;
  return {
    pairing,
    stop: async () => {
      await client.dispose();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

async function startEchoServer(): Promise<{ url: string; close(): void }> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false, maxPayload: 64 * 1024 * 1024 });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  wss.on('connection', (ws: WebSocket) => {
    ws.on('message', (data: Buffer, isBinary: boolean) => ws.send(data, { binary: isBinary }));
    ws.on('error', () => {});
  });
  return { url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`, close: () => wss.close() };
}

async function main(): Promise<void> {
  const [relayUrl, relayHttpUrl] = process.argv.slice(2);
  const send = process.send?.bind(process);
  if (!relayUrl || !relayHttpUrl || !send) throw new Error('relayBenchHost: needs relay URLs and an IPC channel');
  const echo = await startEchoServer();

  const plainIdentity = generateIdentity();
  const plain = (await registerRawHost(relayUrl, plainIdentity)).release();
  // `sid ‖ payload` in, `sid ‖ payload` out: the same frame goes straight back.
  plain.on('message', (data: Buffer, isBinary: boolean) => {
    if (isBinary) plain.send(data);
  });

  const real = await startRealHost(relayUrl, relayHttpUrl);
  const bare = await E2eEchoHost.start(relayUrl);
  const stop = () =>
    void real.stop().finally(() => {
      echo.close();
      plain.terminate();
      bare.close();
      if (bare.failures) process.stderr.write(`relayBenchHost: ${bare.failures} bare end-to-end session failure(s)\n`);
      process.exit(0);
    });
  process.on('disconnect', stop);
  process.on('message', (m) => {
    if (m === 'stop') stop();
    else if (m === 'pairingLink') send({ link: real.pairing.start().link });
    else if (m === 'bareLink') send({ link: bare.createPairingLink(relayHttpUrl) });
  });
  const ready: RelayBenchHostReady = { echoUrl: echo.url, plainHostId: idFromPublicKey(plainIdentity.publicKey), bareHostKey: toB64u(bare.identity.publicKey) };
  send(ready);
}

main().catch((err: unknown) => {
  process.stderr.write(`relayBenchHost: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
