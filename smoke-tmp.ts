import { readFile } from 'node:fs/promises';
import { startSshd, createTestUser, removeTestUser, type LoginShell } from './e2e/fixtures/sshd.js';
import { connectSshHost } from './host/ssh/sshConnect.js';
import { openSsh2Session } from './host/ssh/ssh2Client.js';
import { dialTcp } from './host/ssh/dialTcp.js';
import { HostKeyTrustStore } from './host/ssh/hostKeyTrustStore.js';
import { RemoteEngine } from './host/ssh/remoteEngine.js';
import { RpcConnection } from './shared/rpc/connection.js';
import { findCodexBinary } from './host/engine/findCodexBinary.js';

const sshd = await startSshd({ label: 'smoke' });
const codex = findCodexBinary({ env: process.env }).path;
const pub = (await sshd.hostPublicKey()).split(' ');
const store = new HostKeyTrustStore({ file: `${sshd.dir}/trust.json` });
await store.trust(`[127.0.0.1]:${sshd.port}`, Buffer.from(pub[1]!, 'base64'));
for (const shell of (process.argv[2] ?? 'bash').split(',') as LoginShell[]) {
  const name = `cxsmoke${shell}`;
  await createTestUser({ name, shell, codexBin: codex, noise: `noise from ${shell}` });
  const t0 = Date.now();
  try {
    const session = await connectSshHost(
      { alias: name, hostName: '127.0.0.1', port: sshd.port, user: name, identityFiles: [sshd.clientKey], identitiesOnly: true, agentSocket: undefined, proxyJump: [], knownHostsFiles: [], hostKeyAlias: undefined, connectTimeoutMs: 5000, passwordAuthentication: false, kbdInteractiveAuthentication: false, pubkeyAuthentication: true, source: 'manual' },
      { openSession: openSsh2Session, dial: dialTcp, resolveHop: () => { throw new Error('no'); }, readKnownHosts: async () => undefined, trustStore: store, readKeyFile: (p) => readFile(p).catch(() => undefined), prompter: undefined, promptTimeoutMs: 5000 },
    );
    const engine = await RemoteEngine.start(session, { tag: 'abcdef12', onPhase: (p) => console.log(shell, p, Date.now() - t0), checkAccount: false });
    console.log(shell, 'engine', engine.info, Date.now() - t0);
    const rpc = new RpcConnection(await engine.openTransport());
    console.log(shell, await rpc.request('initialize', { clientInfo: { name: 'smoke', version: '0' }, capabilities: null }));
    rpc.close();
    await engine.stop();
    session.close();
    console.log(shell, 'OK', Date.now() - t0);
  } catch (e) {
    console.log(shell, 'FAILED', e);
  } finally {
    await removeTestUser(name);
  }
}
await sshd.stop();
