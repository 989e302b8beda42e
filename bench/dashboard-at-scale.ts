/**
 * The dashboard at 100 web backends (issue 17, point 3): the headless engine as a user runs it
 * (`discovery-tray up`), scaled to 100, its dashboard open in Chromium during a live update
 * (traffic through the LB, hits streaming, a scale step 100 → 90 → 100). The page measures itself
 * with the Performance API: long tasks (PerformanceObserver 'longtask'), frame times
 * (requestAnimationFrame deltas) and how long a pushed status takes from its arrival to the next
 * frame (the store's update plus Vue's render). Saves docs/dashboard-100.png (light theme).
 *
 * `npx tsx bench/dashboard-at-scale.ts` alone (needs `npm run build`, `npm run test:env`), or as a
 * stage of `npm run bench` (DT_TRACE=FILE also records a Chromium trace of the live window, for
 * test/support/long-task-trace.ts, and adds the page's CPU time per task from it to the figures).
 * Bounded: every wait has a deadline, traffic a duration.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { ControlClient } from '../main/server/control-client.js';
import { removeTestStack } from '../test/support/engine-fixture.js';
import { testImages } from '../test/support/images.js';
import { PAGE_PROBES, type ProbeReadout } from '../test/support/dashboard-probes.js';
import { freePort } from '../test/support/ports.js';
import type { BenchStage } from './stage.js';
import { summarize, type Summary } from './stats.js';
import { CHROMIUM, CHROMIUM_ARGS } from '../test/support/chromium.js';
import { cpuPerTask, traceIfAsked } from '../test/support/long-task-trace.js';

export interface DashboardAtScale {
  backends: number;
  /** Wall time of `scale web=N` from 1 (resolves once converged). */
  scaleUpMs: number;
  frameMs: Summary;
  longTasks: { count: number; p95Ms: number; maxMs: number };
  /** A status push: arrival on the EventSource → the next frame (store update + render). */
  statusApplyMs: Summary;
  hitsApplyMs: Summary;
  /** How long the live window lasted, and the requests the generator sent in it. */
  windowMs: number;
  trafficSent: number;
  /**
   * With DT_TRACE: the page's CPU time per task from the trace (long tasks are wall time, and on a
   * busy 2-core machine mostly time the page waited for the CPU; this is what the page itself did).
   */
  pageCpuPerTask?: ReturnType<typeof cpuPerTask>;
}

function log(message: string): void {
  console.log(`[dashboard ${new Date().toISOString().slice(11, 19)}] ${message}`);
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function waitForRows(page: Page, count: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let shown = 0;
  // The table's count of registered rows: the DOM holds only the rows in its view.
  const counted = page.locator('[data-test="backends-count"]');
  while ((shown = Number(await counted.getAttribute('data-count'))) !== count) {
    if (Date.now() > deadline)
      throw new Error(`the dashboard never showed ${count} backend rows (it shows ${shown})`);
    await sleep(500);
  }
}

/**
 * `scale` resolves once converged, but the client gives up after 2 minutes and 100 containers can
 * take longer on 2 cores: past that, follow the status until the web service runs `count`.
 */
async function scaleTo(client: ControlClient, count: number): Promise<void> {
  try {
    await client.call('scale', { service: 'web', count });
    return;
  } catch (error) {
    if (!(error instanceof Error) || error.name !== 'TimeoutError') throw error;
  }
  const deadline = Date.now() + 10 * 60_000;
  for (;;) {
    const web = (await client.call('getStatus')).services.find((s) => s.name === 'web');
    if (web?.running === count) return;
    if (Date.now() > deadline) throw new Error(`web never reached ${count} (at ${web?.running})`);
    await sleep(1000);
  }
}

const p95 = (values: number[]): number => (values.length ? summarize(values).p95 : 0);

export async function measureDashboardAtScale(
  options: { backends?: number; liveMs?: number; screenshot?: string } = {},
): Promise<DashboardAtScale> {
  const backends = options.backends ?? 100;
  const cli = join(process.cwd(), 'out/node/main/cli.js');
  if (!existsSync(cli)) throw new Error('Build first (npm run build): out/node/main/cli.js is missing.');
  if (!existsSync(join(process.cwd(), 'renderer/dist/index.html')))
    throw new Error('Build first (npm run build): renderer/dist/index.html is missing.');
  const stateDir = mkdtempSync(join(tmpdir(), 'dt-bench-dash-'));
  const project = `dt-dash-${process.pid}`;
  const previousStateDir = process.env.DISCOVERY_TRAY_STATE_DIR;
  process.env.DISCOVERY_TRAY_STATE_DIR = stateDir;
  let engine: ChildProcess | undefined;
  let output = '';
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    engine = spawn(
      process.execPath,
      [
        cli,
        'up',
        '--web',
        '1',
        '--lb-port',
        String(await freePort()),
        '--consul-port',
        String(await freePort()),
      ],
      {
        env: {
          ...process.env,
          DISCOVERY_TRAY_STATE_DIR: stateDir,
          DISCOVERY_TRAY_PROJECT: project,
          DISCOVERY_TRAY_CONSUL_IMAGE: testImages.consul,
          DISCOVERY_TRAY_LB_IMAGE: testImages.lb,
          DISCOVERY_TRAY_WEB_IMAGE: testImages.web,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    engine.stdout?.on('data', (c: Buffer) => (output += c.toString()));
    engine.stderr?.on('data', (c: Buffer) => (output += c.toString()));
    const upBy = Date.now() + 120_000;
    while (!output.includes('Discovery Tray is up')) {
      if (engine.exitCode !== null || Date.now() > upBy) throw new Error(`up failed:\n${output}`);
      await sleep(100);
    }
    const url = /Dashboard\s+(\S+)/.exec(output)?.[1];
    if (!url) throw new Error(`no dashboard URL in:\n${output}`);
    const client = await ControlClient.connect();

    log(`scale web=${backends}`);
    const scaleStart = performance.now();
    await scaleTo(client, backends);
    const scaleUpMs = Math.round(performance.now() - scaleStart);
    log(`scaled in ${scaleUpMs} ms`);

    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, colorScheme: 'light' });
    await page.addInitScript(PAGE_PROBES);
    await page.goto(url);
    await waitForRows(page, backends, 60_000);
    await sleep(2000);

    const liveMs = options.liveMs ?? 20_000;
    // Through the scale step too (it can take minutes on 2 cores); stopped explicitly below.
    const seconds = Math.ceil(liveMs / 1000) + 300;
    await client.call('startTraffic', { ratePerSecond: 100, durationSeconds: seconds });
    const stopTrace = await traceIfAsked(browser, page);
    await page.evaluate('window.__dtProbe.recording = true');
    const windowStart = performance.now();
    await sleep(liveMs / 4);
    log(`scale web=${backends - 10} → ${backends} under the page`);
    await scaleTo(client, backends - 10);
    await scaleTo(client, backends);
    const left = liveMs - (performance.now() - windowStart);
    if (left > 0) await sleep(left);
    await page.evaluate('window.__dtProbe.recording = false');
    await stopTrace();
    const windowMs = Math.round(performance.now() - windowStart);
    const traffic = await client.call('getTraffic');
    const readout = await page.evaluate<ProbeReadout>('window.__dtProbe');
    if (options.screenshot) await page.screenshot({ path: options.screenshot });
    await client.call('stopTraffic').catch(() => undefined);

    await client.call('down');
    const exitBy = Date.now() + 60_000;
    while (engine.exitCode === null && Date.now() < exitBy) await sleep(100);
    const round = (v: number): number => Math.round(v * 10) / 10;
    return {
      backends,
      scaleUpMs,
      frameMs: summarize(readout.frames),
      longTasks: {
        count: readout.longTasks.length,
        p95Ms: round(p95(readout.longTasks)),
        maxMs: round(Math.max(0, ...readout.longTasks)),
      },
      statusApplyMs: summarize(readout.applied.status ?? []),
      hitsApplyMs: summarize(readout.applied.hits ?? []),
      windowMs,
      trafficSent: traffic.sent,
      ...(process.env.DT_TRACE ? { pageCpuPerTask: cpuPerTask(process.env.DT_TRACE) } : {}),
    };
  } finally {
    await browser.close();
    if (engine && engine.exitCode === null) engine.kill('SIGTERM');
    await removeTestStack(undefined, project);
    if (previousStateDir === undefined) delete process.env.DISCOVERY_TRAY_STATE_DIR;
    else process.env.DISCOVERY_TRAY_STATE_DIR = previousStateDir;
    rmSync(stateDir, { recursive: true, force: true });
  }
}

const fromEnvironment = (quick = false): Parameters<typeof measureDashboardAtScale>[0] => ({
  backends: Number(process.env.BENCH_DASHBOARD_BACKENDS ?? (quick ? 10 : 100)),
  liveMs: Number(process.env.BENCH_DASHBOARD_LIVE_MS ?? (quick ? 5_000 : 12_000)),
  // A quick run's picture is not the 100-backend one the README shows.
  screenshot:
    process.env.BENCH_DASHBOARD_SCREENSHOT ??
    (quick ? join(tmpdir(), 'dashboard-quick.png') : 'docs/dashboard-100.png'),
});

const ms = (s: Summary): string => `p50 ${s.p50} ms, p95 ${s.p95} ms (n=${s.n})`;

/** The bench stage: its figures go under `curve.dashboard` in bench/results.json. */
export const dashboardStage: BenchStage = {
  name: 'dashboard',
  async run({ quick, log: say }) {
    const f = await measureDashboardAtScale(fromEnvironment(quick));
    say(
      `curve.dashboard: long tasks p95 ${f.longTasks.p95Ms} ms (n=${f.longTasks.count}), frames p95 ${f.frameMs.p95} ms`,
    );
    const markdown = [
      `## The dashboard at ${f.backends} backends (Chromium)`,
      '',
      '| Figure | Value | target |',
      '| --- | --- | --- |',
      `| \`scale web\` 1 → ${f.backends} | ${Math.round(f.scaleUpMs / 100) / 10} s | |`,
      `| frame time | ${ms(f.frameMs)} | |`,
      `| long tasks | ${f.longTasks.count}, p95 ${f.longTasks.p95Ms} ms, max ${f.longTasks.maxMs} ms | p95 < 50 ms |`,
      `| status push → next frame | ${ms(f.statusApplyMs)} | |`,
      `| hits push → next frame | ${ms(f.hitsApplyMs)} | |`,
      `| live window | ${Math.round(f.windowMs / 100) / 10} s, ${f.trafficSent} requests | |`,
      ...(f.pageCpuPerTask
        ? [
            `| the page's CPU per task (trace) | max ${f.pageCpuPerTask.maxMs} ms, p95 ${f.pageCpuPerTask.p95Ms} ms; ${f.pageCpuPerTask.over16} of ${f.pageCpuPerTask.tasks} tasks ≥ 16 ms | |`,
          ]
        : []),
      '',
      'Long tasks are wall time: on a busy machine mostly time the page waited for the CPU. Run with',
      "`DT_TRACE=FILE` for the page's own CPU time per task (a Chromium trace of the live window).",
      '',
    ].join('\n');
    return { json: { curve: { dashboard: f } }, markdown };
  },
};

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await measureDashboardAtScale(fromEnvironment()), null, 2));
}
