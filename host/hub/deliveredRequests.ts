/**
 * The server requests the hub delivered to one client (red-team P5): a client may answer only
 * those, each once. The engine accepts an answer to any pending id on any connection and its
 * ids are small and sequential, so without this any client could approve commands it never
 * saw. Bounded: the oldest entries go first.
 */
import type { RpcId } from '../../shared/rpc/messages.js';

const MAX_DELIVERED = 4096;

export class DeliveredRequests {
  readonly #byKey = new Map<string, string>();

  /** The engine sent request `id` (`method`) to this client. */
  note(id: RpcId, method: string): void {
    const key = keyOf(id);
    this.#byKey.delete(key);
    this.#byKey.set(key, method);
    if (this.#byKey.size > MAX_DELIVERED) {
      const oldest = this.#byKey.keys().next().value;
      if (oldest !== undefined) this.#byKey.delete(oldest);
    }
  }

  /** The client answers `id`: the request's method if it was delivered and not answered yet (it no longer is). */
  take(id: RpcId): string | undefined {
    const key = keyOf(id);
    const method = this.#byKey.get(key);
    if (method !== undefined) this.#byKey.delete(key);
    return method;
  }

  /** The answer taken for `id` never reached the engine: the client may answer again. */
  restore(id: RpcId, method: string): void {
    this.note(id, method);
  }

  get size(): number {
    return this.#byKey.size;
  }
}

function keyOf(id: RpcId): string {
  return typeof id === 'number' ? `n:${id}` : `s:${id}`;
}
