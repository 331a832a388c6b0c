import { describe, expect, it } from 'vitest';
import type { EnvironmentSummary } from '../../common/host/hostApi';
import { parseKnownEnvironments, storableEnvironments } from './knownEnvironments';

const LIST: EnvironmentSummary[] = [
  { id: 'local', label: 'Build Box', detail: 'build-box', kind: 'local', state: 'running' },
  { id: 'remote:ab', label: 'Studio Laptop', detail: '', kind: 'remote', state: 'failed', lastError: 'gone' },
];

describe('the environments a phone remembers of a host', () => {
  it('keeps what the chips show and reads it back', () => {
    const stored = storableEnvironments(LIST);
    expect(stored).toEqual([
      { id: 'local', label: 'Build Box', detail: 'build-box', kind: 'local' },
      { id: 'remote:ab', label: 'Studio Laptop', detail: '', kind: 'remote' },
    ]);
    expect(parseKnownEnvironments(JSON.parse(JSON.stringify(stored)))).toEqual(stored);
  });

  it('reads a damaged list as none', () => {
    for (const v of [undefined, null, 'x', {}, [null], [{ id: 'local' }], [{ id: '', label: 'a', detail: '', kind: 'local' }], [{ id: 'x', label: 'a', detail: '', kind: 'moon' }], Array.from({ length: 65 }, () => ({ id: 'x', label: 'a', detail: '', kind: 'ssh' }))]) {
      expect(parseKnownEnvironments(v)).toEqual([]);
    }
  });

  it('cuts long names to what it reads back, so one long SSH detail does not lose every chip', () => {
    const long: EnvironmentSummary[] = [...LIST, { id: 'ssh:box', label: 'b'.repeat(300), detail: 'd'.repeat(600), kind: 'ssh' }];
    const back = parseKnownEnvironments(JSON.parse(JSON.stringify(storableEnvironments(long))));
    expect(back.map((e) => [e.id, e.label.length, e.detail.length])).toEqual([
      ['local', 9, 9],
      ['remote:ab', 13, 0],
      ['ssh:box', 256, 512],
    ]);
  });
});
