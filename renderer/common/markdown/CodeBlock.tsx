/** A fenced code block: plain at once, highlighted when the lazy highlighter arrives; with Copy. */
import { memo, useMemo, useState } from 'react';
import { HastView } from './HastView';
import { useHighlighter } from './useHighlighter';

export const CodeBlock = memo(function CodeBlock({ code, lang }: { readonly code: string; readonly lang: string | undefined }) {
  const hl = useHighlighter(!!lang);
  const tree = useMemo(() => hl?.highlight(code, lang), [hl, code, lang]);
  const [copied, setCopied] = useState(false);
  const copy = () => {
    void navigator.clipboard?.writeText(code).then(() => {
      setCopied(true);
      setTimeout(() => setCopied(false), 1200);
    });
  };
  return (
    <div className="code-block">
      <div className="code-block-head">
        <span>{lang || 'text'}</span>
        <button type="button" className="btn btn-ghost btn-sm" onClick={copy}>
          {copied ? 'Copied' : 'Copy'}
        </button>
      </div>
      <pre>
        <code className={lang ? `language-${lang}` : undefined}>{tree ? <HastView tree={tree} /> : code}</code>
      </pre>
    </div>
  );
});
