/**
 * A file change as a diff: one section per file with +/− counts, line numbers and, once the
 * lazy highlighter has loaded, syntax colours per line (by the file's extension).
 */
import { memo, useMemo } from 'react';
import type { FileUpdateChange } from '../../../shared/protocol/appServer/experimental/v2/FileUpdateChange';
import { HastView } from '../markdown/HastView';
import { languageForPath } from '../markdown/highlight';
import { useHighlighter } from '../markdown/useHighlighter';
import { shortPath } from '../util/format';
import { fileDiffOf, MAX_DIFF_ROWS, type FileDiff } from './parseDiff';

const CHANGE_LABEL = { add: 'Added', delete: 'Deleted', update: 'Modified' } as const;

const FileDiffView = memo(function FileDiffView({ diff, root }: { readonly diff: FileDiff; readonly root?: string }) {
  const lang = languageForPath(diff.movedTo ?? diff.path);
  const hl = useHighlighter(!!lang);
  const shown = diff.rows.slice(0, MAX_DIFF_ROWS);
  const rel = root && diff.path.startsWith(`${root}/`) ? diff.path.slice(root.length + 1) : shortPath(diff.path, 80);
  return (
    <div className="diff-file" data-testid="diff-file">
      <div className="diff-file-head">
        <span className={`badge ${diff.change === 'add' ? 'badge-success' : diff.change === 'delete' ? 'badge-danger' : ''}`}>{CHANGE_LABEL[diff.change]}</span>
        <span className="diff-path ellipsis" title={diff.path}>
          <bdi>{rel}{diff.movedTo ? ` → ${shortPath(diff.movedTo, 60)}` : ''}</bdi>
        </span>
        <span className="diff-stat-add">+{diff.added}</span>
        <span className="diff-stat-del">−{diff.removed}</span>
      </div>
      <div className="diff-scroll">
        <table className="diff-table">
          <tbody>
            {shown.map((r, i) =>
              r.kind === 'hunk' ? (
                <tr key={i} className="hunk">
                  <td colSpan={4}>{r.text}</td>
                </tr>
              ) : (
                <tr key={i} className={r.kind}>
                  <td className="ln">{r.oldLine ?? ''}</td>
                  <td className="ln">{r.newLine ?? ''}</td>
                  <td className="sign">{r.kind === 'add' ? '+' : r.kind === 'del' ? '−' : ''}</td>
                  <td>
                    <HighlightedLine text={r.text} lang={lang} hl={hl} />
                  </td>
                </tr>
              ),
            )}
            {diff.rows.length > shown.length ? (
              <tr className="hunk">
                <td colSpan={4}>{diff.rows.length - shown.length} more lines not shown</td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
    </div>
  );
});

function HighlightedLine({ text, lang, hl }: { readonly text: string; readonly lang: string | undefined; readonly hl: ReturnType<typeof useHighlighter> }) {
  const tree = useMemo(() => hl?.highlight(text, lang), [hl, text, lang]);
  return tree ? <HastView tree={tree} /> : <>{text || ' '}</>;
}

/** The diffs of a list of file changes (a fileChange item, or an approval's). */
export function DiffView({ changes, root }: { readonly changes: readonly FileUpdateChange[]; readonly root?: string }) {
  const diffs = useMemo(() => changes.map(fileDiffOf), [changes]);
  if (diffs.length === 0) return <div className="list-footer">No changes yet</div>;
  return (
    <div className="diff">
      {diffs.map((d) => (
        <FileDiffView key={d.path} diff={d} root={root} />
      ))}
    </div>
  );
}
