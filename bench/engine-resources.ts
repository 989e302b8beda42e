/**
 * The headless engine's own cost, measured from outside on the process that
 * `discovery-tray up` runs (built JavaScript, as a user runs it): CPU while idle
 * and while its traffic generator sends 100 requests per second through the
 * LB, and its resident memory. Read from /proc (Linux), so nothing inside the
 * engine is changed by being measured.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ControlClient } from '../main/server/control-client.js';
import { removeTestStack } from '../test/support/engine-fixture.js';
import { testImages } from '../test/support/images.js';
import { freePort } from '../test/support/ports.js';

export interface EngineResources {
  idleCpuPct: number;
  loadCpuPct: number;
  rssMb: number;
  /** Requests the generator reported as sent while the load was measured. */
  loadSent: number;
}

const CLK_TCK = 100;

function cpuSeconds(pid: number): number {
  // Fields 14 and 15 of /proc/<pid>/stat: user and system time in clock ticks (after the "(comm)" field).
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
}

function rssMb(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : Number.NaN;
}

async function cpuPercentOver(pid: number, ms: number, onSample: () => void): Promise<number> {
  const startCpu = cpuSeconds(pid);
  const start = performance.now();
  const end = start + ms;
  while (performance.now() < end) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    onSample();
  }
  return Math.round(((cpuSeconds(pid) - startCpu) / ((performance.now() - start) / 1000)) * 1000) / 10;
}

export async function measureEngineResources(
  options: { settleMs?: number; idleMs?: number; loadMs?: number } = {},
): Promise<EngineResources> {
  const cli = join(process.cwd(), 'out/node/main/cli.js');
  if (!existsSync(cli)) throw new Error('Build first (npm run build): out/node/main/cli.js is missing.');
  const stateDir = mkdtempSync(join(tmpdir(), 'dt-bench-state-'));
  const project = `dt-bench-${process.pid}`;
  const previousStateDir = process.env.DISCOVERY_TRAY_STATE_DIR;
  process.env.DISCOVERY_TRAY_STATE_DIR = stateDir;
  let engine: ChildProcess | undefined;
  let output = '';
  try {
    engine = spawn(
      process.execPath,
      [
        cli,
        'up',
        '--web',
        '3',
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
    const deadline = Date.now() + 120_000;
    while (!output.includes('Discovery Tray is up')) {
      if (engine.exitCode !== null || Date.now() > deadline) throw new Error(`up failed:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const pid = engine.pid!;
    // Let start-up work settle before calling it idle: the first renders, log
    // followers, lazily compiled code and V8's memory-reducing collections (about
    // 9 s after start). Sampled 1 s at a time, the process spends 30-100 ms of CPU
    // per second in the first seconds after `up`, then 0-20 ms; with 3 s of
    // settling the idle figure mixed the two (1.2 %).
    await new Promise((resolve) => setTimeout(resolve, options.settleMs ?? 10_000));
    let peakRss = rssMb(pid);
    const sample = (): void => {
      peakRss = Math.max(peakRss, rssMb(pid));
    };
    const idleCpuPct = await cpuPercentOver(pid, options.idleMs ?? 30_000, sample);

    const client = await ControlClient.connect();
    const seconds = Math.ceil((options.loadMs ?? 15_000) / 1000) + 4;
    await client.call('startTraffic', { ratePerSecond: 100, durationSeconds: seconds });
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const loadCpuPct = await cpuPercentOver(pid, options.loadMs ?? 15_000, sample);
    const traffic = await client.call('getTraffic');
    await client.call('stopTraffic').catch(() => undefined);
    await client.call('down');
    const exited = Date.now() + 30_000;
    while (engine.exitCode === null && Date.now() < exited)
      await new Promise((resolve) => setTimeout(resolve, 100));
    return { idleCpuPct, loadCpuPct, rssMb: Math.round(peakRss * 10) / 10, loadSent: traffic.sent };
  } finally {
    if (engine && engine.exitCode === null) engine.kill('SIGTERM');
    await removeTestStack(undefined, project);
    if (previousStateDir === undefined) delete process.env.DISCOVERY_TRAY_STATE_DIR;
    else process.env.DISCOVERY_TRAY_STATE_DIR = previousStateDir;
    rmSync(stateDir, { recursive: true, force: true });
  }
}
