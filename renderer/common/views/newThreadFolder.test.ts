import { afterEach, describe, expect, it, vi } from 'vitest';
import { folderSuggestions, readLastFolder } from './newThreadFolder';

describe('folderSuggestions', () => {
  it('keeps the first of each folder in order and at most 12', () => {
    const many = Array.from({ length: 20 }, (_, i) => `/w/${i}`);
    expect(folderSuggestions(['/a', '/b', '/a', '/c'])).toEqual(['/a', '/b', '/c']);
    expect(folderSuggestions(many)).toEqual(many.slice(0, 12));
  });
});

describe('readLastFolder', () => {
  afterEach(() => vi.unstubAllGlobals());
  it('returns the stored folder, or "" when none is stored or storage throws', () => {
    const store = new Map([['k', '/repo']]);
    vi.stubGlobal('localStorage', { getItem: (k: string) => store.get(k) ?? null });
    expect(readLastFolder('k')).toBe('/repo');
    expect(readLastFolder('other')).toBe('');
    vi.stubGlobal('localStorage', {
      getItem: () => {
        throw new Error('blocked');
      },
    });
    expect(readLastFolder('k')).toBe('');
  });
});
