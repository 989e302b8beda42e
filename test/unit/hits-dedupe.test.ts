import { describe, expect, it } from 'vitest';
import { CounterDedupe, TimeOrderDedupe } from '../../main/engine/hits/resume-dedupe.js';

describe('CounterDedupe (simple-web page lines)', () => {
  it('counts every line of a live stream, even repeated or out-of-order counters', () => {
    const d = new CounterDedupe();
    expect([1, 2, 2, 4, 3].map((c) => d.accept(c))).toEqual([true, true, true, true, true]);
  });

  it('after a resume drops the replayed lines and counts the new ones', () => {
    const d = new CounterDedupe();
    [1, 2, 3, 4].forEach((c) => d.accept(c));
    d.resumed();
    // The stream resumed from the start of a second replays 3 and 4.
    expect([3, 4, 5, 6].map((c) => d.accept(c))).toEqual([false, false, true, true]);
  });
});

describe('TimeOrderDedupe (nginx $msec)', () => {
  it('after a resume drops lines before the last time, and as many at that time as were counted', () => {
    const d = new TimeOrderDedupe();
    for (const t of [1000, 1500, 2000, 2000]) expect(d.accept(t)).toBe(true);
    d.resumed();
    // Replay from second 1: 1500, 2000, 2000 again, then a third line at 2000 that is new, then 2100.
    expect([1500, 2000, 2000, 2000, 2100].map((t) => d.accept(t))).toEqual([false, false, false, true, true]);
  });

  it('counts every line outside a replay, even slightly out of order', () => {
    const d = new TimeOrderDedupe();
    expect([1000, 999, 1000].map((t) => d.accept(t))).toEqual([true, true, true]);
  });
});
