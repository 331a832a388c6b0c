/**
 * The host side of `bench/hubBench.ts`, run as a child process so the hub has its own event
 * loop (as in a real host) instead of sharing one with the 50 benchmark clients: the real
 * engine under `EngineSupervisor`, the real `Hub` over `SupervisedEnginePort`, exposed through
 * the real WebSocket listener on 127.0.0.1:0.
 *
 * As a child: environment `CODEX_HOME` (set by the parent), argv[2] = the trusted workdir;
 * IPC: sends `{ directUrl, token, hubUrl, version }` when ready; stops on any message.
 * `startHubBenchHost` runs the same thing in-process (`npm run bench:hub -- --in-process`).
 */
import { pathToFileURL } from 'node:url';
import { MemoryAuditLog } from '../host/audit/auditLog.js';
import { checkCodexVersion } from '../host/engine/checkCodexVersion.js';
import { EngineSupervisor } from '../host/engine/engineSupervisor.js';
import { findCodexBinary } from '../host/engine/findCodexBinary.js';
import { SupervisedEnginePort } from '../host/engine/supervisedEnginePort.js';
import { Hub } from '../host/hub/hub.js';
import { parseListenerOptions } from '../host/listener/listenerOptions.js';
import { startWsListener } from '../host/listener/wsListener.js';
import { WsTransport } from '../host/transport/wsTransport.js';
import { silentLogger } from '../shared/util/logger.js';

/** What the child reports once everything listens. */
export interface HubBenchHostReady {
  readonly directUrl: string;
  readonly token: string;
  readonly hubUrl: string;
  /** A bare forwarding WebSocket proxy to the engine in the same process as the hub: the floor any extra hop costs. */
  readonly proxyUrl: string;
  readonly version: string;
}

/** Enough for 50 fan-out clients plus the round-trip clients. */
const MAX_CLIENTS = 128;

/** A running bench host. */
export interface HubBenchHost extends HubBenchHostReady {
  stop(): Promise<void>;
}

/** Starts the engine (with `env`, which must set CODEX_HOME), the hub and the listener. */
export async function startHubBenchHost(workdir: string, env: NodeJS.ProcessEnv): Promise<HubBenchHost> {
  if (!env.CODEX_HOME) throw new Error('startHubBenchHost: env must set CODEX_HOME');
  const bin = findCodexBinary({ env }).path;
  const version = (await checkCodexVersion(bin)).text;
  // Silent: the engine's stderr (e.g. its bubblewrap notice) is not part of the figures; a
  // failed start still rejects with the engine's last lines.
  const supervisor = new EngineSupervisor({ launch: { bin, env, cwd: workdir }, logger: silentLogger });
  const endpoint = await supervisor.start();
  const hub = new Hub({
    engine: new SupervisedEnginePort(supervisor, version),
    audit: new MemoryAuditLog(),
    logger: silentLogger,
    hostVersion: '0.1.0',
    // The default rate limit (200/s, burst 1000) would throttle 2 000 back-to-back requests.
    limits: { requestsPerSecond: 1e6, requestBurst: 1e6, maxClients: MAX_CLIENTS, maxClientsPerKind: { cli: MAX_CLIENTS } },
  });
  const listener = await startWsListener({
    config: parseListenerOptions({ listen: 'ws://127.0.0.1:0' }),
    maxPayloadBytes: 16 << 20,
    maxConnections: MAX_CLIENTS,
    logger: silentLogger,
    onConnection: (ws) => void hub.attach(new WsTransport(ws), { kind: 'cli', name: 'bench' }),
  });
  const proxy = await startBareProxy(endpoint.url, endpoint.token);
  let stopped: Promise<void> | undefined;
  return {
    directUrl: endpoint.url,
    token: endpoint.token,
    hubUrl: listener.url,
    proxyUrl: proxy.url,
    version,
    stop: () => {
      stopped ??= (async () => {
        await listener.dispose();
        await proxy.close();
        await supervisor.stop();
      })();
      return stopped;
    },
  };
}

async function childMain(): Promise<void> {
  const workdir = process.argv[2];
  const send = process.send?.bind(process);
  if (!workdir || !send) throw new Error('hubBenchHost: needs a workdir argument and an IPC channel');
  const host = await startHubBenchHost(workdir, process.env);
  const stop = () => void host.stop().then(() => process.exit(0));
  process.on('message', stop);
  process.on('disconnect', stop);
  const ready: HubBenchHostReady = { directUrl: host.directUrl, token: host.token, hubUrl: host.hubUrl, proxyUrl: host.proxyUrl, version: host.version };
  send(ready);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  childMain().catch((err: unknown) => {
    process.stderr.write(`hubBenchHost: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  });
}

/**
 * The cheapest possible extra hop: each client connection gets its own engine connection and
 * text frames are passed through untouched (no parsing, no bookkeeping). Comparing the hub with
 * this separates what the hub's own work costs from what any extra process hop costs.
 */
async function startBareProxy(engineUrl: string, token: string): Promise<{ url: string; close(): Promise<void> }> {
  const { default: WebSocket, WebSocketServer } = await import('ws');
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
  wss.on('connection', (down) => {
    const up = new WebSocket(engineUrl, { headers: { Authorization: `Bearer ${token}` }, perMessageDeflate: false });
    const early: string[] = [];
    up.on('open', () => {
      for (const t of early.splice(0)) up.send(t);
    });
    down.on('message', (d) => (up.readyState === WebSocket.OPEN ? up.send(d.toString()) : early.push(d.toString())));
    up.on('message', (d) => down.send(d.toString()));
    down.on('close', () => up.close());
    up.on('close', () => down.close());
    up.on('error', () => down.terminate());
  });
  await new Promise<void>((r) => wss.once('listening', () => r()));
  const { port } = wss.address() as { port: number };
  return { url: `ws://127.0.0.1:${port}`, close: () => new Promise((r) => wss.close(() => r())) };
}
