import { describe, expect, it } from 'vitest';
import { phasePausesMs } from '../../bench/scaling.js';

describe('phasePausesMs', () => {
  it('puts one pause in each equal slice of the period', () => {
    const pauses = phasePausesMs(20, 1000);
    expect(pauses).toHaveLength(20);
    const slices = pauses.map((pause) => Math.floor(pause / 50)).sort((a, b) => a - b);
    expect(slices).toEqual(Array.from({ length: 20 }, (_, k) => k));
  });

  it('stays inside one period, so a trial waits at most that long', () => {
    for (const pause of phasePausesMs(7, 1000)) {
      expect(pause).toBeGreaterThan(0);
      expect(pause).toBeLessThan(1000);
    }
  });

  it('does not always come in the same order', () => {
    const orders = new Set(Array.from({ length: 5 }, () => phasePausesMs(10, 1000).join(',')));
    expect(orders.size).toBeGreaterThan(1);
  });
});
