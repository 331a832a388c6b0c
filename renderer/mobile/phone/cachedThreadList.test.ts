import { describe, expect, it } from 'vitest';
import type { ThreadSummary } from '../../common/stores/threadSummary';
import { parseCachedThreadList, storableThreadList } from './cachedThreadList';

const thread = (i: number): ThreadSummary => ({ id: `t-${i}`, title: `Thread ${i}`, cwd: '/home/me/project', updatedAt: 1_700_000_000 + i, activity: i === 0 ? 'running' : 'idle' });

describe('the thread list a phone keeps of a host', () => {
  it('keeps the first page without activity and reads it back', () => {
    const stored = storableThreadList('local', Array.from({ length: 80 }, (_, i) => thread(i)));
    expect(stored.threads).toHaveLength(50);
    expect(stored.threads[0]).toEqual({ id: 't-0', title: 'Thread 0', cwd: '/home/me/project', updatedAt: 1_700_000_000, activity: 'notLoaded' });
    expect(parseCachedThreadList(JSON.parse(JSON.stringify(stored)))).toEqual(stored);
  });

  it('reads a damaged list as none', () => {
    const good = storableThreadList('local', [thread(1)]);
    for (const v of [
      undefined,
      null,
      'x',
      { ...good, environmentId: '' },
      { ...good, threads: 'x' },
      { ...good, threads: [null] },
      { ...good, threads: [{ ...good.threads[0], updatedAt: 'yesterday' }] },
      { ...good, threads: [{ ...good.threads[0], title: 'x'.repeat(201) }] },
      { ...good, threads: Array.from({ length: 51 }, (_, i) => thread(i)) },
    ]) {
      expect(parseCachedThreadList(v)).toBeUndefined();
    }
  });
});
