/**
 * A component in a chunk of its own that can be fetched ahead of use and then renders without
 * suspending. `React.lazy` alone suspends on the first render of every page even when the
 * chunk is already loaded (its factory's promise settles a microtask later), and React 19 then
 * holds the boundary's content back for up to 300 ms after the fallback was painted (its
 * "fallback throttle"): the first thread a window opened appeared ~300 ms late whatever its
 * size. Once `preload()` has settled, a new mount renders the loaded component directly.
 */
import { lazy, useState, type ComponentType } from 'react';

export interface PreloadableView<P extends object> {
  /** Fetches the chunk (once; a failed fetch is retried by the next call). */
  preload(): Promise<ComponentType<P>>;
  /** The component: suspends (inside a Suspense boundary) only while the chunk is not loaded yet. */
  readonly View: ComponentType<P>;
}

export function preloadableView<P extends object>(load: () => Promise<ComponentType<P>>): PreloadableView<P> {
  let loaded: ComponentType<P> | undefined;
  let pending: Promise<ComponentType<P>> | undefined;
  const preload = (): Promise<ComponentType<P>> =>
    (pending ??= load().then(
      (c) => (loaded = c),
      (err: unknown) => {
        pending = undefined;
        throw err;
      },
    ));
  const Lazy = lazy(() => preload().then((c) => ({ default: c })));

  function View(props: P) {
    // Chosen once per mount: switching from Lazy to the loaded component later would be a
    // different element type to React, which would remount the view and lose its state.
    const [Chosen] = useState<ComponentType<P>>(() => loaded ?? Lazy);
    return <Chosen {...props} />;
  }
  return { preload, View };
}
