/**
 * The cost curve (issue #17): for N web backends, what a change costs the
 * engine and the machine, and how that grows with N. One engine for the whole
 * stage; sizes in increasing order. Writes results.json's `curve` key, a table
 * for results.md and the chart, docs/bench-curve.svg.
 */
import { writeFileSync } from 'node:fs';
import type Dockerode from 'dockerode';
import { ROLE_LABEL, STACK_LABEL } from '../main/engine/stack/stack-config.js';
import type { TestEngine } from '../test/support/engine-fixture.js';
import { measureBurst, type BurstResult } from './curve-burst.js';
import { curveChartSvg } from './curve-chart.js';
import { containerMemoryBytes, memAvailableBytes, removeAll, startDirect } from './curve-docker.js';
import { measureHitsIngestion, type HitsIngestion } from './curve-hits.js';
import { measureRenderCost } from './curve-render.js';
import { timeNthBackend } from './curve-routed.js';
import type { BenchContext, BenchStage, StageResult } from './stage.js';
import { summarize, type Summary } from './stats.js';
import { withEngine } from './with-engine.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const round = (x: number, digits = 1): number => Math.round(x * 10 ** digits) / 10 ** digits;
const MB = 2 ** 20;

export interface CurvePoint {
  n: number;
  /** Registration of the N-th backend → the first request the LB routed to it. */
  registeredToServedMs: Summary;
  registeredToRenderedMs: Summary;
  registeredToReloadedMs: Summary;
  /** Docker's start event of the N-th backend → its first request served. */
  startToServedMs: Summary;
  /** One render of the default template at N backends (microseconds) and the config it makes. */
  renderUs: Summary;
  configBytes: number;
  /** The live config's size as nginx got it. */
  liveConfigBytes: number;
  /** Scale 0 → N through the engine (until all N are routed) against N containers started with the Docker API alone. */
  scaleMs: number;
  dockerMs: number;
  /** The engine's process at N, idle: CPU (% of one core) and resident memory. */
  idleCpuPct: number;
  rssMb: number;
  /** One web container's memory (mean over a sample of them), and what the N cost the machine (MemAvailable). */
  webMbEach: number;
  machineMb: number;
}

export interface CurveResults {
  sizes: number[];
  points: CurvePoint[];
  burst: BurstResult;
  hits: HitsIngestion & { backends: number };
}

const webContainers = async (docker: Dockerode, project: string): Promise<Dockerode.Container[]> =>
  (
    await docker.listContainers({ filters: { label: [`${STACK_LABEL}=${project}`, `${ROLE_LABEL}=web`] } })
  ).map((c) => docker.getContainer(c.Id));

async function scaleTo(test: TestEngine, count: number): Promise<void> {
  const result = await test.app.call('scale', { service: 'web', count });
  if (result.running !== count)
    throw new Error(`scale to ${count} ended with ${result.running}: ${result.warnings.join('; ')}`);
}

async function idleCpuPct(ms: number): Promise<number> {
  const before = process.cpuUsage();
  const started = performance.now();
  await sleep(ms);
  const used = process.cpuUsage(before);
  return round(((used.user + used.system) / 1000 / (performance.now() - started)) * 100);
}

async function measurePoint(
  { docker, log }: BenchContext,
  test: TestEngine,
  n: number,
  trials: number,
): Promise<CurvePoint> {
  const { project, images } = test.engine.config;
  await scaleTo(test, 0);
  await sleep(1000);
  const availableBefore = await memAvailableBytes();
  const floor = await startDirect(docker, { project, image: images.web, count: n, prefix: `floor-${n}` });
  await removeAll(floor.containers);

  const started = performance.now();
  await scaleTo(test, n);
  const scaleMs = performance.now() - started;
  await sleep(2000);
  const machineMb = (availableBefore - (await memAvailableBytes())) / MB;
  const sample = (await webContainers(docker, project)).slice(0, 10);
  const each = await Promise.all(sample.map(containerMemoryBytes));
  const webMbEach = each.reduce((a, b) => a + b, 0) / each.length / MB;
  const liveConfigBytes = Buffer.byteLength(test.engine.status().lb.config ?? '');
  const idle = await idleCpuPct(3000);
  const rssMb = process.memoryUsage().rss / MB;

  const registered: number[] = [];
  const rendered: number[] = [];
  const reloaded: number[] = [];
  const startedToServed: number[] = [];
  for (let trial = 0; trial < trials; trial++) {
    await scaleTo(test, n - 1);
    await sleep(1000);
    const nth = await timeNthBackend(test, n);
    registered.push(nth.registeredToServedMs);
    rendered.push(nth.registeredToRenderedMs);
    reloaded.push(nth.registeredToReloadedMs);
    startedToServed.push(nth.startToServedMs);
  }
  const render = measureRenderCost(n, 200);
  const point: CurvePoint = {
    n,
    registeredToServedMs: summarize(registered),
    registeredToRenderedMs: summarize(rendered),
    registeredToReloadedMs: summarize(reloaded),
    startToServedMs: summarize(startedToServed),
    renderUs: render.renderUs,
    configBytes: render.configBytes,
    liveConfigBytes,
    scaleMs: Math.round(scaleMs),
    dockerMs: Math.round(floor.ms),
    idleCpuPct: idle,
    rssMb: round(rssMb),
    webMbEach: round(webMbEach),
    machineMb: Math.round(machineMb),
  };
  log(`  N=${n}: ${JSON.stringify(point)}`);
  return point;
}

async function run(context: BenchContext): Promise<StageResult> {
  const { quick, docker, log } = context;
  // BENCH_CURVE_SIZES=50,100 profiles the top of the curve alone.
  const sizes =
    process.env.BENCH_CURVE_SIZES?.split(',').map(Number) ?? (quick ? [1, 10] : [1, 10, 25, 50, 100]);
  const trials = quick ? 1 : 3;
  const burstCount = quick ? 20 : 100;
  const results = await withEngine({ webCount: 1 }, async (test): Promise<CurveResults> => {
    const points: CurvePoint[] = [];
    for (const n of sizes) {
      log(`curve: N=${n}`);
      points.push(await measurePoint(context, test, n, trials));
    }
    const top = sizes[sizes.length - 1]!;
    log(`curve: hits ingestion at ${top} backends`);
    const hits = await measureHitsIngestion(test, {
      clients: quick ? 8 : 12,
      seconds: quick ? 3 : 10,
      maxRequests: 100_000,
    });
    await scaleTo(test, 1);
    log(`curve: a burst of ${burstCount} containers`);
    const burst = await measureBurst(docker, test, burstCount);
    return { sizes, points, burst, hits: { ...hits, backends: top } };
  });
  writeFileSync('docs/bench-curve.svg', curveChartSvg(results.points));
  return { json: { curve: results }, markdown: curveTable(results) };
}

export const curveStage: BenchStage = { name: 'curve', run };

export function curveTable(r: CurveResults): string {
  const rows = r.points.map(
    (p) =>
      `| ${p.n} | ${p.registeredToRenderedMs.p50} / ${p.registeredToReloadedMs.p50} / ${p.registeredToServedMs.p50} | ${p.startToServedMs.p50} | ${p.renderUs.p50} | ${p.configBytes} | ${p.scaleMs} / ${p.dockerMs} | ${p.idleCpuPct} % | ${p.rssMb} | ${p.webMbEach} | ${p.machineMb} |`,
  );
  const { burst: b, hits: h } = r;
  return [
    '## The cost curve: 1 to 100 web backends',
    '',
    '![The cost curve against N](../docs/bench-curve.svg)',
    '',
    '| N | registered → rendered / reloaded / served, p50 ms | start → served, p50 ms | render, p50 µs | config bytes | scale 0 → N / Docker alone, ms | engine CPU idle | engine RSS MB | MB per web container | N cost the machine, MB |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
    `Burst: ${b.started} containers started at once with the Docker API in ${b.startMs} ms; ${b.registered} registered, ${b.missing} missing, ${b.unexpected} unexpected in Consul's catalog; all registered after ${b.allRegisteredMs} ms (${b.registrationsPerSecond} registrations/s, Docker's start included), the last ${b.lagMs} ms after the last start.`,
    '',
    `Hits at ${h.backends} backends: ${h.clients} clients for ${h.seconds} s through the LB, ${h.requestsPerSecond} requests/s, ${h.served} answered (${h.failed} failed); the engine counted ${h.counted} (${h.backendsOff} backends off; ${h.streamResumes} log stream(s) broke and resumed), engine CPU ${h.engineCpuPct} % of a core.`,
    '',
    'The N-th backend is timed with N − 1 routed, probes asking the LB every 5 ms. The engine runs inside the',
    "bench's process here (CPU and RSS are that process's). The machine's cost is the fall of MemAvailable.",
    '',
  ].join('\n');
}
