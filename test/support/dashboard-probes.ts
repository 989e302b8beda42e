/**
 * How the dashboard measures itself in Chromium (the bench's dashboard stage and the stand-in
 * load test share it): long tasks (PerformanceObserver 'longtask'), frame times
 * (requestAnimationFrame deltas) and, per pushed topic, the time from a message's arrival on the
 * EventSource to the next frame (the store's update plus Vue's render). Installed with
 * page.addInitScript before the page's own scripts; recording starts and stops on request.
 */
import type { Page } from 'playwright-core';

export const PAGE_PROBES = `(() => {
  const probe = { longTasks: [], frames: [], applied: {}, recording: false };
  window.__dtProbe = probe;
  new PerformanceObserver((list) => {
    if (probe.recording) for (const e of list.getEntries()) probe.longTasks.push(e.duration);
  }).observe({ type: 'longtask', buffered: false });
  let last = 0;
  const frame = (now) => {
    if (probe.recording && last) probe.frames.push(now - last);
    last = now;
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  const add = EventSource.prototype.addEventListener;
  EventSource.prototype.addEventListener = function (type, listener, options) {
    const timed = function (event) {
      const start = performance.now();
      const result = listener.call(this, event);
      if (probe.recording)
        requestAnimationFrame(() => (probe.applied[type] ??= []).push(performance.now() - start));
      return result;
    };
    return add.call(this, type, timed, options);
  };
})();`;

export interface ProbeReadout {
  longTasks: number[];
  frames: number[];
  applied: Record<string, number[]>;
}

/** Records for `ms` on a page opened with PAGE_PROBES and returns what the probes saw. */
export async function recordProbes(page: Page, ms: number): Promise<ProbeReadout> {
  await page.evaluate('window.__dtProbe.recording = true');
  await new Promise((resolve) => setTimeout(resolve, ms));
  await page.evaluate('window.__dtProbe.recording = false');
  return page.evaluate<ProbeReadout>('window.__dtProbe');
}
