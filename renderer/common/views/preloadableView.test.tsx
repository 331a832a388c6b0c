// @vitest-environment jsdom
import { act, cleanup, render, screen } from '@testing-library/react';
import { Suspense, useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { preloadableView } from './preloadableView';

afterEach(cleanup);

function Counter({ label }: { readonly label: string }) {
  const [n, setN] = useState(0);
  return (
    <button type="button" onClick={() => setN(n + 1)}>
      {label} {n}
    </button>
  );
}

const inSuspense = (node: React.ReactNode) => <Suspense fallback={<p>loading</p>}>{node}</Suspense>;

describe('a preloadable view', () => {
  it('renders at once, without its fallback, once preloaded', async () => {
    const { preload, View } = preloadableView(() => Promise.resolve(Counter));
    await preload();
    act(() => {
      render(inSuspense(<View label="ready" />));
    });
    // No await after the render: a plain React.lazy would still show "loading" here.
    expect(screen.queryByText('loading')).toBeNull();
    expect(screen.getByRole('button').textContent).toBe('ready 0');
  });

  it('shows the fallback while not loaded, then keeps its state when re-rendered after loading', async () => {
    let resolve!: (c: typeof Counter) => void;
    const { View } = preloadableView(() => new Promise<typeof Counter>((r) => (resolve = r)));
    const { rerender } = render(inSuspense(<View label="first" />));
    expect(screen.getByText('loading')).toBeTruthy();
    await act(async () => resolve(Counter));
    act(() => screen.getByRole('button').click());
    expect(screen.getByRole('button').textContent).toBe('first 1');
    rerender(inSuspense(<View label="again" />));
    expect(screen.getByRole('button').textContent).toBe('again 1');
  });

  it('fetches once, and again after a failed fetch', async () => {
    let calls = 0;
    const { preload } = preloadableView(() => (++calls === 1 ? Promise.reject(new Error('offline')) : Promise.resolve(Counter)));
    await expect(preload()).rejects.toThrow('offline');
    await expect(preload()).resolves.toBe(Counter);
    await preload();
    expect(calls).toBe(2);
  });
});
