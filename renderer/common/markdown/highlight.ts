/**
 * The syntax highlighter, loaded on first use so the first screen stays small (lowlight =
 * highlight.js grammars producing a tree, never an HTML string). `loadHighlighter()` starts
 * the download once; components render plain text until it resolves.
 */
import type { Root } from 'hast';

export interface Highlighter {
  /** The highlighted tree, or undefined for an unknown language or text too long to be worth it. */
  highlight(code: string, lang: string | undefined): Root | undefined;
}

/** Text longer than this stays plain (highlighting big logs costs more than it helps). */
const MAX_HIGHLIGHT_CHARS = 100_000;

let loading: Promise<Highlighter> | undefined;
let loaded: Highlighter | undefined;

/** The highlighter if it has loaded already (for a first render without flicker). */
export function highlighterIfLoaded(): Highlighter | undefined {
  return loaded;
}

export function loadHighlighter(): Promise<Highlighter> {
  loading ??= import('lowlight').then(({ createLowlight, common }) => {
    const lowlight = createLowlight(common);
    const h: Highlighter = {
      highlight(code, lang) {
        if (!lang || code.length > MAX_HIGHLIGHT_CHARS) return undefined;
        const name = lang.toLowerCase();
        if (!lowlight.registered(name)) return undefined;
        try {
          return lowlight.highlight(name, code);
        } catch {
          return undefined;
        }
      },
    };
    loaded = h;
    return h;
  });
  return loading;
}

const EXT_LANG: Readonly<Record<string, string>> = {
  ts: 'typescript', tsx: 'typescript', mts: 'typescript', cts: 'typescript',
  js: 'javascript', jsx: 'javascript', mjs: 'javascript', cjs: 'javascript',
  py: 'python', rb: 'ruby', rs: 'rust', go: 'go', java: 'java', kt: 'kotlin', swift: 'swift',
  c: 'c', h: 'c', cc: 'cpp', cpp: 'cpp', hpp: 'cpp', cs: 'csharp', php: 'php', lua: 'lua', pl: 'perl', r: 'r',
  sh: 'bash', bash: 'bash', zsh: 'bash', json: 'json', yml: 'yaml', yaml: 'yaml', toml: 'ini', ini: 'ini',
  md: 'markdown', css: 'css', scss: 'scss', less: 'less', html: 'xml', xml: 'xml', svg: 'xml', sql: 'sql',
  graphql: 'graphql', diff: 'diff', patch: 'diff', makefile: 'makefile', mk: 'makefile',
};

/** The highlight.js language for a file path (by extension), if known. */
export function languageForPath(path: string): string | undefined {
  const name = path.split(/[\\/]/).pop()?.toLowerCase() ?? '';
  if (name === 'makefile') return 'makefile';
  if (name === 'dockerfile') return undefined;
  const ext = name.includes('.') ? name.split('.').pop()! : '';
  return EXT_LANG[ext];
}
