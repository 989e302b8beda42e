/**
 * Where the time goes between a new web container's start and the first
 * request it serves through the LB, step by step, from timestamps the engine
 * keeps: the timeline's own events (container started, registered) and its
 * pipeline marks (a probe from the LB answered, a render finished, `nginx -t`
 * passed, the new workers serving; see Timeline.mark), and the benchmark's
 * probe for the first answer. Each step ends at the first mark of its kind
 * after the step before, so the steps add up to the whole.
 */
import type { PipelineMark, TimelineEvent } from '../main/engine/timeline.js';
import { summarize, type Summary } from './stats.js';

/** One timed scale-up, as bench/scaling.ts saw it. */
export interface RoutedTrial {
  containerId: string;
  /** The backend's IP address, as the status shows it (probe marks name `address:port`). */
  address: string;
  startedAt: number;
  servedAt: number;
  events: readonly TimelineEvent[];
  marks: readonly PipelineMark[];
}

export const BREAKDOWN_STEPS = [
  ['listening', 'Docker start event → the new process listens (registration is held until then)'],
  ['registration', 'listening → registered in Consul'],
  ['readiness', 'registered → the LB reaches the new backend (watch wake-up, network, probes)'],
  ['render', 'reachable → rendered on the render thread'],
  ['check', 'rendered → `nginx -t` passed (request to the LB, candidate written, check)'],
  ['reload', '`nginx -t` passed → HUP → new worker serving'],
  ['firstAnswer', 'new worker serving → first answer from the new backend'],
] as const;

export type BreakdownStep = (typeof BREAKDOWN_STEPS)[number][0];

export interface Breakdown {
  /** p50/p95 of each step over the trials. */
  steps: Record<BreakdownStep, Summary>;
  total: Summary;
  /** Probes of the new backend that failed before it answered, p50 (a port not yet open). */
  failedProbes: Summary;
}

/** The step durations of one trial, or undefined when a mark is missing (an older LB container). */
export function trialSteps(trial: RoutedTrial): Record<BreakdownStep, number> | undefined {
  const registered = trial.events.find(
    (e) => e.kind === 'registered' && e.containerId === trial.containerId && e.at >= trial.startedAt - 1,
  );
  if (!registered) return undefined;
  // The engine's own web containers are held until they listen (web-readiness.ts); others are not.
  const listening = trial.marks.find(
    (m) => m.step === 'listening' && m.detail === trial.containerId && m.at >= trial.startedAt - 1,
  );
  const listeningAt = Math.min(Math.max(trial.startedAt, listening?.at ?? trial.startedAt), registered.at);
  let at = Math.max(trial.startedAt, registered.at);
  const milestones: number[] = [trial.startedAt, listeningAt, at];
  const next = (step: string, detail?: string): boolean => {
    const mark = trial.marks.find(
      (m) => m.step === step && m.at >= at - 15 && (detail === undefined || isTarget(m, detail)),
    );
    if (!mark) return false;
    // The reload's marks come from the LB's clock in 10 ms steps: never let a step run backwards.
    at = Math.max(at, mark.at);
    milestones.push(at);
    return true;
  };
  if (!next('probe-ok', trial.address) || !next('render-done') || !next('nginx-checked')) return undefined;
  if (!next('workers-serving')) return undefined;
  milestones.push(Math.max(at, trial.servedAt));
  const durations = milestones.slice(1).map((m, i) => m - milestones[i]!);
  return Object.fromEntries(BREAKDOWN_STEPS.map(([step], i) => [step, durations[i]!])) as Record<
    BreakdownStep,
    number
  >;
}

export function breakdown(trials: readonly RoutedTrial[]): Breakdown | undefined {
  const timed = trials.map(trialSteps).filter((t) => t !== undefined);
  if (timed.length === 0) return undefined;
  const steps = Object.fromEntries(
    BREAKDOWN_STEPS.map(([step]) => [step, summarize(timed.map((t) => t[step]))]),
  ) as Record<BreakdownStep, Summary>;
  const failedProbes = summarize(
    trials.map(
      (t) =>
        t.marks.filter((m) => m.step === 'probe-failed' && isTarget(m, t.address) && m.at >= t.startedAt - 1)
          .length,
    ),
  );
  return { steps, total: summarize(trials.map((t) => t.servedAt - t.startedAt)), failedProbes };
}

/** A markdown table of the breakdowns side by side (p50, with p95 in brackets). */
export function breakdownTable(columns: Record<string, Breakdown | undefined>): string {
  const names = Object.keys(columns);
  const cell = (s: Summary | undefined): string => (s ? `${s.p50} (${s.p95})` : '–');
  return [
    `| Step (ms, p50 (p95)) | ${names.join(' | ')} |`,
    `| --- | ${names.map(() => '---').join(' | ')} |`,
    ...BREAKDOWN_STEPS.map(
      ([step, what]) => `| ${what} | ${names.map((n) => cell(columns[n]?.steps[step])).join(' | ')} |`,
    ),
    `| **start → first request served** | ${names.map((n) => cell(columns[n]?.total)).join(' | ')} |`,
    `| failed probes of the new backend before it answered | ${names.map((n) => cell(columns[n]?.failedProbes)).join(' | ')} |`,
  ].join('\n');
}

/** Whether a probe mark is about `address` (marks name `address:port`). */
function isTarget(mark: PipelineMark, address: string): boolean {
  return mark.detail === address || (mark.detail?.startsWith(`${address}:`) ?? false);
}
