/**
 * Turns what the engine sends for a file change into rows a diff view can draw. The engine's
 * `FileUpdateChange.diff` is the new content for an added file, the old content for a deleted
 * one, and a unified diff (hunks, maybe with file headers) for an update.
 */
import type { FileUpdateChange } from '../../../shared/protocol/appServer/experimental/v2/FileUpdateChange';

export interface DiffRow {
  readonly kind: 'add' | 'del' | 'ctx' | 'hunk';
  readonly text: string;
  readonly oldLine?: number;
  readonly newLine?: number;
}

export interface FileDiff {
  readonly path: string;
  readonly movedTo?: string;
  readonly change: 'add' | 'delete' | 'update';
  readonly rows: readonly DiffRow[];
  readonly added: number;
  readonly removed: number;
}

/** At most this many rows per file are drawn; the rest is summarized. */
export const MAX_DIFF_ROWS = 4000;

function contentLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Parses unified-diff hunks (file headers are skipped). */
export function parseHunks(text: string): DiffRow[] {
  const rows: DiffRow[] = [];
  let oldLine = 0;
  let newLine = 0;
  let inHunk = false;
  for (const line of contentLines(text)) {
    const m = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@(.*)$/.exec(line);
    if (m) {
      oldLine = Number(m[1]);
      newLine = Number(m[2]);
      inHunk = true;
      rows.push({ kind: 'hunk', text: line });
      continue;
    }
    if (!inHunk) continue; // diff --git / index / --- / +++ headers
    if (line.startsWith('+')) rows.push({ kind: 'add', text: line.slice(1), newLine: newLine++ });
    else if (line.startsWith('-')) rows.push({ kind: 'del', text: line.slice(1), oldLine: oldLine++ });
    else if (line.startsWith('\\')) continue; // "\ No newline at end of file"
    else rows.push({ kind: 'ctx', text: line.startsWith(' ') ? line.slice(1) : line, oldLine: oldLine++, newLine: newLine++ });
  }
  return rows;
}

export function fileDiffOf(change: FileUpdateChange): FileDiff {
  let rows: DiffRow[];
  if (change.kind.type === 'add') rows = contentLines(change.diff).map((text, i) => ({ kind: 'add', text, newLine: i + 1 }));
  else if (change.kind.type === 'delete') rows = contentLines(change.diff).map((text, i) => ({ kind: 'del', text, oldLine: i + 1 }));
  else rows = /^@@ /m.test(change.diff) ? parseHunks(change.diff) : contentLines(change.diff).map((text) => ({ kind: 'ctx', text }));
  return {
    path: change.path,
    movedTo: change.kind.type === 'update' ? (change.kind.move_path ?? undefined) : undefined,
    change: change.kind.type,
    rows,
    added: rows.filter((r) => r.kind === 'add').length,
    removed: rows.filter((r) => r.kind === 'del').length,
  };
}
