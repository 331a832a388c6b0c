import { describe, expect, it } from 'vitest';
import { displayNameProblem, toDisplayName } from './displayName.js';

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
