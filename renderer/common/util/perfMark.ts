/**
 * Named moments in the page's performance timeline (`performance.mark`), so the renderer
 * benchmark (bench/rendererBench.ts) can split a first paint into connect, list request and
 * render. Free when nobody reads them; absent in environments without `performance`.
 */
export function perfMark(name: 'codexHost:connect' | 'codexHost:online' | 'codexHost:threadList:request' | 'codexHost:threadList:response'): void {
  try {
    globalThis.performance?.mark?.(name);
  } catch {
    // marks are diagnostics only
  }
}
