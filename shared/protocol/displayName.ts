/**
 * Display names that cross the wire (the host name in a pairing link, device and host names in
 * ClientAuth and welcome, a device renamed by the user). The spec sets no bound
 * (remote-protocol.md §2, §4); we choose 1-64 Unicode code points with at least one visible
 * character, no control characters and no bidirectional overrides or isolates (which would let
 * a name display as something else in a device list).
 *
 * Other format characters (Unicode Cf: LRM, RLM, ALM, zero-width space/non-joiner/joiner, word
 * joiner, BOM, soft hyphen, tag characters) are invisible: they would let "Work phone\u200b"
 * sit next to "Work phone" as a look-alike. They are stripped from accepted names, except a
 * zero-width joiner inside an emoji sequence (👩‍💻), where it is part of the picture. A name made
 * only of invisible characters is refused.
 */
import { z } from 'zod';

export const MAX_DISPLAY_NAME_CHARS = 64;

// C0/C1 controls, line/paragraph separators, bidi embeddings/overrides/isolates.
const FORBIDDEN = /[\p{Cc}\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;
// What renders as nothing: white space, default-ignorable code points (which include every
// format character, variation selectors and the Hangul fillers) and the blank braille pattern.
const INVISIBLE = /^[\p{White_Space}\p{Default_Ignorable_Code_Point}\p{Cf}\u2800]*$/u;
const FORMAT_CHAR = /\p{Cf}/u;
const ZWJ = '\u200d';
// A zero-width joiner is kept between an emoji (or its skin-tone modifier / emoji presentation
// selector) and the next emoji.
const EMOJI_BEFORE_ZWJ = /[\p{Extended_Pictographic}\p{Emoji_Modifier}\ufe0f]/u;
const EMOJI_AFTER_ZWJ = /\p{Extended_Pictographic}/u;

/** `name` without its format characters (see the module comment; the emoji joiner stays). */
export function stripFormatCharacters(name: string): string {
  const cps = [...name];
  let out = '';
  for (let i = 0; i < cps.length; i++) {
    const c = cps[i]!;
    if (!FORMAT_CHAR.test(c)) out += c;
    else if (c === ZWJ && EMOJI_BEFORE_ZWJ.test(cps[i - 1] ?? '') && EMOJI_AFTER_ZWJ.test(cps[i + 1] ?? '')) out += c;
  }
  return out;
}

/** Why `name` is not an acceptable display name, or undefined if it is. */
export function displayNameProblem(name: string): string | undefined {
  const chars = [...name].length;
  if (chars === 0 || name.trim() === '') return 'must not be empty';
  if (chars > MAX_DISPLAY_NAME_CHARS) return `must be at most ${MAX_DISPLAY_NAME_CHARS} characters`;
  if (FORBIDDEN.test(name)) return 'must not contain control or bidirectional-override characters';
  if (/\p{Cs}/u.test(name)) return 'must be well-formed Unicode';
  if (INVISIBLE.test(name)) return 'must contain a visible character (it is only invisible or format characters)';
  return undefined;
}

/**
 * zod schema for a display name: refuses what `displayNameProblem` refuses, and its output is
 * the name with format characters stripped.
 */
export const displayNameSchema = z
  .string()
  .check((ctx) => {
    const problem = displayNameProblem(ctx.value);
    if (problem) ctx.issues.push({ code: 'custom', message: problem, input: ctx.value });
  })
  .transform(stripFormatCharacters);

/**
 * Turns any string (an OS hostname, a user's input) into an acceptable display name: forbidden
 * and format characters dropped, whitespace trimmed, cut to 64 code points; `fallback` if
 * nothing visible is left.
 */
export function toDisplayName(raw: string, fallback: string): string {
  const G = new RegExp(FORBIDDEN.source, 'gu');
  const cleaned = [...stripFormatCharacters(raw.replace(G, '').replace(/\p{Cs}/gu, '')).trim()].slice(0, MAX_DISPLAY_NAME_CHARS).join('').trim();
  return cleaned && !INVISIBLE.test(cleaned) ? cleaned : fallback;
}
