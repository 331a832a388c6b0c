/**
 * The desktop window's connection to the hub (docs/desktop.md, "How the port reaches the
 * renderer"). Main makes a `MessageChannelMain`, wraps its own end as a `Transport` and attaches
 * it to the hub as a `desktop` client, the way the listener attaches a WebSocket; the other end
 * goes to the renderer. Each `open()` makes a fresh channel (the page holds one per environment it
 * shows); a reload, a crash or the window closing ends them all, so a reloaded page never shares
 * a connection with the page it replaced.
 *
 * On the port (shared/rpc/portTransport.ts) a string is one JSON-RPC message; `{type:'close', code, reason}` (shared/protocol/
 * desktopPort.ts) carries the close code a MessagePort lacks. Anything else from the renderer
 * is a protocol error (closed with 1003). When the renderer's end disappears (reload, crash,
 * window closed) Electron emits `close` on ours, and the client closes with 1001.
 */
import { PortTransport } from '../../shared/rpc/portTransport.js';
import type { Transport } from '../../shared/rpc/transport.js';
import type { Disposable } from '../../shared/util/lifecycle.js';
import type { Logger } from '../../shared/util/logger.js';

/** The subset of Electron's `MessagePortMain` used (tsc checks the real one fits, index.ts). */
export interface MessagePortMainLike {
  on(event: 'message', listener: (messageEvent: { data: unknown }) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  postMessage(message: unknown): void;
  start(): void;
  close(): void;
}

/** `new MessageChannelMain()` as a function (tests pass an in-memory pair). */
export type CreateChannel<P extends MessagePortMainLike = MessagePortMainLike> = () => { readonly port1: P; readonly port2: P };

/** `Transport` over main's end of a MessageChannelMain (the frames: shared/rpc/portTransport.ts). */
export class MessagePortMainTransport extends PortTransport {
  constructor(port: MessagePortMainLike) {
    super(
      {
        postMessage: (m) => port.postMessage(m),
        close: () => port.close(),
        listen: (onData, onGone) => {
          port.on('message', ({ data }) => onData(data));
          port.on('close', onGone);
          port.start();
        },
      },
      'the window closed or reloaded',
    );
  }
}

export interface HubBridgeOptions<P extends MessagePortMainLike> {
  readonly createChannel: CreateChannel<P>;
  /** Attaches main's end to the hub (as a `desktop` client). */
  readonly attach: (transport: Transport) => void;
  readonly logger: Logger;
}

/**
 * How many hub connections one window may hold at once. The page opens one per environment it
 * shows (this computer, each SSH host or controlled host in use: renderer/desktop/environmentModels.tsx);
 * past this the oldest is closed, so a page that leaks ports cannot grow the hub's client list.
 */
export const MAX_PORTS_PER_WINDOW = 16;

/**
 * One window's hub connections. `open()` adds a fresh one; a reload, a crash or the window
 * closing ends them all (`close`, `dispose`), so a reloaded page never shares a connection with
 * the page it replaced.
 */
export class HubBridge<P extends MessagePortMainLike = MessagePortMainLike> implements Disposable {
  readonly #o: HubBridgeOptions<P>;
  /** Live connections, oldest first. */
  #live: MessagePortMainTransport[] = [];
  #disposed = false;
  #opened = 0;

  constructor(options: HubBridgeOptions<P>) {
    this.#o = options;
  }

  /** How many ports were handed out (status, tests). */
  get opened(): number {
    return this.#opened;
  }

  /** True while the window has a live hub connection. */
  get connected(): boolean {
    return this.#prune().length > 0;
  }

  /**
   * Attaches a fresh client and returns the port to hand to the renderer; closes the oldest
   * client past `MAX_PORTS_PER_WINDOW`. Throws once disposed.
   */
  open(): P {
    if (this.#disposed) throw new Error('hubBridge.open: the window is gone');
    const live = this.#prune();
    while (live.length >= MAX_PORTS_PER_WINDOW) live.shift()!.close(1008, `this window holds more than ${MAX_PORTS_PER_WINDOW} connections`);
    const { port1, port2 } = this.#o.createChannel();
    const transport = new MessagePortMainTransport(port1);
    live.push(transport);
    this.#opened++;
    this.#o.attach(transport);
    this.#o.logger.debug('hub port opened', { n: this.#opened, live: live.length });
    return port2;
  }

  /** Closes every client of the window (the page reloaded or went away). */
  close(code: number, reason: string): void {
    const live = this.#live;
    this.#live = [];
    for (const t of live) if (!t.isClosed) t.close(code, reason);
  }

  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.close(1001, 'the window closed');
  }

  #prune(): MessagePortMainTransport[] {
    this.#live = this.#live.filter((t) => !t.isClosed);
    return this.#live;
  }
}
