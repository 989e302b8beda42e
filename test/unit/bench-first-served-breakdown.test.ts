import { describe, expect, it } from 'vitest';
import { breakdown, trialSteps, type RoutedTrial } from '../../bench/first-served-breakdown.js';
import { checkedForMs } from '../../main/engine/lb/nginx-files.js';
import { MAX_PIPELINE_MARKS, Timeline } from '../../main/engine/timeline.js';
import type { TimelineEvent } from '../../contract/index.js';

const event = (kind: TimelineEvent['kind'], at: number, containerId?: string): TimelineEvent => ({
  kind,
  at,
  seq: at,
  message: kind,
  ...(containerId ? { containerId } : {}),
});

function trial(overrides: Partial<RoutedTrial> = {}): RoutedTrial {
  return {
    containerId: 'c1',
    address: '172.20.0.5',
    startedAt: 1000,
    servedAt: 1100,
    events: [event('container-started', 1000, 'c1'), event('registered', 1010, 'c1')],
    marks: [
      { step: 'listening', at: 1004, detail: 'c1' },
      // Another backend's probe answers first: it must not count for this one.
      { step: 'probe-ok', at: 1012, detail: '172.20.0.9:80' },
      { step: 'probe-failed', at: 1015, detail: '172.20.0.5:80' },
      { step: 'probe-ok', at: 1030, detail: '172.20.0.5:80' },
      { step: 'render-done', at: 1035 },
      { step: 'nginx-checked', at: 1060 },
      { step: 'workers-serving', at: 1090 },
    ],
    ...overrides,
  };
}

describe('the first-served breakdown', () => {
  it('splits start → first answer into steps that add up to the whole', () => {
    const steps = trialSteps(trial())!;
    expect(steps).toEqual({
      listening: 4,
      registration: 6,
      readiness: 20,
      render: 5,
      check: 25,
      reload: 30,
      firstAnswer: 10,
    });
    expect(Object.values(steps).reduce((a, b) => a + b)).toBe(100);
  });

  it('never lets a step run backwards when the LB clock puts a mark early, or the answer came first', () => {
    const steps = trialSteps(
      trial({
        servedAt: 1080,
        marks: [
          { step: 'probe-ok', at: 1030, detail: '172.20.0.5:80' },
          { step: 'render-done', at: 1035 },
          { step: 'nginx-checked', at: 1030 },
          { step: 'workers-serving', at: 1090 },
        ],
      }),
    )!;
    // No listening mark (a container the engine does not hold): no wait for it.
    expect(steps.listening).toBe(0);
    expect(steps.registration).toBe(10);
    expect(steps.check).toBe(0);
    expect(steps.firstAnswer).toBe(0);
  });

  it('leaves out a trial with a missing mark (an LB that does not say when its check passed) and counts failed probes', () => {
    const old = trial({ marks: trial().marks.filter((m) => m.step !== 'nginx-checked') });
    expect(trialSteps(old)).toBeUndefined();
    const summary = breakdown([trial(), old])!;
    expect(summary.steps.check.n).toBe(1);
    expect(summary.total.n).toBe(2);
    expect(summary.failedProbes.p50).toBe(1);
  });

  it("reads when nginx -t passed from the apply script's uptime lines", () => {
    expect(checkedForMs('old: 1 \nserving:5012.34 5012.46\nchecked:5012.30\n')).toBeCloseTo(160, 5);
    expect(checkedForMs('old: 1 \nserving:5012.34 5012.46\n')).toBeUndefined();
  });

  it('keeps a bounded number of pipeline marks', () => {
    const timeline = new Timeline();
    for (let i = 0; i < MAX_PIPELINE_MARKS + 10; i++) timeline.mark('poked', String(i), i);
    const marks = timeline.marks();
    expect(marks).toHaveLength(MAX_PIPELINE_MARKS);
    expect(marks[0]?.detail).toBe('10');
    expect(timeline.marks(MAX_PIPELINE_MARKS + 5)).toHaveLength(5);
  });
});
