/**
 * What the phone benchmark reads from inside the page, installed before any of the app's code
 * runs (`addInitScript`): the times of every WebSocket the app opens (created, open, closed)
 * and of its sends, every click with the `data-testid` it landed on, and the browser's own
 * paint times of elements marked `elementtiming` (Element Timing), next to the renderer's
 * performance marks (renderer/common/util/perfMark.ts). All times are `performance.now()`,
 * ms after the page's navigation start. The wrapper only records and forwards: the app's
 * sockets behave exactly as without it.
 *
 * In-page code is text: tsx would otherwise wrap named functions in a `__name` helper the page
 * does not have.
 */
import type { Page } from 'playwright-core';
import { epochNowMs } from './stats.js';

export const PAGE_PROBE = `(() => {
  const probe = { sockets: [], sends: [], clicks: [], paints: {} };
  Object.defineProperty(window, '__benchProbe', { value: probe });
  const Native = window.WebSocket;
  class ProbedWebSocket extends Native {
    constructor(url, protocols) {
      super(url, protocols);
      const rec = { url: String(url), created: performance.now(), opened: NaN, closed: NaN, events: [] };
      this.__benchRec = rec;
      probe.sockets.push(rec);
      this.addEventListener('open', () => { rec.opened = performance.now(); });
      this.addEventListener('close', () => { rec.closed = performance.now(); });
      // The first frames each way (the handshake and the first requests), not a whole session.
      this.addEventListener('message', () => { if (rec.events.length < 40) rec.events.push({ at: performance.now(), dir: 'in' }); });
    }
    send(data) {
      const at = performance.now();
      probe.sends.push(at);
      if (probe.sends.length > 2000) probe.sends.splice(0, 1000);
      if (this.__benchRec.events.length < 40) this.__benchRec.events.push({ at, dir: 'out' });
      return super.send(data);
    }
  }
  window.WebSocket = ProbedWebSocket;
  document.addEventListener('click', (e) => {
    const t = e.target instanceof Element ? e.target.closest('[data-testid]') : null;
    probe.clicks.push({ at: e.timeStamp, testId: t ? t.getAttribute('data-testid') : null, text: e.target instanceof Element ? (e.target.closest('button') || e.target).textContent : null });
  }, true);
  // Element entries are not in the performance timeline: a buffered observer keeps them all.
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const at = e.renderTime || e.loadTime;
      (probe.paints[e.identifier] = probe.paints[e.identifier] || []).push(at);
    }
  }).observe({ type: 'element', buffered: true });
})();`;

export interface ProbeSocket {
  readonly url: string;
  readonly created: number;
  readonly opened: number;
  readonly closed: number;
  /** The socket's first frames, in order: `in` = received, `out` = sent. */
  readonly events: readonly { at: number; dir: 'in' | 'out' }[];
}

export interface ProbeReading {
  readonly sockets: readonly ProbeSocket[];
  readonly sends: readonly number[];
  readonly clicks: readonly { at: number; testId: string | null; text: string | null }[];
  /** elementtiming identifier → paint times (a screen shown twice paints twice). */
  readonly paints: Readonly<Record<string, readonly number[]>>;
  /** performance mark name → times. */
  readonly marks: Readonly<Record<string, readonly number[]>>;
  /** Navigation timing: the document's response, and when its scripts had arrived (the last script resource's responseEnd). */
  readonly nav: { readonly responseStart: number; readonly responseEnd: number; readonly scriptsEnd: number; readonly domInteractive: number };
}

export function readProbe(page: Page): Promise<ProbeReading> {
  return page.evaluate(`(() => {
    const p = window.__benchProbe;
    const marks = {};
    for (const m of performance.getEntriesByType('mark')) (marks[m.name] = marks[m.name] || []).push(m.startTime);
    const n = performance.getEntriesByType('navigation')[0] || {};
    const scripts = performance.getEntriesByType('resource').filter((r) => r.name.endsWith('.js') && r.startTime <= (n.domInteractive || 0));
    const nav = { responseStart: n.responseStart, responseEnd: n.responseEnd, domInteractive: n.domInteractive, scriptsEnd: scripts.length ? Math.max(...scripts.map((r) => r.responseEnd)) : NaN };
    return { sockets: p.sockets, sends: p.sends, clicks: p.clicks, paints: p.paints, marks, nav };
  })()`) as Promise<ProbeReading>;
}

/** Resolves with the first paint of `identifier` at or after `since` (ms after navigation start). */
export function paintOf(page: Page, identifier: string, since = 0, timeoutMs = 30_000): Promise<number> {
  return page.evaluate(`new Promise((resolve, reject) => {
    const probe = window.__benchProbe;
    const find = () => (probe.paints[${JSON.stringify(identifier)}] || []).find((t) => t >= ${since});
    const tick = () => {
      const t = find();
      if (t !== undefined) return resolve(t);
      if (performance.now() > deadline) return reject(new Error('no paint of ${identifier} within ${timeoutMs} ms'));
      setTimeout(tick, 10);
    };
    const deadline = performance.now() + ${timeoutMs};
    tick();
  })`) as Promise<number>;
}

/**
 * The page's clock against this process's (`epochNowMs`): page epoch ms = node epoch ms + offset.
 * Both are wall clocks started at their origins; the offset is measured, not assumed, to within
 * half of one `evaluate` round trip (the lowest of a few is kept).
 */
export async function pageClockOffset(page: Page, tries = 5): Promise<{ offsetMs: number; errorMs: number }> {
  let best = { offsetMs: 0, errorMs: Number.POSITIVE_INFINITY };
  for (let i = 0; i < tries; i++) {
    const before = epochNowMs();
    const inPage = (await page.evaluate('performance.timeOrigin + performance.now()')) as number;
    const after = epochNowMs();
    const errorMs = (after - before) / 2;
    if (errorMs < best.errorMs) best = { offsetMs: inPage - (before + after) / 2, errorMs };
  }
  return best;
}

/** The page's `performance.timeOrigin` (epoch ms on the page's clock). */
export function pageTimeOrigin(page: Page): Promise<number> {
  return page.evaluate('performance.timeOrigin') as Promise<number>;
}

/** The last of `xs` at or after `since`, NaN when none. */
export function lastAfter(xs: readonly number[] | undefined, since: number): number {
  const after = (xs ?? []).filter((x) => x >= since);
  return after.length ? after[after.length - 1]! : Number.NaN;
}

/**
 * Splits `from` → `until` of one socket into waiting for the other side (from `from`, or from a
 * frame sent, to the next frame received: connecting, the relay, the host) and the page's own
 * work (from a frame received to the next frame it sends, or to `until`: crypto, parsing, the
 * app's code). Frames sent back to back count their gap as work.
 */
export function pageWorkAndWait(s: ProbeSocket, from: number, until: number): { work: number; wait: number } {
  let work = 0;
  let wait = 0;
  let t = from;
  let waiting = true;
  for (const e of s.events) {
    if (e.at < from || e.at > until) continue;
    if (e.dir === 'in' && waiting) {
      wait += e.at - t;
      t = e.at;
      waiting = false;
    } else if (e.dir === 'out') {
      work += e.at - t;
      t = e.at;
      waiting = true;
    }
  }
  if (waiting) wait += until - t;
  else work += until - t;
  return { work, wait };
}

/** The first of `xs` at or after `since`, NaN when none. */
export function firstAfter(xs: readonly number[] | undefined, since: number): number {
  return (xs ?? []).find((x) => x >= since) ?? Number.NaN;
}
