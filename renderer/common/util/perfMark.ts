/**
 * Named moments in the page's performance timeline (`performance.mark`), so the renderer
 * benchmarks (bench/rendererBench.ts, bench/phoneBench.ts) can split a first paint into connect, list request and
 * render. Free when nobody reads them; absent in environments without `performance`.
 */
export type PerfMarkName =
  | 'codexHost:connect'
  | 'codexHost:online'
  | 'codexHost:threadList:request'
  | 'codexHost:threadList:response'
  | 'codexHost:thread:resume'
  | 'codexHost:thread:resumed'
  // the phone app's start-up (bench/phoneBench.ts): script running, storage open, device key
  // loaded, the kept thread list put on screen
  | 'codexPhone:boot'
  | 'codexPhone:storage'
  | 'codexPhone:deviceKey'
  | 'codexPhone:cachedThreadList';

export function perfMark(name: PerfMarkName): void {
  try {
    globalThis.performance?.mark?.(name);
  } catch {
    // marks are diagnostics only
  }
}
