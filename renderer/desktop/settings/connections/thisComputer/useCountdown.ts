/** Seconds left until `untilMs`, re-rendering every second; calls `onZero` once when it runs out. */
import { useEffect, useRef, useState } from 'react';

export function useCountdown(untilMs: number | undefined, onZero: () => void): number | undefined {
  const [now, setNow] = useState(() => Date.now());
  const zero = useRef(onZero);
  zero.current = onZero;
  useEffect(() => {
    if (untilMs === undefined) return;
    setNow(Date.now());
    let fired = false;
    const t = setInterval(() => {
      const n = Date.now();
      setNow(n);
      if (!fired && n >= untilMs) {
        fired = true;
        zero.current();
      }
    }, 1000);
    return () => clearInterval(t);
  }, [untilMs]);
  return untilMs === undefined ? undefined : Math.max(0, Math.ceil((untilMs - now) / 1000));
}

/** "9:05" for 545 seconds. */
export function mmss(seconds: number): string {
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}
