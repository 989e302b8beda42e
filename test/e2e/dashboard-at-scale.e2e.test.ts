/**
 * The dashboard at 100 backends stays responsive in real Chromium (issue 17, point 3), against the
 * stand-in engine: 100 rows, hits for every backend and a status push every second, measured for
 * 10 s with the Performance API (dashboard-load.ts). No Docker needed; the figure against the real
 * engine is the bench's dashboard stage.
 */
import { describe, expect, it } from 'vitest';
import { buildRenderer, measureDashboardLoad } from './dashboard-load.js';

/**
 * Loose on purpose: the goal (p95 < 50 ms) is the bench's, against the real engine on a quiet
 * machine. Here the test shares 2 cores with other work, which stretches any task (after the fix,
 * p95 0–95 ms here under a load average of 10–50), so this bound only catches a gross regression
 * (the real engine's 718 ms before the fix). The stand-in's data is lighter than the real engine's:
 * the page from before the fix had a p95 of 92–290 ms here depending on load, so the finer guard,
 * that a push re-renders only the rows that changed, is counted, not timed, in
 * test/renderer/pushes-at-scale.test.ts.
 */
const P95_LONG_TASK_BOUND_MS = 200;

describe('dashboard at 100 backends (Chromium, contract stand-in)', () => {
  it('shows every row and keeps long tasks short while hits and status pushes arrive', async () => {
    await buildRenderer();
    const load = await measureDashboardLoad({ backends: 100, liveMs: 10_000 });
    console.log(`dashboard at 100 stand-in backends: ${JSON.stringify(load)}`);
    expect(load.rowsShown).toBe(100);
    // Only the rows in the table’s view are in the page (BackendsTable.vue).
    expect(load.rowsInDom).toBeLessThan(40);
    expect(load.problems).toEqual([]);
    // Every push was applied (the page kept up), and the long tasks stayed short.
    expect(load.hitsApplyMs.n).toBeGreaterThanOrEqual(8);
    expect(load.longTasks.p95Ms).toBeLessThan(P95_LONG_TASK_BOUND_MS);
  }, 180_000);
});
