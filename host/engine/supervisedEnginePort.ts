/**
 * The hub's `EnginePort` over the `EngineSupervisor`: each `connect()` opens a new WebSocket to
 * the engine's private loopback endpoint with the per-start capability token. Every restart
 * changes port and token, so nothing here caches the endpoint. `dispose()` drops its
 * subscription to the supervisor (the supervisor outlives it only in tests, but an in-process
 * restart of the core must not leave listeners behind).
 */
import type { EngineState } from '../../shared/protocol/hostMethods.js';
import { type Transport } from '../../shared/rpc/transport.js';
import { Emitter, type Disposable } from '../../shared/util/lifecycle.js';
import type { EnginePort } from '../hub/enginePort.js';
import { openWsTransport } from '../transport/wsTransport.js';
import type { EngineSupervisor } from './engineSupervisor.js';

/** Engine messages can be large (full thread reads with diffs); the hub bounds clients separately. */
const ENGINE_MAX_PAYLOAD_BYTES = 256 * 1024 * 1024;

export class SupervisedEnginePort implements EnginePort, Disposable {
  readonly #sup: EngineSupervisor;
  readonly #restart = new Emitter<void>();
  readonly #exitSub: Disposable;
  #restarts = 0;

  constructor(
    supervisor: EngineSupervisor,
    readonly version: string | undefined,
  ) {
    this.#sup = supervisor;
    this.#exitSub = supervisor.onExit(() => {
      this.#restarts++;
      this.#restart.fire();
    });
  }

  dispose(): void {
    this.#exitSub.dispose();
    this.#restart.clear();
  }

  get state(): EngineState {
    return this.#sup.state;
  }

  get restarts(): number {
    return this.#restarts;
  }

  async connect(): Promise<Transport> {
    if (this.#sup.state !== 'running') throw new Error(`the engine is ${this.#sup.state}`);
    const ep = this.#sup.endpoint();
    return openWsTransport(ep.url, { headers: { Authorization: `Bearer ${ep.token}` }, maxPayload: ENGINE_MAX_PAYLOAD_BYTES });
  }

  onStateChange(listener: (state: EngineState) => void): Disposable {
    return this.#sup.onStateChange((s) => listener(s));
  }

  onRestart(listener: () => void): Disposable {
    return this.#restart.on(listener);
  }
}
