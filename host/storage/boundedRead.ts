/**
 * Reading a small file the host trusts (a secret, a token, a state file) with a hard byte
 * bound. `stat().size` is no bound: it is 0 for `/dev/zero` (endless) and for a FIFO (which
 * blocks the open until a writer appears). So the file is opened non-blocking, checked to be a
 * regular file on the open descriptor (no swap between check and read), and read at most
 * `maxBytes + 1` bytes, whatever it claims to be.
 */
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { open } from 'node:fs/promises';

/** A file that is not a regular file, or is larger than allowed: refused, with the reason. */
export class FileRefusedError extends Error {
  constructor(
    readonly path: string,
    readonly why: string,
  ) {
    super(`${path}: ${why}`);
    this.name = 'FileRefusedError';
  }
}

export interface BoundedFile {
  readonly bytes: Uint8Array;
  /** Permission bits (`mode & 0o7777`), e.g. to warn about a world-readable token file. */
  readonly mode: number;
}

// O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer forever. Windows
// has neither flag (0 there), nor FIFOs in the file system.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0);

/** What kind of non-regular file `st` is, in words. */
function kindOf(st: Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

function refuseUnlessRegular(path: string, st: Stats): void {
  if (!st.isFile()) throw new FileRefusedError(path, `is not a regular file (it is ${kindOf(st)})`);
}

const CHUNK_BYTES = 64 * 1024;

/** Collects read chunks; never holds more than `maxBytes + 1` bytes, and refuses beyond `maxBytes`. */
class BoundedCollector {
  readonly #chunks: Buffer[] = [];
  #total = 0;
  constructor(
    readonly path: string,
    readonly maxBytes: number,
  ) {}
  /** A buffer for the next read: at most one byte more than may still come. */
  nextChunk(): Buffer {
    return Buffer.allocUnsafe(Math.min(CHUNK_BYTES, this.maxBytes + 1 - this.#total));
  }
  took(chunk: Buffer, n: number): void {
    this.#total += n;
    if (this.#total > this.maxBytes) throw new FileRefusedError(this.path, `is larger than ${this.maxBytes} bytes`);
    this.#chunks.push(chunk.subarray(0, n));
  }
  bytes(): Uint8Array {
    return new Uint8Array(Buffer.concat(this.#chunks, this.#total));
  }
}

/**
 * Reads `path` whole if it is a regular file of at most `maxBytes` bytes. Throws
 * `FileRefusedError` otherwise; file-system errors (ENOENT, EACCES) pass through with their code.
 */
export function readBoundedFileSync(path: string, maxBytes: number): BoundedFile {
  const fd = openSync(path, OPEN_FLAGS);
  try {
    const st = fstatSync(fd);
    refuseUnlessRegular(path, st);
    const reader = new BoundedCollector(path, maxBytes);
    for (;;) {
      const chunk = reader.nextChunk();
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      reader.took(chunk, n);
    }
    return { bytes: reader.bytes(), mode: st.mode & 0o7777 };
  } finally {
    closeSync(fd);
  }
}

/** The asynchronous twin of `readBoundedFileSync`. */
export async function readBoundedFile(path: string, maxBytes: number): Promise<BoundedFile> {
  const fh = await open(path, OPEN_FLAGS);
  try {
    const st = await fh.stat();
    refuseUnlessRegular(path, st);
    const reader = new BoundedCollector(path, maxBytes);
    for (;;) {
      const chunk = reader.nextChunk();
      const { bytesRead } = await fh.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      reader.took(chunk, bytesRead);
    }
    return { bytes: reader.bytes(), mode: st.mode & 0o7777 };
  } finally {
    await fh.close();
  }
}
