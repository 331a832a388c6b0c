import { describe, expect, it } from 'vitest';
import { displayNameProblem, displayNameSchema, toDisplayName } from './displayName.js';

describe('toDisplayName', () => {
  it('makes any hostname an acceptable display name', () => {
    for (const raw of ['devbox', `a${'b'.repeat(100)}`, 'evil\u202egnp.exe', 'tab\there\n', '   ', '']) {
      expect(displayNameProblem(toDisplayName(raw, 'Codex Host'))).toBeUndefined();
    }
    expect(toDisplayName('evil\u202egnp', 'x')).toBe('evilgnp');
    expect(toDisplayName('   ', 'Codex Host')).toBe('Codex Host');
    expect([...toDisplayName('é'.repeat(80), 'x')]).toHaveLength(64);
  });
});

describe('invisible and format characters (red-team P15)', () => {
  it('refuses names made only of invisible or format characters', () => {
    for (const name of ['\u200b', '\u200b\u200b', '\u200e\u200f', '\u061c', ' \u200b ', '\u3164', '\u2800', '\u{e0041}\u{e0042}', '\u00ad']) {
      expect(displayNameProblem(name), JSON.stringify(name)).toBe('must contain a visible character (it is only invisible or format characters)');
    }
    // A lone BOM counts as white space for String.prototype.trim: refused as empty.
    expect(displayNameProblem('\ufeff')).toBe('must not be empty');
  });

  it('strips format characters from accepted names, keeping the joiner inside emoji', () => {
    const parse = (s: string) => displayNameSchema.parse(s);
    expect(parse('Work phone\u200b')).toBe('Work phone');
    expect(parse('\u200eWork\u200f phone\u061c')).toBe('Work phone');
    expect(parse('Wo\u2060rk\ufeff')).toBe('Work');
    expect(parse('a\u200db')).toBe('ab');
    // 👩‍💻 (woman, ZWJ, laptop) and 👩🏽‍💻 (with a skin tone) keep their joiner.
    expect(parse('Dev \u{1f469}\u200d\u{1f4bb}')).toBe('Dev \u{1f469}\u200d\u{1f4bb}');
    expect(parse('\u{1f469}\u{1f3fd}\u200d\u{1f4bb}')).toBe('\u{1f469}\u{1f3fd}\u200d\u{1f4bb}');
    expect(parse('\u{1f469}\u200d')).toBe('\u{1f469}');
  });

  it('still refuses bidi overrides and isolates rather than stripping them', () => {
    expect(displayNameProblem('evil\u202egnp')).toBe('must not contain control or bidirectional-override characters');
    expect(displayNameProblem('a\u2067b')).toBe('must not contain control or bidirectional-override characters');
  });

  it('toDisplayName drops format characters and falls back when nothing visible is left', () => {
    expect(toDisplayName('dev\u200bbox\u200e', 'Codex Host')).toBe('devbox');
    expect(toDisplayName('\u200b\u200b', 'Device')).toBe('Device');
    expect(toDisplayName('\u3164', 'Device')).toBe('Device');
  });
});
