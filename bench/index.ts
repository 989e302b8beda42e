/**
 * `npm run bench`: every figure of the benchmark issue in one run on one
 * machine, against the real Docker engine, Consul and nginx, with the peers
 * measured in the same run (the machine is noisy; ratios are the headline).
 * Prints a table, writes bench/results.json and bench/results.md.
 *
 * Needs the local images (`npm run test:env`) and a build (`npm run build`).
 * Bounded: every loop has a count and a deadline; about 8 minutes on 2 cores.
 */
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import Dockerode from 'dockerode';
import { format, resolveConfig } from 'prettier';
import { removeTestStack, startTestEngine, type TestEngine } from '../test/support/engine-fixture.js';
import { testImages } from '../test/support/images.js';
import { freePort } from '../test/support/ports.js';
import { measureEngineResources, type EngineResources } from './engine-resources.js';
import { startHaproxyPeer } from './peers/haproxy-dns.js';
import { measureRegistrationLatency } from './registration-latency.js';
import { stackNetworkName } from '../main/engine/stack/stack-config.js';
import { measureScaleUpRatio } from './scale-up-ratio.js';
import { measureRoutedLatency, measureScaleFailures, type ScaleFailures } from './scaling.js';
import type { Summary } from './stats.js';

const config = {
  registrations: Number(process.env.BENCH_REGISTRATIONS ?? 50),
  scaleUps: Number(process.env.BENCH_SCALE_UPS ?? 20),
  scaleCycles: Number(process.env.BENCH_SCALE_CYCLES ?? 5),
  concurrency: 16,
  ratioTrials: Number(process.env.BENCH_RATIO_TRIALS ?? 3),
};

interface PeerFigures {
  routedMs: Summary;
  scaleFailures: ScaleFailures;
}

export interface BenchResults {
  registeredMs: Summary;
  routedMs: Summary;
  scaleFailures: ScaleFailures;
  scaleUpRatio: number;
  scaleUp: { engineMs: Summary; dockerMs: Summary };
  engine: EngineResources;
  peers: { haproxyDns: PeerFigures; noDrain: PeerFigures };
  machine: { cpus: number; cpuModel: string; memoryGb: number; docker: string; node: string };
  date: string;
}

function log(message: string): void {
  console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}`);
}

async function withEngine<T>(
  overrides: Parameters<typeof startTestEngine>[0],
  run: (test: TestEngine) => Promise<T>,
): Promise<T> {
  const test = await startTestEngine(overrides);
  try {
    return await run(test);
  } finally {
    await removeTestStack(test);
  }
}

const failuresOptions = (): Parameters<typeof measureScaleFailures>[1] => ({
  high: 5,
  low: 1,
  cycles: config.scaleCycles,
  maxRequests: 50_000,
  concurrency: config.concurrency,
});

async function main(): Promise<void> {
  const docker = new Dockerode();
  const version = await docker.version();

  log(`1. start → registered over ${config.registrations} containers`);
  const registeredMs = await measureRegistrationLatency(config.registrations);

  const ours = await withEngine({ webCount: 1 }, async (test) => {
    log(`2. start → first request served, ${config.scaleUps} scale-ups`);
    const routedMs = await measureRoutedLatency(test, config.scaleUps);
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
    routedMs: await measureRoutedLatency(test, config.scaleUps),
    scaleFailures: await measureScaleFailures(test, failuresOptions()),
  }));

  log('5. the engine process: CPU idle and under 100 requests/s, memory');
  const engine = await measureEngineResources();

  const results: BenchResults = {
    registeredMs,
    routedMs: ours.routedMs,
    scaleFailures: ours.scaleFailures,
    scaleUpRatio: ours.ratio.ratio,
    scaleUp: { engineMs: ours.ratio.engineMs, dockerMs: ours.ratio.dockerMs },
    engine,
    peers: { haproxyDns: ours.haproxyDns, noDrain },
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      memoryGb: Math.round(totalmem() / 2 ** 30),
      docker: `${version.Version} (API ${version.ApiVersion})`,
      node: process.version,
    },
    date: new Date().toISOString(),
  };
  writeFileSync('bench/results.json', `${JSON.stringify(results, null, 2)}\n`);
  // Formatted as the repository's format check wants it, so a fresh run can be committed as is.
  const table = await format(markdownTable(results), {
    ...(await resolveConfig('bench/results.md')),
    parser: 'markdown',
  });
  writeFileSync('bench/results.md', table);
  console.log(`\n${table}`);
  await (await import('./dashboard-at-scale.js')).recordDashboardAtScale('bench/results.json');
}

const ms = (s: Summary): string => `p50 ${s.p50} ms, p95 ${s.p95} ms (n=${s.n})`;
const fails = (f: ScaleFailures): string =>
  `${f.failed} of ${f.sent} (${f.cycles} cycles, ${f.ratePerSecond} req/s)`;

export function markdownTable(r: BenchResults): string {
  const speedup = Math.round((r.peers.haproxyDns.routedMs.p50 / r.routedMs.p50) * 10) / 10;
  return [
    `# Benchmark results`,
    '',
    `${r.date.slice(0, 10)} on ${r.machine.cpus} × ${r.machine.cpuModel}, ${r.machine.memoryGb} GiB, Docker ${r.machine.docker}, Node ${r.machine.node}.`,
    'Medians and p95 over repeated trials in one run; the peers ran in the same run.',
    '',
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
    'loop achieved. Reproduce: `npm run test:env && npm run build && npm run bench`.',
    '',
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
