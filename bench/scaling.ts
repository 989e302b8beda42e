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
import type { Engine } from '../main/engine/engine.js';
import { probe } from '../main/engine/traffic/http-probe.js';
import { runLoad } from '../main/engine/traffic/load-loop.js';
import { removeTestStack, startTestEngine } from '../test/support/engine-fixture.js';
import { summarize, type Summary } from './stats.js';

const now = (): number => performance.timeOrigin + performance.now();

/** One scale-up from `base` to `base + 1`, timed from the new container's start event to its first answer. */
async function routedOnce(engine: Engine, base: number, url: string): Promise<number> {
  const served: { at: number; backend: string }[] = [];
  let probing = true;
  // Bounded: at most 2,000 requests or 15 s, two at a time.
  const deadline = Date.now() + 15_000;
  let budget = 2000;
  const prober = async (): Promise<void> => {
    while (probing && budget-- > 0 && Date.now() < deadline) {
      const result = await probe(url, 'get', { timeoutMs: 5000 });
      if (result.ok && result.backend) served.push({ at: now(), backend: result.backend });
    }
  };
  const probers = [prober(), prober()];
  const before = new Set(webInstances(engine).map((i) => i.containerId));
  await engine.scale('web', base + 1);
  const fresh = webInstances(engine).find((i) => !before.has(i.containerId));
  if (!fresh) throw new Error('the scale-up made no new instance');
  // Let the probes see the new backend; the scaler already waited for it to be routed.
  const seen = (): boolean => served.some((s) => s.backend === fresh.address);
  while (!seen() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
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
  return first.at - started.at;
}

function webInstances(engine: Engine): { containerId: string; containerName: string; address: string }[] {
  return engine.status().services.find((s) => s.name === 'web')?.instances ?? [];
}

/** Scale-ups from 1 to 2, each timed through `url` (the engine's LB unless a peer LB is given). */
export async function measureRoutedLatency(engine: Engine, trials: number, url?: string): Promise<Summary> {
  await engine.scale('web', 1);
  const samples: number[] = [];
  for (let i = 0; i < trials; i++) {
    samples.push(await routedOnce(engine, 1, url ?? engine.status().lb.url));
    await engine.scale('web', 1);
  }
  return summarize(samples);
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
  engine: Engine,
  options: {
    high: number;
    low: number;
    cycles: number;
    maxRequests: number;
    concurrency: number;
    url?: string;
  },
): Promise<ScaleFailures> {
  await engine.scale('web', options.high);
  let cyclesDone: () => void = () => undefined;
  const until = new Promise<void>((resolve) => (cyclesDone = resolve));
  const started = performance.now();
  const load = runLoad({
    url: options.url ?? engine.status().lb.url,
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
      await engine.scale('web', options.low);
      await engine.scale('web', options.high);
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
  const engine = await startTestEngine({ webCount: 1 });
  try {
    const routed = await measureRoutedLatency(engine, trials);
    console.log(`start → first request served through the LB over ${routed.n} scale-ups:`);
    console.log(`  p50 ${routed.p50} ms, p95 ${routed.p95} ms`);
    const failures = await measureScaleFailures(engine, {
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
    await removeTestStack(engine);
  }
}
