/**
 * Hits ingestion at the highest rate the LB carries here: a bounded closed loop
 * of GETs on 127.0.0.1 (its own process), then the engine's hit totals
 * compared with the answers the loop got, backend by backend. The engine's CPU
 * is this process's while the loop runs (the engine runs in it; nothing else does).
 */
import { spawn } from 'node:child_process';
import type { TestEngine } from '../test/support/engine-fixture.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export interface HitsIngestion {
  clients: number;
  seconds: number;
  served: number;
  failed: number;
  requestsPerSecond: number;
  /** Hits the engine counted for the loop's answers (its totals' growth). */
  counted: number;
  /** Backends whose counted hits differ from the answers they gave. */
  backendsOff: number;
  /** Web log streams that broke and were reopened while the loop ran (their lines replayed). */
  streamResumes: number;
  engineCpuPct: number;
}

interface ChildReport {
  sent: number;
  failed: number;
  served: number;
  /** The loop's own running time, without the child's start-up. */
  ms: number;
  byBackend: Record<string, number>;
}

function runChild(url: string, clients: number, total: number, seconds: number): Promise<ChildReport> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'bench/load-child.ts', url, String(clients), String(total), String(seconds)],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out) as ChildReport) : reject(new Error(`load child exited ${code}`)),
    );
  });
}

/** By host: hits are counted per ip:port, answers name their server by ip (X-Served-By). */
const host = (address: string): string => address.replace(/:\d+$/, '');
/** Returns once `read` gives the same totals twice 500 ms apart, or after `boundMs`. */
async function settled(read: () => Map<string, number>, boundMs: number): Promise<void> {
  const deadline = Date.now() + boundMs;
  let last = JSON.stringify([...read()]);
  while (Date.now() < deadline) {
    await sleep(500);
    const now = JSON.stringify([...read()]);
    if (now === last) return;
    last = now;
  }
}

const resumes = (test: TestEngine): number => test.engine.parts?.hits?.resumedWebLogStreams() ?? 0;
const totals = (test: TestEngine): Map<string, number> =>
  new Map(test.app.getHits().backends.map((b) => [host(b.address), b.total]));

export async function measureHitsIngestion(
  test: TestEngine,
  options: { clients: number; seconds: number; maxRequests: number },
): Promise<HitsIngestion> {
  // The lines of what came before (the stage's probes, its first requests) may still be on their
  // way: counted as this loop's, they would hide missing ones. Bounded: 10 s.
  await settled(() => totals(test), 10_000);
  const before = totals(test);
  const resumesBefore = resumes(test);
  const cpu = process.cpuUsage();
  const wall = performance.now();
  const report = await runChild(
    test.app.getStatus().lb.url,
    options.clients,
    options.maxRequests,
    options.seconds,
  );
  const loadMs = performance.now() - wall;
  const used = process.cpuUsage(cpu);
  const engineCpuPct = Math.round(((used.user + used.system) / 1000 / loadMs) * 1000) / 10;
  const grown = (): Map<string, number> =>
    new Map([...totals(test)].map(([address, total]) => [address, total - (before.get(address) ?? 0)]));
  const sum = (m: Map<string, number>): number => [...m.values()].reduce((a, b) => a + b, 0);
  // The logs arrive a little after the answers: wait for every backend's, bounded: 15 s.
  const behind = (): boolean => {
    const now = grown();
    return Object.entries(report.byBackend).some(([a, n]) => (now.get(host(a)) ?? 0) < n);
  };
  const deadline = Date.now() + 15_000;
  while (behind() && Date.now() < deadline) await sleep(200);
  await settled(() => totals(test), 2000); // and nothing more than that arrives
  const counted = grown();
  const backendsOff = Object.entries(report.byBackend).filter(([a, n]) => counted.get(host(a)) !== n).length;
  return {
    clients: options.clients,
    seconds: Math.round(report.ms / 100) / 10,
    served: report.served,
    failed: report.failed,
    requestsPerSecond: Math.round(report.sent / (report.ms / 1000)),
    counted: sum(counted),
    backendsOff,
    streamResumes: resumes(test) - resumesBefore,
    engineCpuPct,
  };
}
