/**
 * Reads the audit log back for the remote-activity view (docs/connections.md): newest entry
 * first, one bounded page at a time, from the end of `audit.jsonl` backwards, so a long log
 * costs what one page costs. The cursor is the byte offset where the previous page stopped
 * (everything before it is older). Every line is parsed with the entry schema (style.md G2);
 * a line that is not a valid entry, or longer than any entry can be, is skipped and counted.
 */
import { open } from 'node:fs/promises';
import { AuditEntrySchema, type AuditEntryView } from '../../shared/protocol/features/auditApi.js';
import { parseJson, parseUnknown } from '../../shared/util/schema.js';

/** Longer lines are not entries the hub wrote (its fields are bounded far below this). */
export const MAX_AUDIT_LINE_BYTES = 64 * 1024;
/** How much of the file one page reads at most, whatever it finds. */
export const MAX_AUDIT_SCAN_BYTES = 2 * 1024 * 1024;
const CHUNK_BYTES = 64 * 1024;

export interface AuditPage {
  readonly entries: AuditEntryView[];
  /** Byte offset to continue from (older entries), absent at the start of the file. */
  readonly nextCursor?: number;
  readonly unreadable: number;
}

/** One page of `file`, newest first, of the lines that start before byte `before` (default: the end). */
export async function readAuditPage(file: string, o: { readonly before?: number; readonly limit: number }): Promise<AuditPage> {
  let fh;
  try {
    fh = await open(file, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { entries: [], unreadable: 0 };
    throw err;
  }
  try {
    const size = (await fh.stat()).size;
    // buf holds the bytes [bufStart, lineEnd) not yet split into lines; `lineEnd` is a line
    // start (a valid cursor) except while an oversized line is being skipped.
    let lineEnd = Math.min(o.before ?? size, size);
    let bufStart = lineEnd;
    let buf = Buffer.alloc(0);
    let scanned = 0;
    let skipping = false;
    const entries: AuditEntryView[] = [];
    let unreadable = 0;
    while (lineEnd > 0 && entries.length < o.limit) {
      const rel = lineEnd - bufStart;
      const stopRel = !skipping && rel > 0 && buf[rel - 1] === 0x0a ? rel - 1 : rel;
      const nl = stopRel > 0 ? buf.lastIndexOf(0x0a, stopRel - 1) : -1;
      if (nl >= 0 || bufStart === 0) {
        const startRel = nl + 1;
        if (skipping) unreadable += 1;
        else if (stopRel > startRel) {
          const entry = parseLine(buf.subarray(startRel, stopRel));
          if (entry) entries.push(entry);
          else unreadable += 1;
        }
        skipping = false;
        lineEnd = bufStart + startRel;
        buf = buf.subarray(0, startRel);
        continue;
      }
      // Longer than any entry the hub writes: drop it and look for where it starts.
      if (!skipping && stopRel > MAX_AUDIT_LINE_BYTES) skipping = true;
      if (scanned >= MAX_AUDIT_SCAN_BYTES) {
        // A cursor inside a line only costs the next page one unreadable line.
        return { entries, unreadable, ...((skipping ? bufStart : lineEnd) > 0 ? { nextCursor: skipping ? bufStart : lineEnd } : {}) };
      }
      const from = Math.max(0, bufStart - CHUNK_BYTES);
      const chunk = Buffer.alloc(bufStart - from);
      await fh.read(chunk, 0, chunk.length, from);
      scanned += chunk.length;
      if (skipping) {
        buf = chunk;
        lineEnd = bufStart;
      } else buf = Buffer.concat([chunk, buf]);
      bufStart = from;
    }
    return { entries, unreadable, ...(lineEnd > 0 ? { nextCursor: lineEnd } : {}) };
  } finally {
    await fh.close();
  }
}

function parseLine(line: Buffer): AuditEntryView | undefined {
  if (line.length > MAX_AUDIT_LINE_BYTES) return undefined;
  try {
    return parseUnknown(AuditEntrySchema, parseJson(line.toString('utf8'), 'audit line'), 'audit line');
  } catch {
    return undefined;
  }
}
