/**
 * Resolves once the browser has painted the next frame, or after `maxWaitMs` when no frame
 * comes (a hidden window paints nothing). Work a screen does not show yet (the model list,
 * the host's details) goes after the first paint of what it does show instead of competing
 * with it for the main thread. Without `requestAnimationFrame` (Node) it resolves on the next task.
 */
export function afterNextPaint(maxWaitMs = 250): Promise<void> {
  return new Promise((resolve) => {
    const raf = globalThis.requestAnimationFrame;
    if (typeof raf !== 'function') {
      setTimeout(resolve, 0);
      return;
    }
    const timer = setTimeout(resolve, maxWaitMs);
    // A frame callback runs just before that frame is painted; a task it queues runs after.
    raf(() =>
      setTimeout(() => {
        clearTimeout(timer);
        resolve();
      }, 0),
    );
  });
}
