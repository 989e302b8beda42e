/**
 * What the dashboard's long tasks are made of, from a Chromium trace: the bench's dashboard stage
 * and the stand-in load tool record one when DT_TRACE names a file (the live window only), and
 * `npx tsx test/support/long-task-trace.ts FILE` lists each task of the page's main thread over
 * 50 ms with the biggest steps inside it (a script's function, a layout, a style recalculation,
 * an event from the EventSource, a garbage collection), and the time the task spent off the CPU
 * (wall time minus thread time: a busy machine makes tasks long that are not slow), then the
 * page's CPU time per task over the whole window (cpuPerTask).
 */
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';

const CATEGORIES = [
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'v8',
  // The sampling profiler: which functions the script time goes to (an unminified build names them).
  'disabled-by-default-v8.cpu_profiler',
];

/** Starts a trace of `page` when DT_TRACE is set; returns how to stop it (a no-op otherwise). */
export async function traceIfAsked(browser: Browser, page: Page): Promise<() => Promise<void>> {
  const path = process.env.DT_TRACE;
  if (!path) return () => Promise.resolve();
  await browser.startTracing(page, { path, categories: CATEGORIES });
  return async () => void (await browser.stopTracing());
}

interface TraceEvent {
  name: string;
  id?: string;
  ph: string;
  ts: number;
  dur?: number;
  tdur?: number;
  pid: number;
  tid: number;
  args?: { name?: string; data?: Record<string, string | number | object | undefined> };
}

export interface LongTaskSummary {
  startMs: number;
  durationMs: number;
  /** Wall time the thread did not run (another process had the CPU). */
  offCpuMs: number;
  steps: { what: string; ms: number }[];
}

function describe(event: TraceEvent): string {
  const data = event.args?.data ?? {};
  const text = (value: unknown): string =>
    typeof value === 'string' || typeof value === 'number' ? `${value}` : '';
  if (event.name === 'FunctionCall')
    return `FunctionCall ${text(data.functionName) || '(anonymous)'} ${text(data.url).split('/').pop()}:${text(data.lineNumber)}`;
  if (event.name === 'EventDispatch') return `EventDispatch ${text(data.type)}`;
  return event.name;
}

/** All the page's main-thread tasks in the trace: wall time and CPU time (load-independent work). */
export function mainThreadTotals(file: string): { tasks: number; wallMs: number; cpuMs: number } {
  const all = summarizeTrace(file, 0);
  const sum = (f: (t: LongTaskSummary) => number): number => Math.round(all.reduce((a, t) => a + f(t), 0));
  return {
    tasks: all.length,
    wallMs: sum((t) => t.durationMs),
    cpuMs: sum((t) => t.durationMs - t.offCpuMs),
  };
}

/**
 * The page's own work per task, whatever the machine's load: each main-thread task's time on the
 * CPU (its thread time), the longest, the 95th percentile of those over 1 ms, and how many reached
 * 16 ms (a frame) and 50 ms (a long task even on an idle machine). A run on a shared 2-core machine
 * can have long tasks that are all wait; this tells them apart from a page that does too much.
 */
export function cpuPerTask(file: string): {
  tasks: number;
  maxMs: number;
  p95Ms: number;
  over16: number;
  over50: number;
} {
  const cpu = summarizeTrace(file, 0)
    // The trace's own start (the sampling profiler starting) is not the page's work.
    .filter((t) => !t.steps.some((s) => s.what === 'CpuProfiler::StartProfiling'))
    .map((t) => Math.round((t.durationMs - t.offCpuMs) * 10) / 10)
    .filter((ms) => ms >= 1)
    .sort((a, b) => a - b);
  return {
    tasks: cpu.length,
    maxMs: cpu.at(-1) ?? 0,
    p95Ms: cpu[Math.min(cpu.length - 1, Math.ceil(cpu.length * 0.95) - 1)] ?? 0,
    over16: cpu.filter((ms) => ms >= 16).length,
    over50: cpu.filter((ms) => ms >= 50).length,
  };
}

export function summarizeTrace(file: string, thresholdMs = 50): LongTaskSummary[] {
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as { traceEvents: TraceEvent[] } | TraceEvent[];
  const events = Array.isArray(parsed) ? parsed : parsed.traceEvents;
  // The page's main thread: the renderer thread named CrRendererMain with the most work.
  const mains = events.filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  let main: TraceEvent | undefined;
  let most = -1;
  for (const candidate of mains) {
    const work = events
      .filter((e) => e.pid === candidate.pid && e.tid === candidate.tid && e.name === 'RunTask')
      .reduce((sum, e) => sum + (e.dur ?? 0), 0);
    if (work > most) [main, most] = [candidate, work];
  }
  if (!main) return [];
  const onMain = events
    .filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === 'X' && e.dur !== undefined)
    .sort((a, b) => a.ts - b.ts);
  const first = onMain[0]?.ts ?? 0;
  const tasks = onMain.filter((e) => e.name === 'RunTask' && (e.dur ?? 0) / 1000 >= thresholdMs);
  return tasks.map((task) => {
    const end = task.ts + (task.dur ?? 0);
    const inside = onMain.filter((e) => e !== task && e.ts >= task.ts && e.ts + (e.dur ?? 0) <= end);
    const totals = new Map<string, number>();
    for (const e of inside) {
      if (e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask') continue;
      const key = describe(e);
      totals.set(key, (totals.get(key) ?? 0) + (e.dur ?? 0) / 1000);
    }
    const steps = [...totals]
      .map(([what, ms]) => ({ what, ms: Math.round(ms * 10) / 10 }))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, 8);
    const durationMs = Math.round((task.dur ?? 0) / 100) / 10;
    const offCpuMs = task.tdur === undefined ? 0 : Math.round(((task.dur ?? 0) - task.tdur) / 100) / 10;
    return { startMs: Math.round((task.ts - first) / 1000), durationMs, offCpuMs, steps };
  });
}

interface ProfileNode {
  id: number;
  parent?: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

/** Time per function (itself and what it calls) from the trace's sampling profiler, inside the tasks given (or all). */
export function hotFunctions(
  file: string,
  within?: LongTaskSummary[],
  top = 45,
): { what: string; ms: number }[] {
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as { traceEvents: TraceEvent[] } | TraceEvent[];
  const events = Array.isArray(parsed) ? parsed : parsed.traceEvents;
  const nodes = new Map<string, ProfileNode>();
  const times = new Map<string, number>();
  const first = Math.min(...events.filter((e) => e.ph === 'X').map((e) => e.ts));
  const inWindow = (ts: number): boolean =>
    !within ||
    within.some((t) => ts >= first + t.startMs * 1000 && ts <= first + (t.startMs + t.durationMs) * 1000);
  // Profiles are per thread (args.data.startTime, then chunks with nodes, samples, timeDeltas).
  const clocks = new Map<string, number>();
  for (const e of events) {
    const data = e.args?.data;
    if (e.name === 'Profile' && data?.startTime !== undefined)
      clocks.set(`${e.pid}:${e.id}`, Number(data.startTime));
    if (e.name !== 'ProfileChunk' || !data) continue;
    const key = `${e.pid}:${e.id}`;
    const profile = data.cpuProfile as { nodes?: ProfileNode[]; samples?: number[] } | undefined;
    for (const node of profile?.nodes ?? []) nodes.set(`${key}:${node.id}`, node);
    const deltas = (data.timeDeltas as number[] | undefined) ?? [];
    let clock = clocks.get(key) ?? 0;
    (profile?.samples ?? []).forEach((sample, i) => {
      const delta = deltas[i] ?? 0;
      clock += delta;
      if (!inWindow(clock)) return;
      // Inclusive time: each function on the sampled stack, once per sample.
      const seen = new Set<string>();
      for (let node = nodes.get(`${key}:${sample}`); node; node = nodes.get(`${key}:${node.parent}`)) {
        const frame = node.callFrame;
        const what = `${frame.functionName || '(anonymous)'} ${(frame.url ?? '').split('/').pop()}:${(frame.lineNumber ?? 0) + 1}`;
        if (seen.has(what)) continue;
        seen.add(what);
        // Each sample stands for the interval up to the next one.
        times.set(what, (times.get(what) ?? 0) + (deltas[i + 1] ?? delta) / 1000);
      }
    });
    clocks.set(key, clock);
  }
  return [...times]
    .map(([what, ms]) => ({ what, ms: Math.round(ms * 10) / 10 }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, top);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const file = process.argv[2];
  if (!file) throw new Error('usage: npx tsx test/support/long-task-trace.ts TRACE.json [thresholdMs]');
  const tasks = summarizeTrace(file, Number(process.argv[3] ?? 50));
  for (const t of tasks) {
    console.log(`@${t.startMs} ms: ${t.durationMs} ms (off CPU ${t.offCpuMs} ms)`);
    for (const s of t.steps) console.log(`    ${s.ms} ms  ${s.what}`);
  }
  const totals = mainThreadTotals(file);
  console.log(`main thread: ${totals.tasks} tasks, ${totals.wallMs} ms wall, ${totals.cpuMs} ms on the CPU`);
  const cpu = cpuPerTask(file);
  console.log(
    `CPU per task (${cpu.tasks} tasks of 1 ms or more): max ${cpu.maxMs} ms, p95 ${cpu.p95Ms} ms, ${cpu.over16} of 16 ms or more, ${cpu.over50} of 50 ms or more`,
  );
  console.log(`${tasks.length} tasks ≥ threshold; the functions with the most time in them (inclusive):`);
  for (const f of hotFunctions(file, tasks)) console.log(`    ${f.ms} ms  ${f.what}`);
}
