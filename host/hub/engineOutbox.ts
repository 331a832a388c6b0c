/**
 * One client's messages on their way to its engine connection, in order. An approval answer
 * is held until its audit line is written (H4); whatever the client sends meanwhile waits
 * behind it, bounded in count and bytes (red-team P6), and an answer whose audit line could
 * not be written is dropped rather than applied unaudited (P7).
 */

export interface EngineOutboxOptions {
  readonly maxHeldMessages: number;
  readonly maxHeldBytes: number;
  /** Passes one message on (to the engine, or the queue before the engine connection opens). */
  readonly send: (text: string) => void;
}

interface Item {
  readonly text: string;
  /** Resolves true when the message may go on, false when it must be dropped. */
  readonly verdict?: Promise<boolean>;
}

export class EngineOutbox {
  readonly #o: EngineOutboxOptions;
  readonly #queue: Item[] = [];
  #bytes = 0;
  #pumping = false;

  constructor(options: EngineOutboxOptions) {
    this.#o = options;
  }

  /** Messages waiting behind a held answer. */
  get held(): number {
    return this.#queue.length;
  }

  /** Sends `text` now, or after the held answers before it; false when the queue is full (refused). */
  push(text: string): boolean {
    if (this.#queue.length === 0) {
      this.#o.send(text);
      return true;
    }
    return this.#enqueue({ text });
  }

  /** Holds `text` until `verdict` resolves (true: send, false: drop); false when the queue is full. */
  pushHeld(text: string, verdict: Promise<boolean>): boolean {
    return this.#enqueue({ text, verdict });
  }

  /** Whether one more message of this size fits (an empty queue always takes one, whatever its size). */
  canHold(text: string): boolean {
    if (this.#queue.length === 0) return true;
    return this.#queue.length < this.#o.maxHeldMessages && this.#bytes + text.length <= this.#o.maxHeldBytes;
  }

  #enqueue(item: Item): boolean {
    if (!this.canHold(item.text)) return false;
    this.#queue.push(item);
    this.#bytes += item.text.length;
    void this.#pump();
    return true;
  }

  async #pump(): Promise<void> {
    if (this.#pumping) return;
    this.#pumping = true;
    try {
      while (this.#queue.length > 0) {
        const head = this.#queue[0]!;
        const ok = head.verdict ? await head.verdict.catch(() => false) : true;
        this.#queue.shift();
        this.#bytes -= head.text.length;
        if (ok) this.#o.send(head.text);
      }
    } finally {
      this.#pumping = false;
    }
  }
}
