/**
 * The dashboard under live load without Docker: the stand-in engine (fake-engine.ts) with N
 * backends, hits and status pushed every second, the dashboard open in Chromium measuring itself
 * (test/support/dashboard-probes.ts). The stand-in load test asserts on it; run it alone to
 * measure while working on the renderer:
 *
 *   npx tsx test/e2e/dashboard-load.ts [backends=100] [seconds=10] [cpuThrottle=1] [scaleStep=0] [rps]
 *
 * (scaleStep=1: 100 → 90 → 100 under the page, so timeline pushes arrive too; rps=137: uneven
 * traffic, each row's rate and share move every second, as through the real LB; DT_TRACE=FILE
 * records a Chromium trace of the window for test/support/long-task-trace.ts)
 * (builds the renderer first; DT_SKIP_RENDERER_BUILD=1 uses renderer/dist as it is).
 */
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { build } from 'vite';
import { summarize, type Summary } from '../../bench/stats.js';
import { PAGE_PROBES, recordProbes } from '../support/dashboard-probes.js';
import { startFakeEngine } from './fake-engine.js';
import { CHROMIUM, CHROMIUM_ARGS } from '../support/chromium.js';
import { traceIfAsked } from '../support/long-task-trace.js';

const rendererDir = fileURLToPath(new URL('../../renderer/', import.meta.url));
const distDir = fileURLToPath(new URL('../../renderer/dist/', import.meta.url));

export interface DashboardLoad {
  backends: number;
  /** Rows the backends table counts (all registered), and those in the DOM (in its view). */
  rowsShown: number;
  rowsInDom: number;
  /** Long tasks in the window: how many, p95, the longest, and their sum (time the page was blocked). */
  longTasks: { count: number; p95Ms: number; maxMs: number; totalMs: number };
  frameMs: Summary;
  statusApplyMs: Summary;
  hitsApplyMs: Summary;
  /** Page errors and console errors seen while loading and recording. */
  problems: string[];
}

export function buildRenderer(): Promise<unknown> {
  return build({ root: rendererDir, configFile: `${rendererDir}vite.config.ts`, logLevel: 'warn' });
}

export async function measureDashboardLoad(options: {
  backends: number;
  liveMs: number;
  /** Chromium's CPU throttling (2 = half speed): a slower machine than this one, or a busier page. */
  cpuThrottle?: number;
  /** Scale to N − 10 a quarter into the window and back to N at half, as the bench does. */
  scaleStep?: boolean;
  /**
   * Requests a second (default N: one per backend each second). Not a multiple of N, it makes
   * each backend's rate and share move every second, as real traffic through the LB does.
   */
  requestsPerSecond?: number;
}): Promise<DashboardLoad> {
  const engine = await startFakeEngine(distDir, 'load-token', {
    backends: options.backends,
    // Every backend gets hits every second, as at the bench's 100 requests/s over 100 backends.
    requestsPerSecond: options.requestsPerSecond ?? Math.max(6, options.backends),
    statusEverySecond: true,
  });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const problems: string[] = [];
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('console', (m) => void (m.type() === 'error' && problems.push(m.text())));
    page.on('pageerror', (e) => problems.push(e.message));
    await page.addInitScript(PAGE_PROBES);
    if (options.cpuThrottle && options.cpuThrottle > 1) {
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: options.cpuThrottle });
    }
    await page.goto(`${engine.url}/#token=${engine.token}`);
    // The table counts every registered row; the DOM holds only those in its view.
    const registered = async (): Promise<number> =>
      Number(await page.locator('[data-test="backends-count"]').getAttribute('data-count'));
    const deadline = Date.now() + 30_000;
    while ((await registered()) !== options.backends) {
      if (Date.now() > deadline) throw new Error(`the dashboard never showed ${options.backends} rows`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    // Let the first full render and the chart's creation pass: the live updates are measured.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const stopTrace = await traceIfAsked(browser, page);
    const steps = options.scaleStep
      ? [
          setTimeout(() => engine.scale(options.backends - 10), options.liveMs / 4),
          setTimeout(() => engine.scale(options.backends), options.liveMs / 2),
        ]
      : [];
    const readout = await recordProbes(page, options.liveMs);
    steps.forEach((step) => clearTimeout(step));
    await stopTrace();
    const round = (v: number): number => Math.round(v * 10) / 10;
    return {
      backends: options.backends,
      rowsShown: await registered(),
      rowsInDom: await page.locator('[data-test="backend-row"]').count(),
      longTasks: {
        count: readout.longTasks.length,
        p95Ms: readout.longTasks.length ? summarize(readout.longTasks).p95 : 0,
        maxMs: round(Math.max(0, ...readout.longTasks)),
        totalMs: round(readout.longTasks.reduce((a, b) => a + b, 0)),
      },
      frameMs: summarize(readout.frames),
      statusApplyMs: summarize(readout.applied.status ?? []),
      hitsApplyMs: summarize(readout.applied.hits ?? []),
      problems,
    };
  } finally {
    await browser.close();
    await engine.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const backends = Number(process.argv[2] ?? 100);
  const seconds = Number(process.argv[3] ?? 10);
  const cpuThrottle = Number(process.argv[4] ?? 1);
  const scaleStep = process.argv[5] === '1';
  const requestsPerSecond = process.argv[6] ? Number(process.argv[6]) : undefined;
  if (!process.env.DT_SKIP_RENDERER_BUILD) await buildRenderer();
  const load = await measureDashboardLoad({
    backends,
    liveMs: seconds * 1000,
    cpuThrottle,
    scaleStep,
    requestsPerSecond,
  });
  console.log(JSON.stringify(load, null, 2));
}
