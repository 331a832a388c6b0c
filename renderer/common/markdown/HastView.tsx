/** Renders a highlighter's hast tree as React elements (spans with hljs-* classes, text). */
import type { ReactNode } from 'react';
import type { ElementContent, Root, RootContent } from 'hast';

function node(n: RootContent | ElementContent, key: number): ReactNode {
  if (n.type === 'text') return n.value;
  if (n.type === 'element') {
    const cls = n.properties?.className;
    const className = Array.isArray(cls) ? cls.join(' ') : typeof cls === 'string' ? cls : undefined;
    return (
      <span key={key} className={className}>
        {n.children.map(node)}
      </span>
    );
  }
  return null;
}

export function HastView({ tree }: { readonly tree: Root }) {
  return <>{tree.children.map(node)}</>;
}
