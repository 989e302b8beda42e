/**
 * `npm run bench`: every figure of the benchmark issues in one run on one
 * machine, against the real Docker engine, Consul and nginx, with the peers
 * measured in the same run (the machine is noisy; ratios are the headline).
 * Runs the stages below in order, prints a table, writes bench/results.json
 * and bench/results.md (and the curve's chart, docs/bench-curve.svg).
 *
 *   npm run bench                     # everything, under 20 minutes on 2 cores
 *   npm run bench -- --quick          # fewer sizes and trials (npm run bench:quick)
 *   npm run bench -- --only curve     # one stage; other keys of results.json are kept
 *
 * Needs the local images (`npm run test:env`) and a build (`npm run build`).
 * Bounded: every loop has a count and a deadline.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import Dockerode from 'dockerode';
import { format, resolveConfig } from 'prettier';
import { classicStage } from './classic-stage.js';
import { curveStage } from './curve-stage.js';
import { dashboardStage } from './dashboard-at-scale.js';
import type { BenchStage } from './stage.js';

/** The stages, in the order they run. A new stage: one file and one line here. */
export const stages: BenchStage[] = [classicStage, curveStage, dashboardStage];

/** Merges a stage's keys into the results: one level deep, so two stages can add keys under `curve`. */
function mergeResults(results: Record<string, unknown>, json: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(json)) {
    const before = results[key];
    const bothObjects = [before, value].every(
      (v) => typeof v === 'object' && v !== null && !Array.isArray(v),
    );
    results[key] = bothObjects ? { ...(before as object), ...(value as object) } : value;
  }
}

function log(message: string): void {
  console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { quick: { type: 'boolean', default: false }, only: { type: 'string', multiple: true } },
  });
  const only = values.only ?? [];
  const unknown = only.filter((name) => !stages.some((s) => s.name === name));
  if (unknown.length > 0)
    throw new Error(
      `No bench stage ${unknown.join(', ')}; the stages are: ${stages.map((s) => s.name).join(', ')}.`,
    );
  const chosen = only.length > 0 ? stages.filter((s) => only.includes(s.name)) : stages;

  const docker = new Dockerode();
  const version = await docker.version();
  // A partial run (--only) keeps the other stages' keys of the last full run.
  const previous: Record<string, unknown> =
    only.length > 0 && existsSync('bench/results.json')
      ? (JSON.parse(readFileSync('bench/results.json', 'utf8')) as Record<string, unknown>)
      : {};
  const results: Record<string, unknown> = { ...previous };
  const sections: string[] = [];
  for (const stage of chosen) {
    const started = performance.now();
    log(`stage ${stage.name}${values.quick ? ' (quick)' : ''}`);
    const { json, markdown } = await stage.run({ docker, quick: values.quick, log });
    mergeResults(results, json);
    sections.push(markdown);
    log(`stage ${stage.name} took ${Math.round((performance.now() - started) / 1000)} s`);
  }
  Object.assign(results, {
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      memoryGb: Math.round(totalmem() / 2 ** 30),
      docker: `${version.Version} (API ${version.ApiVersion})`,
      node: process.version,
    },
    quick: values.quick,
    date: new Date().toISOString(),
  });
  // Both files formatted as the repository's format check wants them, so a fresh run commits as is.
  writeFileSync(
    'bench/results.json',
    await format(JSON.stringify(results, null, 2), {
      ...(await resolveConfig('bench/results.json')),
      parser: 'json',
    }),
  );
  const table = await format(markdownPage(results as unknown as PageHeader, sections), {
    ...(await resolveConfig('bench/results.md')),
    parser: 'markdown',
  });
  writeFileSync('bench/results.md', table);
  console.log(`\n${table}`);
}

interface PageHeader {
  date: string;
  quick: boolean;
  machine: { cpus: number; cpuModel: string; memoryGb: number; docker: string; node: string };
}

export function markdownPage(r: PageHeader, sections: string[]): string {
  return [
    `# Benchmark results`,
    '',
    `${r.date.slice(0, 10)} on ${r.machine.cpus} × ${r.machine.cpuModel}, ${r.machine.memoryGb} GiB, Docker ${r.machine.docker}, Node ${r.machine.node}.`,
    'Medians and p95 over repeated trials in one run; the peers ran in the same run.',
    ...(r.quick ? ['', '**Quick run (`--quick`): fewer sizes and trials, indicative only.**'] : []),
    '',
    ...sections,
    'Reproduce: `npm run test:env && npm run build && npm run bench`.',
    '',
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
