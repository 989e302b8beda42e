/**
 * The benchmark issue's first figures at one size (start → registered, start →
 * first request served, failed requests while scaling, scale 1 → 10 against the
 * Docker floor, the engine's own cost), with the peers measured in the same run.
 * Keeps the top-level keys of bench/results.json that earlier runs wrote.
 */
import { stackNetworkName } from '../main/engine/stack/stack-config.js';
import { startHaproxyPeer } from './peers/haproxy-dns.js';
import { measureEngineResources, type EngineResources } from './engine-resources.js';
import { measureRegistrationLatency } from './registration-latency.js';
import { measureScaleUpRatio } from './scale-up-ratio.js';
import { breakdown, breakdownTable, type Breakdown, type RoutedTrial } from './first-served-breakdown.js';
import { measureRoutedLatency, measureScaleFailures, type ScaleFailures } from './scaling.js';
import type { BenchContext, BenchStage, StageResult } from './stage.js';
import type { Summary } from './stats.js';
import { withEngine } from './with-engine.js';
import { testImages } from '../test/support/images.js';
import { freePort } from '../test/support/ports.js';

const fromEnv = (name: string, full: number, quick: number, isQuick: boolean): number =>
  Number(process.env[name] ?? (isQuick ? quick : full));

interface PeerFigures {
  routedMs: Summary;
  scaleFailures: ScaleFailures;
}

export interface ClassicResults {
  registeredMs: Summary;
  routedMs: Summary;
  scaleFailures: ScaleFailures;
  scaleUpRatio: number;
  scaleUp: { engineMs: Summary; dockerMs: Summary };
  engine: EngineResources;
  peers: { haproxyDns: PeerFigures; noDrain: PeerFigures };
  /** Figure 2 step by step (first-served-breakdown.ts), ours and the no-drain peer's, same run. */
  firstServed: { breakdown: { ours: Breakdown | undefined; noDrain: Breakdown | undefined } };
}

async function run({ docker, quick, log }: BenchContext): Promise<StageResult> {
  const config = {
    registrations: fromEnv('BENCH_REGISTRATIONS', 30, 10, quick),
    scaleUps: fromEnv('BENCH_SCALE_UPS', 20, 5, quick),
    scaleCycles: fromEnv('BENCH_SCALE_CYCLES', 5, 2, quick),
    concurrency: 16,
    ratioTrials: fromEnv('BENCH_RATIO_TRIALS', 2, 1, quick),
  };
  const failuresOptions = (): Parameters<typeof measureScaleFailures>[1] => ({
    high: 5,
    low: 1,
    cycles: config.scaleCycles,
    maxRequests: 50_000,
    concurrency: config.concurrency,
  });

  log(`1. start → registered over ${config.registrations} containers`);
  const registeredMs = await measureRegistrationLatency(config.registrations);

  const oursTrials: RoutedTrial[] = [];
  const noDrainTrials: RoutedTrial[] = [];
  const ours = await withEngine({ webCount: 1 }, async (test) => {
    log(`2. start → first request served, ${config.scaleUps} scale-ups`);
    const routedMs = await measureRoutedLatency(test, config.scaleUps, {
      onTrial: (t) => oursTrials.push(t),
    });
    log('3. failed requests while scaling 5 → 1 → 5 under load');
    const scaleFailures = await measureScaleFailures(test, failuresOptions());
    log('4. scale 1 → 10 against the Docker floor');
    const ratio = await measureScaleUpRatio(docker, test, config.ratioTrials);

    log('6a. peer: HAProxy over Consul DNS, same registrator');
    const project = test.engine.config.project;
    const peer = await startHaproxyPeer(docker, {
      project,
      network: stackNetworkName(project),
      consulContainer: `${project}-consul`,
      image: testImages.haproxy,
      port: await freePort(),
    });
    // HAProxy resolves on its own timer; give it its first answers before timing.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const haproxyDns: PeerFigures = {
      routedMs: await measureRoutedLatency(test, config.scaleUps, { url: peer.url }),
      scaleFailures: await measureScaleFailures(test, { ...failuresOptions(), url: peer.url }),
    };
    await peer.remove();
    return { routedMs, scaleFailures, ratio, haproxyDns };
  });

  log('6b. peer: the classic pipeline, re-rendered on change with no drain');
  const noDrain = await withEngine({ webCount: 1, drain: false }, async (test) => ({
    routedMs: await measureRoutedLatency(test, config.scaleUps, { onTrial: (t) => noDrainTrials.push(t) }),
    scaleFailures: await measureScaleFailures(test, failuresOptions()),
  }));

  log('5. the engine process: CPU idle and under 100 requests/s, memory');
  const engine = await measureEngineResources(quick ? { idleMs: 10_000, loadMs: 5_000 } : {});

  const results: ClassicResults = {
    registeredMs,
    routedMs: ours.routedMs,
    scaleFailures: ours.scaleFailures,
    scaleUpRatio: ours.ratio.ratio,
    scaleUp: { engineMs: ours.ratio.engineMs, dockerMs: ours.ratio.dockerMs },
    engine,
    peers: { haproxyDns: ours.haproxyDns, noDrain },
    firstServed: { breakdown: { ours: breakdown(oursTrials), noDrain: breakdown(noDrainTrials) } },
  };
  return { json: { ...results }, markdown: classicTable(results) };
}

export const classicStage: BenchStage = { name: 'classic', run };

const ms = (s: Summary): string => `p50 ${s.p50} ms, p95 ${s.p95} ms (n=${s.n})`;
const fails = (f: ScaleFailures): string =>
  `${f.failed} of ${f.sent} (${f.cycles} cycles, ${f.ratePerSecond} req/s)`;

export function classicTable(r: ClassicResults): string {
  const speedup = Math.round((r.peers.haproxyDns.routedMs.p50 / r.routedMs.p50) * 10) / 10;
  return [
    '| Figure | Discovery Tray | HAProxy + Consul DNS | classic, no drain | target |',
    '| --- | --- | --- | --- | --- |',
    `| 1. start → registered | ${ms(r.registeredMs)} | same registrator | same registrator | p50 ≤ 30 ms |`,
    `| 2. start → first request served | ${ms(r.routedMs)} | ${ms(r.peers.haproxyDns.routedMs)} | ${ms(r.peers.noDrain.routedMs)} | p50 ≤ 250 ms, ≥ 2× peer (a) (here ${speedup}×) |`,
    `| 3. failed requests, 5 → 1 → 5 under load | ${fails(r.scaleFailures)} | ${fails(r.peers.haproxyDns.scaleFailures)} | ${fails(r.peers.noDrain.scaleFailures)} | 0 |`,
    `| 4. scale 1 → 10 / Docker floor | ${r.scaleUpRatio} (${r.scaleUp.engineMs.p50} / ${r.scaleUp.dockerMs.p50} ms) | | | ≤ 1.3 |`,
    `| 5. engine CPU idle / at 100 req/s, memory | ${r.engine.idleCpuPct} % / ${r.engine.loadCpuPct} % of a core, ${r.engine.rssMb} MB | | | < 1 %, < 150 MB |`,
    '',
    'Figure 2: each scale-up waits until 1 s after the previous deregistration, then a pause spread evenly over',
    "one second; the same for every stack, so that HAProxy's once-a-second DNS poll is met at every phase and",
    "never finds the new container through a removed one's reused address. Probes ask the LB every 5 ms.",
    'Figure 3: a closed loop of 16 clients mixing GETs, POSTs (nginx does not retry them once sent) and',
    'requests that take 300 ms, through the same number of scale cycles for every stack; the rate is what the',
    'loop achieved.',
    '',
    '## Figure 2 step by step',
    '',
    breakdownTable({
      'Discovery Tray': r.firstServed.breakdown.ours,
      'classic, no drain': r.firstServed.breakdown.noDrain,
    }),
    '',
    'From the timeline and its pipeline marks (first-served-breakdown.ts); the reload steps come from',
    "the LB's clock in 10 ms steps. The no-drain peer differs from ours only when scaling down, so its",
    'scale-up path is the same code: differences between the two columns are the machine, not the pipeline.',
    '',
  ].join('\n');
}
