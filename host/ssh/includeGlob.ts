/**
 * Expands one `Include` argument the way OpenSSH does (readconf.c): `~` is the home folder, a
 * relative path is relative to `~/.ssh` for the user's config, and the result is glob(3)-
 * expanded (`*`, `?`, `[…]` per path segment, no match for a leading dot unless the pattern
 * has one), sorted. A pattern that matches nothing is not an error for OpenSSH, so it is not
 * one here either.
 */
import path from 'node:path';
import type { ConfigFs } from './configFs.js';

export interface IncludeContext {
  readonly home: string;
  /** The folder relative `Include` paths start from (`~/.ssh`). */
  readonly sshDir: string;
}

const MAGIC = /[*?[]/;

/** The absolute path an `Include` argument names before globbing. */
export function includePath(arg: string, ctx: IncludeContext): string {
  let p = arg;
  if (p === '~' || p.startsWith('~/')) p = path.join(ctx.home, p.slice(1));
  return path.isAbsolute(p) ? path.normalize(p) : path.join(ctx.sshDir, p);
}

/** Every existing path `arg` names, sorted, at most `limit` of them. */
export async function expandInclude(arg: string, ctx: IncludeContext, fs: ConfigFs, limit: number): Promise<string[]> {
  const abs = includePath(arg, ctx);
  if (!MAGIC.test(abs)) return [abs];
  const segments = abs.split(path.sep).filter((s) => s !== '');
  let bases: string[] = [path.sep];
  for (const seg of segments) {
    const next: string[] = [];
    for (const base of bases) {
      if (!MAGIC.test(seg)) {
        next.push(path.join(base, seg));
        continue;
      }
      let names: string[];
      try {
        names = await fs.readdir(base);
      } catch {
        continue;
      }
      const re = segmentRegExp(seg);
      for (const n of names.sort()) {
        if (n.startsWith('.') && !seg.startsWith('.')) continue;
        if (re.test(n)) next.push(path.join(base, n));
        if (next.length >= limit) break;
      }
    }
    bases = next;
    if (bases.length === 0) return [];
  }
  return bases.slice(0, limit);
}

/** A glob(3) segment as a RegExp: `*` any run, `?` one char, `[…]`/`[!…]` a class. */
export function segmentRegExp(seg: string): RegExp {
  let re = '';
  for (let i = 0; i < seg.length; i++) {
    const c = seg[i]!;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = seg.indexOf(']', i + 2);
      if (end === -1) {
        re += '\\[';
        continue;
      }
      let body = seg.slice(i + 1, end);
      const negate = body.startsWith('!') || body.startsWith('^');
      if (negate) body = body.slice(1);
      re += `[${negate ? '^' : ''}${body.replace(/[\\\]^]/g, '\\$&')}]`;
      i = end;
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}
