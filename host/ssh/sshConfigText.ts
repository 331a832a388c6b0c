/**
 * Parses one ssh_config text with the `ssh-config` package without letting one bad block take
 * the whole file down (docs/ssh.md: "discovery failing wholesale on one bad entry"). The text is
 * cut at every `Host`/`Match` line; each block is parsed on its own, and a block that the
 * parser rejects (an unterminated quote, a `Host` without patterns, a malformed keyword) is
 * reported with its line and alias while the others are kept.
 */
import SSHConfig, { LineType, type Line } from 'ssh-config';
import { errorMessage } from '../../shared/util/errors.js';

/** One block the parser could not read. */
export interface ConfigTextProblem {
  /** 1-based line of the block's first line. */
  readonly line: number;
  /** The first pattern of the block's `Host` line, when it has one. */
  readonly alias?: string;
  readonly message: string;
}

export interface ParsedConfigText {
  /** Every block that parsed, in file order. */
  readonly config: SSHConfig;
  /** 1-based line number of each top-level element of `config` (same indexes). */
  readonly lineOf: ReadonlyMap<Line, number>;
  readonly problems: readonly ConfigTextProblem[];
}

const SECTION_RE = /^\s*(host|match)(?:[\s=]|$)/i;
const KEYWORD_RE = /^[A-Za-z][A-Za-z0-9]*$/;

/** Parses `text`; never throws on content. */
export function parseConfigText(text: string): ParsedConfigText {
  const lines = text.split(/\r?\n/);
  const starts: number[] = [0];
  for (let i = 0; i < lines.length; i++) if (i > 0 && SECTION_RE.test(lines[i] ?? '')) starts.push(i);
  const config = SSHConfig.parse('');
  const lineOf = new Map<Line, number>();
  const problems: ConfigTextProblem[] = [];
  for (let b = 0; b < starts.length; b++) {
    const from = starts[b] ?? 0;
    const to = starts[b + 1] ?? lines.length;
    const blockText = lines.slice(from, to).join('\n');
    const header = (lines[from] ?? '').trim();
    const alias = SECTION_RE.test(header) && /^host/i.test(header) ? firstPattern(header) : undefined;
    let parsed: SSHConfig;
    try {
      if (/^host\s*=?\s*$/i.test(header)) throw new Error('Host needs at least one pattern');
      try {
        parsed = SSHConfig.parse(blockText);
      } catch (err) {
        // The parser's own errors are readable ("Unexpected line break at …"); a TypeError from
        // inside it is not, so say what we know instead.
        throw err instanceof TypeError ? new Error('this block could not be parsed') : err;
      }
      const bad = malformed(parsed);
      if (bad) throw new Error(bad);
    } catch (err) {
      problems.push({ line: from + 1, ...(alias !== undefined ? { alias } : {}), message: `line ${from + 1}: ${oneLine(errorMessage(err))}` });
      continue;
    }
    // Line numbers of top-level elements: count the newlines the parser kept in `before`.
    let cursor = from;
    for (const el of parsed) {
      cursor += countNewlines(el.before);
      if (el.type === LineType.DIRECTIVE) lineOf.set(el, cursor + 1);
      cursor += countNewlines(el.after) + countNewlinesInSection(el);
      config.push(el);
    }
  }
  return { config, lineOf, problems };
}

/** The reason a parsed block is unusable even though the parser did not throw. */
function malformed(block: SSHConfig): string | undefined {
  for (const el of block) {
    if (el.type !== LineType.DIRECTIVE) continue;
    if (!KEYWORD_RE.test(el.param)) return `"${oneLine(el.param).trim()}" is missing its value`;
    if (/^host$/i.test(el.param) && patternsOf(el.value).length === 0) return 'Host needs at least one pattern';
    if ('config' in el) {
      for (const inner of el.config) {
        if (inner.type === LineType.DIRECTIVE && !KEYWORD_RE.test(inner.param)) return `"${oneLine(inner.param).trim()}" is missing its value`;
      }
    }
  }
  return undefined;
}

/** The patterns of a `Host` value (string or the parser's array form). */
export function patternsOf(value: string | readonly { val: string }[]): string[] {
  if (typeof value === 'string') return value.split(/\s+/).filter((p) => p !== '');
  return value.map((v) => v.val).filter((p) => p !== '');
}

/** The values of an `Include` (several space-separated patterns are allowed). */
export function includePatternsOf(value: string | readonly { val: string }[]): string[] {
  return patternsOf(value);
}

function firstPattern(header: string): string | undefined {
  const rest = header.replace(/^host[\s=]*/i, '').trim();
  const first = rest.split(/\s+/)[0]?.replace(/^"|"$/g, '');
  return first ? first.slice(0, 120) : undefined;
}

function countNewlines(s: string | undefined): number {
  if (!s) return 0;
  let n = 0;
  for (const ch of s) if (ch === '\n') n++;
  return n;
}

function countNewlinesInSection(el: Line): number {
  if (el.type !== LineType.DIRECTIVE || !('config' in el)) return 0;
  let n = 0;
  for (const inner of (el as { config: SSHConfig }).config) {
    n += countNewlines(inner.before) + countNewlines(inner.after) + countNewlinesInSection(inner);
  }
  return n;
}

function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, ' ').slice(0, 300);
}
