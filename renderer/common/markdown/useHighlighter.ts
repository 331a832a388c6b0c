/** The lazily loaded highlighter, as a hook: undefined until it has loaded (then a re-render). */
import { useEffect, useState } from 'react';
import { highlighterIfLoaded, loadHighlighter, type Highlighter } from './highlight';

export function useHighlighter(wanted = true): Highlighter | undefined {
  const [h, setH] = useState<Highlighter | undefined>(highlighterIfLoaded);
  useEffect(() => {
    if (h || !wanted) return;
    let live = true;
    loadHighlighter().then(
      (x) => live && setH(x),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [h, wanted]);
  return h;
}
