import { describe, expect, it } from 'vitest';
import { plainPreview, threadTitle } from './threadSummary';

describe('threadTitle', () => {
  it('shows a first message without its markdown marks', () => {
    expect(threadTitle({ name: null, preview: '**plan** the `release` for _v2_' })).toBe('plan the release for v2');
    expect(threadTitle({ name: null, preview: '# Fix [the bug](https://example.com/1) in ~~old~~ code' })).toBe('Fix the bug in old code');
    expect(threadTitle({ name: null, preview: '- first\n- second' })).toBe('first second');
    expect(threadTitle({ name: null, preview: '```ts\nconst a = 1;\n```' })).toBe('const a = 1;');
  });

  it('keeps what is not markdown: snake_case, arithmetic, lone stars', () => {
    expect(plainPreview('rename my_var_name to 2 * 3 * x')).toBe('rename my_var_name to 2 * 3 * x');
    expect(plainPreview('glob **/*.ts files')).toBe('glob **/*.ts files');
  });

  it("keeps a thread's name as it was given", () => {
    expect(threadTitle({ name: '**kept**', preview: 'x' })).toBe('**kept**');
  });

  it('falls back to New thread and bounds long titles', () => {
    expect(threadTitle({ name: null, preview: '   ' })).toBe('New thread');
    expect(threadTitle({ name: null, preview: 'a'.repeat(300) })).toHaveLength(201);
  });
});
