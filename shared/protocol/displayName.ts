/**
 * Display names that cross the wire (the host name in a pairing link, device and host names in
 * ClientAuth and welcome). The spec sets no bound (remote-protocol.md §2, §4); we choose
 * 1-64 Unicode code points, not blank, with no control characters and no bidirectional
 * overrides or isolates (which would let a name display as something else in a device list).
 */
import { z } from 'zod';

export const MAX_DISPLAY_NAME_CHARS = 64;

// C0/C1 controls, line/paragraph separators, bidi embeddings/overrides/isolates.
const FORBIDDEN = /[\p{Cc}\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;

/** Why `name` is not an acceptable display name, or undefined if it is. */
export function displayNameProblem(name: string): string | undefined {
  const chars = [...name].length;
  if (chars === 0 || name.trim() === '') return 'must not be empty';
  if (chars > MAX_DISPLAY_NAME_CHARS) return `must be at most ${MAX_DISPLAY_NAME_CHARS} characters`;
  if (FORBIDDEN.test(name)) return 'must not contain control or bidirectional-override characters';
  if (/\p{Cs}/u.test(name)) return 'must be well-formed Unicode';
  return undefined;
}

/** zod schema for a display name (see `displayNameProblem`). */
export const displayNameSchema = z.string().check((ctx) => {
  const problem = displayNameProblem(ctx.value);
  if (problem) ctx.issues.push({ code: 'custom', message: problem, input: ctx.value });
});

/**
 * Turns any string (an OS hostname, a user's input) into an acceptable display name: forbidden
 * characters dropped, whitespace trimmed, cut to 64 code points; `fallback` if nothing is left.
 */
export function toDisplayName(raw: string, fallback: string): string {
  const G = new RegExp(FORBIDDEN.source, 'gu');
  const cleaned = [...raw.replace(G, '').replace(/\p{Cs}/gu, '').trim()].slice(0, MAX_DISPLAY_NAME_CHARS).join('').trim();
  return cleaned || fallback;
}
