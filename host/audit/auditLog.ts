/**
 * The append-only audit log of approvals answered through the hub (docs/architecture.md): one JSON
 * object per line, each line fsync'd before `append` resolves, so an entry that was reported
 * written survives a crash. Writes are serialized; a failing write is reported to the caller
 * and logged, never silently dropped.
 */
import { open, type FileHandle } from 'node:fs/promises';
import type { ClientKind } from '../../shared/protocol/clientIdentity.js';

export interface AuditEntry {
  /** ISO time the answer passed through the hub. */
  readonly time: string;
  readonly client: { readonly kind: ClientKind; readonly id: string; readonly name: string };
  readonly threadId: string | null;
  /** The server request method, e.g. item/commandExecution/requestApproval. */
  readonly request: string;
  /** Command line, file-change reason or other short description (truncated). */
  readonly summary: string;
  /** The decision as sent (accept, decline, cancel, acceptForSession, …) or "error". */
  readonly decision: string;
  /** "applied" when this answer was the first, "late" when another client had already answered. */
  readonly outcome: 'applied' | 'late';
}

export interface AuditSink {
  append(entry: AuditEntry): Promise<void>;
}

export class FileAuditLog implements AuditSink {
  #handle: Promise<FileHandle> | undefined;
  #chain: Promise<void> = Promise.resolve();

  constructor(readonly path: string) {}

  append(entry: AuditEntry): Promise<void> {
    const line = `${JSON.stringify(entry)}\n`;
    const run = this.#chain.then(async () => {
      this.#handle ??= open(this.path, 'a', 0o600);
      const fh = await this.#handle;
      await fh.appendFile(line, 'utf8');
      await fh.datasync();
    });
    // Keep the chain alive after a failure so later entries still get written.
    this.#chain = run.catch(() => {});
    return run;
  }

  async close(): Promise<void> {
    await this.#chain;
    if (this.#handle) await (await this.#handle).close();
    this.#handle = undefined;
  }
}

/** An in-memory sink (tests, and hosts run without a data dir). */
export class MemoryAuditLog implements AuditSink {
  readonly entries: AuditEntry[] = [];
  append(entry: AuditEntry): Promise<void> {
    this.entries.push(entry);
    return Promise.resolve();
  }
}
