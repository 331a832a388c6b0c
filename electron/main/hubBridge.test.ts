/**
 * The desktop window's hub connection (hubBridge.ts) against the real hub (in-memory engine):
 * a message the renderer posts on its port reaches the hub as a `desktop` client and the answer
 * comes back; a reload (a fresh port) closes the old client; the close codes cross the port as
 * close frames; anything but text is refused; a renderer that disappears ends its client.
 * Ports are Node's MessageChannel behind the MessagePortMain shape (`{data}` events).
 */
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../shared/util/logger.js';
import { createTestHub } from '../../host/hub/testing/hubTestKit.js';
import { HubBridge, MAX_PORTS_PER_WINDOW, MessagePortMainTransport, type MessagePortMainLike } from './hubBridge.js';

/** Node's MessagePort as Electron's MessagePortMain (which emits `{data}` objects). */
function asMain(port: MessagePort): MessagePortMainLike & { readonly node: MessagePort } {
  return {
    node: port,
    on(event: 'message' | 'close', listener: (e: { data: unknown }) => void) {
      if (event === 'message') port.on('message', (data: unknown) => listener({ data }));
      else port.on('close', () => (listener as () => void)());
      return this;
    },
    postMessage: (m: unknown) => port.postMessage(m),
    start: () => port.start(),
    close: () => port.close(),
  } as MessagePortMainLike & { readonly node: MessagePort };
}

/** The renderer's end: records what arrives (texts and frames) and whether it closed. */
function rendererEnd(port: MessagePort) {
  const received: unknown[] = [];
  let closed = false;
  port.on('message', (m: unknown) => received.push(m));
  port.on('close', () => (closed = true));
  return {
    received,
    isClosed: () => closed,
    send: (m: unknown) => port.postMessage(m),
    responseTo: (id: number) => received.map((m) => (typeof m === 'string' ? (JSON.parse(m) as { id?: number }) : undefined)).find((m) => m?.id === id),
  };
}

const open: MessagePort[] = [];
afterEach(() => {
  for (const p of open.splice(0)) p.close();
});

function setup() {
  const t = createTestHub();
  const bridge = new HubBridge({
    createChannel: () => {
      const c = new MessageChannel();
      open.push(c.port1, c.port2);
      return { port1: asMain(c.port1), port2: asMain(c.port2) };
    },
    attach: (transport) => t.hub.attach(transport, { kind: 'desktop', name: 'Codex Host window' }),
    logger: silentLogger,
  });
  const openPort = () => rendererEnd((bridge.open() as ReturnType<typeof asMain>).node);
  return { ...t, bridge, openPort };
}

describe('the hub bridge of the desktop window', () => {
  it('carries a request from the renderer to the hub as a desktop client, and the answer back', async () => {
    const { hub, openPort } = setup();
    const page = openPort();
    page.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'host/info' }));
    await expect.poll(() => page.responseTo(1)).toBeDefined();
    const info = page.responseTo(1) as unknown as { result: { clients: { kind: string; name: string }[] } };
    expect(info.result.clients).toEqual([expect.objectContaining({ kind: 'desktop', name: 'Codex Host window' })]);
    expect(hub.clients().map((c) => c.kind)).toEqual(['desktop']);
  });

  it('gives the page a connection per port it asks for, and a reload ends them all', async () => {
    const { hub, bridge, openPort } = setup();
    const first = openPort();
    const second = openPort();
    await expect.poll(() => hub.clientCount).toBe(2);
    for (const [page, id] of [[first, 7], [second, 8]] as const) {
      page.send(JSON.stringify({ jsonrpc: '2.0', id, method: 'host/info' }));
      await expect.poll(() => page.responseTo(id)).toBeDefined();
    }
    expect(bridge.opened).toBe(2);
    expect(bridge.connected).toBe(true);
    bridge.close(1001, 'the window reloaded');
    await expect.poll(() => hub.clientCount).toBe(0);
    for (const page of [first, second]) await expect.poll(() => page.received.at(-1)).toEqual({ type: 'close', code: 1001, reason: 'the window reloaded' });
    expect(bridge.connected).toBe(false);
    const third = openPort();
    third.send(JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'host/info' }));
    await expect.poll(() => third.responseTo(9)).toBeDefined();
  });

  it(`closes the oldest connection past ${MAX_PORTS_PER_WINDOW} per window`, async () => {
    const { hub, openPort } = setup();
    const pages = Array.from({ length: MAX_PORTS_PER_WINDOW }, () => openPort());
    await expect.poll(() => hub.clientCount).toBe(MAX_PORTS_PER_WINDOW);
    openPort();
    await expect.poll(() => pages[0]!.received.at(-1)).toEqual({ type: 'close', code: 1008, reason: `this window holds more than ${MAX_PORTS_PER_WINDOW} connections` });
    await expect.poll(() => hub.clientCount).toBe(MAX_PORTS_PER_WINDOW);
    expect(pages[1]!.received.some((m) => typeof m === 'object' && m !== null && (m as { type?: string }).type === 'close')).toBe(false);
  });

  it('passes the hub closing the client to the renderer as a close frame with its code', async () => {
    const { hub, openPort } = setup();
    const page = openPort();
    await expect.poll(() => hub.clientCount).toBe(1);
    hub.closeClients((c) => c.kind === 'desktop', 1012, 'engine restarted; reconnect to continue');
    await expect.poll(() => page.received.at(-1)).toEqual({ type: 'close', code: 1012, reason: 'engine restarted; reconnect to continue' });
  });

  it('ends the client when the renderer sends a close frame, or its end of the port goes away', async () => {
    const { hub, openPort } = setup();
    const page = openPort();
    await expect.poll(() => hub.clientCount).toBe(1);
    page.send({ type: 'close', code: 1000, reason: 'window closing' });
    await expect.poll(() => hub.clientCount).toBe(0);

    const t2 = setup();
    const c = new MessageChannel();
    open.push(c.port1, c.port2);
    const closes: { code: number }[] = [];
    const transport = new MessagePortMainTransport(asMain(c.port1));
    transport.onClose((i) => closes.push(i));
    t2.hub.attach(transport, { kind: 'desktop', name: 'w' });
    c.port2.close(); // the renderer process is gone
    await expect.poll(() => closes).toEqual([{ code: 1001, reason: 'the window closed or reloaded' }]);
    await expect.poll(() => t2.hub.clientCount).toBe(0);
  });

  it('refuses anything but JSON text with 1003', async () => {
    const { hub, openPort } = setup();
    const page = openPort();
    await expect.poll(() => hub.clientCount).toBe(1);
    page.send({ jsonrpc: '2.0', id: 1, method: 'host/info' });
    await expect.poll(() => page.received.at(-1)).toEqual({ type: 'close', code: 1003, reason: 'only JSON text messages and close frames are accepted on this port' });
    await expect.poll(() => hub.clientCount).toBe(0);
  });

  it('cannot open a port once the window is gone', () => {
    const { bridge } = setup();
    bridge.dispose();
    expect(() => bridge.open()).toThrow('hubBridge.open: the window is gone');
  });
});
