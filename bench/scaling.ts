/**
 * What a user of the demo feels when `web` is scaled, measured against the real
 * Docker engine, Consul and nginx:
 * - routedMs: Docker's `start` event of a new web container → the first
 *   response through the LB served by it (a probe loop keeps asking the LB);
 * - scaleFailures: failed requests while `web` goes high → low → high under a
 *   bounded load of GETs, POSTs (nginx never retries them) and slow requests.
 *
 *   npm run bench:scaling                 # 20 scale-ups, 5 cycles 3 → 1 → 3
 *   TRIALS=40 CYCLES=10 npm run bench:scaling
 */
import { probe } from '../main/engine/traffic/http-probe.js';
import { runLoad } from '../main/engine/traffic/load-loop.js';
import { removeTestStack, startTestEngine, type TestEngine } from '../test/support/engine-fixture.js';
import { breakdown, breakdownTable, type RoutedTrial } from './first-served-breakdown.js';
import { summarize, type Summary } from './stats.js';

const now = (): number => performance.timeOrigin + performance.now();
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/**
 * How often the probes ask the LB: two clients, each every 10 ms, so one request
 * every 5 ms. That times the first answer to within a few milliseconds. Asking as
 * fast as possible (~480 requests/s here) kept both cores of a 2-core machine ~90 %
 * busy, against ~40 % at this pace, and slowed the very steps being timed (nginx's
 * check and reload, the new container's start).
 */
const PROBE_INTERVAL_MS = 10;
const PROBERS = 2;

/** One scale-up from `base` to `base + 1`, timed from the new container's start event to its first answer. */
async function routedOnce(
  { engine, app }: TestEngine,
  base: number,
  url: string,
  onTrial?: (trial: RoutedTrial) => void,
): Promise<number> {
  const served: { at: number; backend: string }[] = [];
  let probing = true;
  // Bounded: at most 4,000 requests or 15 s.
  const deadline = Date.now() + 15_000;
  let budget = 4000;
  const prober = async (offsetMs: number): Promise<void> => {
    let next = performance.now() + offsetMs;
    while (probing && budget-- > 0 && Date.now() < deadline) {
      await sleep(next - performance.now());
      next += PROBE_INTERVAL_MS;
      const result = await probe(url, 'get', { timeoutMs: 5000 });
      if (result.ok && result.backend) served.push({ at: now(), backend: result.backend });
    }
  };
  const probers = Array.from({ length: PROBERS }, (_, i) => prober((i * PROBE_INTERVAL_MS) / PROBERS));
  const before = new Set(webInstances({ engine, app }).map((i) => i.containerId));
  await app.call('scale', { service: 'web', count: base + 1 });
  const fresh = webInstances({ engine, app }).find((i) => !before.has(i.containerId));
  if (!fresh) throw new Error('the scale-up made no new instance');
  // Let the probes see the new backend; the scaler already waited for it to be routed.
  const seen = (): boolean => served.some((s) => s.backend === fresh.address);
  while (!seen() && Date.now() < deadline) await sleep(5);
  probing = false;
  await Promise.all(probers);
  const started = engine.timeline
    .list()
    .find((e) => e.kind === 'container-started' && e.containerId === fresh.containerId);
  const first = served.find((s) => s.backend === fresh.address);
  if (!started || !first) {
    const steps = engine.timeline
      .list()
      .filter((e) => e.containerId === fresh.containerId)
      .map((e) => `${e.kind}: ${e.message}`);
    throw new Error(
      `${started ? 'no answer' : 'no start event'} from ${fresh.containerName} in 15 s ` +
        `(${served.length} answers from others; its timeline: ${steps.join('; ') || 'empty'})`,
    );
  }
  onTrial?.({
    containerId: fresh.containerId,
    address: fresh.address,
    startedAt: started.at,
    servedAt: first.at,
    events: engine.timeline.list().filter((e) => e.at >= started.at - 1000),
    marks: engine.timeline.marks(started.at - 1000),
  });
  return first.at - started.at;
}

function webInstances({
  app,
}: TestEngine): { containerId: string; containerName: string; address: string }[] {
  return app.getStatus().services.find((s) => s.name === 'web')?.instances ?? [];
}

/**
 * Pauses before each scale-up, one in each of `trials` equal slices of `periodMs`,
 * in a random order. A peer that polls on a timer (HAProxy re-resolves Consul's
 * DNS once a second) finds a new backend somewhere between at once and one period
 * later; scale-ups that follow each other at a steady pace would all land at the
 * same phase of its timer, and its figure would be luck (we saw p50 289 ms in one
 * run and 400 ms in another). Spread over the period, every phase counts once.
 */
export function phasePausesMs(trials: number, periodMs: number): number[] {
  const pauses = Array.from({ length: trials }, (_, k) => ((k + 0.5) * periodMs) / trials);
  for (let i = pauses.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [pauses[i], pauses[j]] = [pauses[j]!, pauses[i]!];
  }
  return pauses;
}

export interface RoutedOptions {
  /** The LB to time through (the engine's own unless a peer's is given). */
  url?: string;
  /**
   * Quiet time after each deregistration before the next scale-up. Docker gives
   * the next container the removed one's address; a peer that has not
   * re-resolved since would reach it through its stale entry, and that is not
   * discovery. Longer than HAProxy's 1 s.
   */
  settleMs?: number;
  /** The timer period that the pauses before each scale-up are spread over (see phasePausesMs). */
  phasePeriodMs?: number;
  /** Called with each timed scale-up's timestamps (for the step-by-step breakdown). */
  onTrial?: (trial: RoutedTrial) => void;
}

/**
 * Scale-ups from 1 to 2, each timed through the LB. Every stack is measured the
 * same way, with the same pauses (they change nothing for an LB that is told of
 * each change, like ours).
 */
export async function measureRoutedLatency(
  { engine, app }: TestEngine,
  trials: number,
  options: RoutedOptions = {},
): Promise<Summary> {
  const { settleMs = 1000, phasePeriodMs = 1000 } = options;
  const pauses = phasePausesMs(trials, phasePeriodMs);
  await app.call('scale', { service: 'web', count: 1 });
  const samples: number[] = [];
  for (const pause of pauses) {
    await sleep(untilSettled({ engine, app }, settleMs) + pause);
    samples.push(
      await routedOnce({ engine, app }, 1, options.url ?? app.getStatus().lb.url, options.onTrial),
    );
    await app.call('scale', { service: 'web', count: 1 });
  }
  return summarize(samples);
}

/** Milliseconds left until `settleMs` after the latest deregistration (the scale-down itself counts). */
function untilSettled({ engine }: TestEngine, settleMs: number): number {
  const deregistered = engine.timeline.list().findLast((e) => e.kind === 'deregistered');
  return deregistered ? Math.max(0, deregistered.at + settleMs - now()) : 0;
}

export interface ScaleFailures {
  failed: number;
  sent: number;
  /** Scale cycles (down and up again) the load ran through. */
  cycles: number;
  /** The rate the load loop achieved. */
  ratePerSecond: number;
}

/**
 * Failed requests while `web` goes high → low → high `cycles` times under a
 * closed loop of `concurrency` clients. The load runs from just before the first
 * cycle until the last one is done, so every stack measured this way goes
 * through the same number of cycles. Bounded by `maxRequests` and 5 minutes.
 */
export async function measureScaleFailures(
  { app }: TestEngine,
  options: {
    high: number;
    low: number;
    cycles: number;
    maxRequests: number;
    concurrency: number;
    url?: string;
  },
): Promise<ScaleFailures> {
  await app.call('scale', { service: 'web', count: options.high });
  let cyclesDone: () => void = () => undefined;
  const until = new Promise<void>((resolve) => (cyclesDone = resolve));
  const started = performance.now();
  const load = runLoad({
    url: options.url ?? app.getStatus().lb.url,
    total: options.maxRequests,
    concurrency: options.concurrency,
    deadlineMs: 300_000,
    mix: ['get', 'post', 'get', 'post', 'get', 'post', 'slow'],
    slowDelayMs: 300,
    until,
  });
  let loadDone = false;
  void load.finally(() => (loadDone = true));
  let cycles = 0;
  try {
    await new Promise((resolve) => setTimeout(resolve, 500));
    for (let i = 0; i < options.cycles && !loadDone; i++) {
      await app.call('scale', { service: 'web', count: options.low });
      await app.call('scale', { service: 'web', count: options.high });
      if (!loadDone) cycles++;
    }
  } finally {
    cyclesDone();
  }
  const report = await load;
  const seconds = (performance.now() - started) / 1000;
  for (const failure of report.failures.slice(0, 3)) console.error('failed request:', failure);
  return {
    failed: report.failed,
    sent: report.sent,
    cycles,
    ratePerSecond: Math.round(report.sent / seconds),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const trials = Number(process.env.TRIALS ?? 20);
  const cycles = Number(process.env.CYCLES ?? 5);
  const test = await startTestEngine({ webCount: 1 });
  try {
    const timed: RoutedTrial[] = [];
    const routed = await measureRoutedLatency(test, trials, { onTrial: (t) => timed.push(t) });
    console.log(`start → first request served through the LB over ${routed.n} scale-ups:`);
    console.log(`  p50 ${routed.p50} ms, p95 ${routed.p95} ms`);
    console.log(breakdownTable({ 'Discovery Tray': breakdown(timed) }));
    const failures = await measureScaleFailures(test, {
      high: 3,
      low: 1,
      cycles,
      maxRequests: 50_000,
      concurrency: 16,
    });
    console.log(
      `failed requests while scaling 3 → 1 → 3 (${failures.cycles} cycles) under load: ${failures.failed} of ${failures.sent}`,
    );
    console.log(JSON.stringify({ routedMs: routed, scaleFailures: failures }));
  } finally {
    await removeTestStack(test);
  }
}
