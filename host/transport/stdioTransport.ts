/**
 * `Transport` over a pair of byte streams carrying JSONL — one JSON message per line — the way
 * `codex app-server` speaks on stdio (docs/engine.md §4) and the way a parent process talks
 * to a child over pipes. Lines are bounded: a longer one closes the transport with 1009 rather
 * than buffering without limit.
 */
import type { Readable, Writable } from 'node:stream';
import { TransportClosedError, TransportEvents, type CloseInfo, type Transport } from '../../shared/rpc/transport.js';

export const DEFAULT_MAX_LINE_BYTES = 64 * 1024 * 1024;

export class StdioTransport implements Transport {
  readonly #out: Writable;
  readonly #maxLine: number;
  readonly #events = new TransportEvents();
  #partial: Buffer[] = [];
  #partialBytes = 0;

  constructor(input: Readable, output: Writable, options: { maxLineBytes?: number } = {}) {
    this.#out = output;
    this.#maxLine = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
    input.on('data', (chunk: Buffer | string) => this.#onData(typeof chunk === 'string' ? Buffer.from(chunk) : chunk));
    input.on('end', () => this.#events.markClosed({ code: 1000, reason: 'end of input' }));
    input.on('close', () => this.#events.markClosed({ code: 1006, reason: 'input closed' }));
    input.on('error', (err: Error) => this.#events.markClosed({ code: 1006, reason: `input error: ${err.message}` }));
    output.on('error', (err: Error) => this.#events.markClosed({ code: 1006, reason: `output error: ${err.message}` }));
  }

  get isClosed(): boolean {
    return this.#events.closed !== undefined;
  }

  get bufferedAmount(): number {
    return this.#out.writableLength;
  }

  send(text: string): void {
    const closed = this.#events.closed;
    if (closed) throw new TransportClosedError(closed);
    // JSON.stringify never emits a raw newline, but a caller-built text might: one message, one line.
    if (text.includes('\n')) throw new Error('stdio.send: a message must not contain a newline');
    this.#out.write(`${text}\n`);
  }

  onMessage(listener: (text: string) => void) {
    return this.#events.onMessage(listener);
  }

  onClose(listener: (info: CloseInfo) => void) {
    return this.#events.onClose(listener);
  }

  /** Ends the output (for a child process: EOF on its stdin, which ends `codex app-server`). */
  close(code = 1000, reason = ''): void {
    if (this.isClosed) return;
    this.#out.end();
    this.#events.markClosed({ code, reason });
  }

  #onData(chunk: Buffer): void {
    if (this.isClosed) return;
    let start = 0;
    for (let nl = chunk.indexOf(10, start); nl !== -1; nl = chunk.indexOf(10, start)) {
      const piece = chunk.subarray(start, nl);
      start = nl + 1;
      const line = this.#partialBytes ? Buffer.concat([...this.#partial, piece]) : piece;
      this.#partial = [];
      this.#partialBytes = 0;
      if (line.length > this.#maxLine) return this.close(1009, `message exceeds ${this.#maxLine} bytes`);
      const text = line.toString('utf8').replace(/\r$/, '');
      if (text.trim()) this.#events.deliver(text);
      if (this.isClosed) return;
    }
    if (start < chunk.length) {
      this.#partial.push(chunk.subarray(start));
      this.#partialBytes += chunk.length - start;
      if (this.#partialBytes > this.#maxLine) this.close(1009, `message exceeds ${this.#maxLine} bytes`);
    }
  }
}
