/**
 * Named moments in the page's performance timeline (`performance.mark`), so the renderer
 * benchmark (bench/rendererBench.ts) can split a first paint into connect, list request and
 * render. Free when nobody reads them; absent in environments without `performance`.
 */
export type PerfMarkName =
  | 'codexHost:connect'
  | 'codexHost:online'
  | 'codexHost:threadList:request'
  | 'codexHost:threadList:response'
  | 'codexHost:thread:resume'
  | 'codexHost:thread:resumed';

export function perfMark(name: PerfMarkName): void {
  try {
    globalThis.performance?.mark?.(name);
  } catch {
    // marks are diagnostics only
  }
}
