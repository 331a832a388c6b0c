/**
 * The desktop app's hub port end to end, in one process, with the real host (createHost, the
 * real engine over the fake model) and the three real pieces between the page and the hub
 * (docs/desktop.md, "How the port reaches the renderer"): the page's `getElectronTransport()`
 * (renderer/desktop), the sandboxed preload (electron/preload/preload.cts, with `electron`
 * mocked: its ipcRenderer is wired to main's handler), and main's `HubBridge` over
 * MessageChannel ports. A turn runs from the page; the host lists the page as a `desktop`
 * client and keep-awake sees the turn; a second request (a reload) ends the old client, and the
 * new connection works. Electron itself cannot start here; this is everything around it.
 */
import { mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createHost, type HostHandle } from '../host/app/createHost.js';
import { HostClient } from '../shared/protocol/hostClient.js';
import { RpcConnection } from '../shared/rpc/connection.js';
import type { Transport } from '../shared/rpc/transport.js';
import { silentLogger } from '../shared/util/logger.js';
import { HubBridge, type MessagePortMainLike } from '../electron/main/hubBridge.js';
import { getElectronTransport } from '../renderer/desktop/electronBoot.js';
import type { PortWindow } from '../renderer/desktop/electronTransport.js';
import { createCodexHome, type CodexHomeFixture } from './fixtures/codexHome.js';
import { startFakeResponses, type FakeResponsesServer } from './fixtures/fakeResponses.js';

/** What main's ipcMain handler would do with a port request (wired by the test). */
const main = vi.hoisted(() => ({ onPortRequest: undefined as undefined | ((nonce: unknown) => void), deliver: undefined as undefined | ((ports: unknown[], message: unknown) => void) }));
vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => ((globalThis as unknown as { window: Record<string, unknown> }).window[key] = api) },
  ipcRenderer: {
    send: (channel: string, nonce: unknown) => channel === 'hub-port-request' && main.onPortRequest?.(nonce),
    on: (channel: string, l: (event: { ports: unknown[] }, message: unknown) => void) => {
      if (channel === 'hub-port') main.deliver = (ports, message) => l({ ports }, message);
    },
  },
}));

/** One window object shared by the page and the preload, as in Chromium. */
function pageWindow() {
  const listeners = new Set<(e: MessageEvent) => void>();
  const win = {
    location: { origin: 'app://codex-host' },
    addEventListener: (_t: string, l: (e: MessageEvent) => void) => void listeners.add(l),
    removeEventListener: (_t: string, l: (e: MessageEvent) => void) => void listeners.delete(l),
    postMessage(data: unknown, targetOrigin: string, transfer: unknown[] = []) {
      if (targetOrigin !== win.location.origin) return; // the browser drops a message for another origin
      queueMicrotask(() => {
        for (const l of [...listeners]) l({ source: win, origin: win.location.origin, data, ports: transfer } as unknown as MessageEvent);
      });
    },
  };
  return win;
}

function asMain(port: MessagePort): MessagePortMainLike & { node: MessagePort } {
  return {
    node: port,
    on(event: 'message' | 'close', l: (e: { data: unknown }) => void) {
      if (event === 'message') port.on('message', (data: unknown) => l({ data }));
      else port.on('close', () => (l as () => void)());
      return this;
    },
    postMessage: (m: unknown) => port.postMessage(m),
    start: () => port.start(),
    close: () => port.close(),
  } as MessagePortMainLike & { node: MessagePort };
}

const TURN_MS = 45_000;
let fake: FakeResponsesServer;
let home: CodexHomeFixture;
let host: HostHandle;
let bridge: HubBridge<ReturnType<typeof asMain>>;
const win = pageWindow();
const ports: MessagePort[] = [];

beforeAll(async () => {
  fake = await startFakeResponses();
  home = await createCodexHome({ modelBaseUrl: fake.baseUrl, label: 'desktop-port' });
  host = await createHost({ dataDir: await mkdtemp(join(home.root, 'data-')), env: home.env, engineCwd: home.workdir, logger: silentLogger, hostName: 'Desktop Port Host' });
  bridge = new HubBridge({
    createChannel: () => {
      const c = new MessageChannel();
      ports.push(c.port1, c.port2);
      return { port1: asMain(c.port1), port2: asMain(c.port2) };
    },
    attach: (t) => host.hub.attach(t, { kind: 'desktop', name: 'Codex Host window' }),
    logger: silentLogger,
  });
  main.onPortRequest = (nonce) => queueMicrotask(() => main.deliver?.([bridge.open().node], { nonce }));
  vi.stubGlobal('window', win);
  // A specifier tsc does not follow: the preload is CommonJS, type-checked by its own tsconfig.
  const preload = '../electron/preload/preload.cjs';
  await import(/* @vite-ignore */ preload);
});

afterAll(async () => {
  bridge?.dispose();
  for (const p of ports) p.close();
  await host?.dispose();
  await fake?.close();
  await home?.cleanup();
  vi.unstubAllGlobals();
});

async function connect(): Promise<{ transport: Transport; rpc: RpcConnection }> {
  const transport = await getElectronTransport(win as unknown as PortWindow)!;
  return { transport, rpc: new RpcConnection(transport, { requestTimeoutMs: 30_000 }) };
}

describe('the desktop window reaching the real host over its port', () => {
  it('runs a turn from the page as a desktop client', async () => {
    expect((win as unknown as { codexHost?: unknown }).codexHost).toEqual({ platform: process.platform });
    const { rpc } = await connect();
    const hostApi = new HostClient(rpc);
    const info = await hostApi.call('host/info');
    expect(info.clients.map((c) => [c.kind, c.name])).toEqual([['desktop', 'Codex Host window']]);

    const deltas: string[] = [];
    rpc.onNotification('item/agentMessage/delta', (p) => deltas.push(String((p as { delta?: unknown }).delta ?? '')));
    const completed = new Promise<{ turn: { status: string } }>((r) => rpc.onNotification('turn/completed', (p) => r(p as { turn: { status: string } })));
    let approvals = 0;
    rpc.onRequest('item/commandExecution/requestApproval', async () => {
      approvals++;
      // While the turn waits on us, keep-awake counts it (held, or "not available here: …").
      await expect.poll(() => hostApi.call('host/power/get'), { timeout: 10_000 }).toMatchObject({ reasons: ['turn'], runningTurns: 1 });
      return { decision: 'accept' };
    });
    await rpc.request('initialize', { clientInfo: { name: 'codex_host_desktop', title: 'Codex Host', version: '0.1.0' } });
    rpc.notify('initialized');
    const { thread } = await rpc.request<{ thread: { id: string } }>('thread/start', { cwd: home.workdir });
    await rpc.request('turn/start', { threadId: thread.id, input: [{ type: 'text', text: 'please RUN echo from-the-window', text_elements: [] }] });
    expect((await Promise.race([completed, new Promise<never>((_, rej) => setTimeout(() => rej(new Error('no turn/completed')), TURN_MS))])).turn.status).toBe('completed');
    expect(approvals).toBe(1);
    expect(deltas.join('')).not.toBe('');
  }, 90_000);

  it('ends the old client when the page asks again (a reload), and the new connection works', async () => {
    const before = host.hub.clients().map((c) => c.id);
    expect(before).toHaveLength(1);
    const { transport: next, rpc } = await connect();
    await expect.poll(() => host.hub.clients().map((c) => c.id)).toEqual([expect.not.stringMatching(before[0]!)]);
    const info = await new HostClient(rpc).call('host/info');
    expect(info.clients).toHaveLength(1);
    next.close(1000, 'window closing');
    await expect.poll(() => host.hub.clientCount).toBe(0);
  });
});
