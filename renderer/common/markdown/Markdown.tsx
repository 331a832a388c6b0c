/**
 * Markdown (agent messages, plans) rendered to React elements from marked's token stream.
 * Nothing is ever parsed as HTML: raw HTML in a message shows as the text it is, links open
 * only for http(s) and mailto, and images are shown as links (no request leaves the page for
 * a URL a model wrote). That is the sanitizing: React escapes every string, and no
 * `dangerouslySetInnerHTML` exists in the renderer.
 */
import { memo, type ReactNode } from 'react';
import { Lexer, type Token, type Tokens } from 'marked';
import { CodeBlock } from './CodeBlock';

/** Markdown longer than this is shown as plain text (the lexer is fast, but not free). */
const MAX_MARKDOWN_CHARS = 200_000;

export function safeHref(href: string): string | undefined {
  const h = href.trim();
  return /^(https?:|mailto:)/i.test(h) ? h : undefined;
}

function inline(tokens: readonly Token[] | undefined, keyPrefix: string): ReactNode[] {
  return (tokens ?? []).map((t, i) => renderInline(t, `${keyPrefix}.${i}`));
}

function renderInline(t: Token, key: string): ReactNode {
  switch (t.type) {
    case 'text': {
      const tt = t as Tokens.Text;
      return tt.tokens?.length ? <span key={key}>{inline(tt.tokens, key)}</span> : tt.text;
    }
    case 'escape':
      return (t as Tokens.Escape).text;
    case 'strong':
      return <strong key={key}>{inline((t as Tokens.Strong).tokens, key)}</strong>;
    case 'em':
      return <em key={key}>{inline((t as Tokens.Em).tokens, key)}</em>;
    case 'del':
      return <del key={key}>{inline((t as Tokens.Del).tokens, key)}</del>;
    case 'codespan':
      return <code key={key}>{(t as Tokens.Codespan).text}</code>;
    case 'br':
      return <br key={key} />;
    case 'link': {
      const l = t as Tokens.Link;
      const href = safeHref(l.href);
      const children = inline(l.tokens, key);
      return href ? (
        <a key={key} href={href} target="_blank" rel="noreferrer noopener" title={l.title ?? undefined}>
          {children}
        </a>
      ) : (
        <span key={key}>{children}</span>
      );
    }
    case 'image': {
      const im = t as Tokens.Image;
      const href = safeHref(im.href);
      return href ? (
        <a key={key} href={href} target="_blank" rel="noreferrer noopener">
          {im.text || href}
        </a>
      ) : (
        im.text
      );
    }
    case 'checkbox':
      return <input key={key} type="checkbox" checked={(t as Tokens.Checkbox).checked} readOnly disabled aria-label="task" />;
    case 'html':
      return (t as Tokens.HTML).raw;
    default:
      return 'tokens' in t && Array.isArray(t.tokens) ? <span key={key}>{inline(t.tokens, key)}</span> : (t.raw ?? '');
  }
}

function renderBlock(t: Token, key: string): ReactNode {
  switch (t.type) {
    case 'space':
    case 'def':
      return null;
    case 'paragraph':
      return <p key={key}>{inline((t as Tokens.Paragraph).tokens, key)}</p>;
    case 'heading': {
      const h = t as Tokens.Heading;
      const Tag = (`h${Math.min(4, Math.max(1, h.depth))}` as 'h1' | 'h2' | 'h3' | 'h4');
      return <Tag key={key}>{inline(h.tokens, key)}</Tag>;
    }
    case 'code': {
      const c = t as Tokens.Code;
      return <CodeBlock key={key} code={c.text} lang={c.lang?.split(/\s/)[0]} />;
    }
    case 'blockquote':
      return <blockquote key={key}>{blocks((t as Tokens.Blockquote).tokens, key)}</blockquote>;
    case 'hr':
      return <hr key={key} />;
    case 'list': {
      const l = t as Tokens.List;
      const items = l.items.map((it, i) => (
        <li key={`${key}.${i}`}>{it.loose ? blocks(it.tokens, `${key}.${i}`) : inline(it.tokens, `${key}.${i}`)}</li>
      ));
      return l.ordered ? (
        <ol key={key} start={typeof l.start === 'number' ? l.start : undefined}>
          {items}
        </ol>
      ) : (
        <ul key={key}>{items}</ul>
      );
    }
    case 'table': {
      const tb = t as Tokens.Table;
      return (
        <table key={key}>
          <thead>
            <tr>
              {tb.header.map((c, i) => (
                <th key={i} style={c.align ? { textAlign: c.align } : undefined}>
                  {inline(c.tokens, `${key}.h${i}`)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {tb.rows.map((row, r) => (
              <tr key={r}>
                {row.map((c, i) => (
                  <td key={i} style={c.align ? { textAlign: c.align } : undefined}>
                    {inline(c.tokens, `${key}.${r}.${i}`)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      );
    }
    case 'html':
      return <p key={key}>{(t as Tokens.HTML).raw}</p>;
    case 'text': {
      const tt = t as Tokens.Text;
      return <p key={key}>{tt.tokens?.length ? inline(tt.tokens, key) : tt.text}</p>;
    }
    default:
      return <p key={key}>{t.raw}</p>;
  }
}

function blocks(tokens: readonly Token[], keyPrefix: string): ReactNode[] {
  return tokens.map((t, i) => renderBlock(t, `${keyPrefix}.${i}`));
}

/** Renders `text` as markdown. */
export const Markdown = memo(function Markdown({ text, className }: { readonly text: string; readonly className?: string }) {
  const cls = `md${className ? ` ${className}` : ''}`;
  if (text.length > MAX_MARKDOWN_CHARS) return <div className={cls} style={{ whiteSpace: 'pre-wrap' }}>{text}</div>;
  let tokens: Token[];
  try {
    // breaks: a single newline is a line break, as in every chat view (models write that way).
    tokens = Lexer.lex(text, { gfm: true, breaks: true });
  } catch {
    return <div className={cls} style={{ whiteSpace: 'pre-wrap' }}>{text}</div>;
  }
  return <div className={cls}>{blocks(tokens, 'b')}</div>;
});
