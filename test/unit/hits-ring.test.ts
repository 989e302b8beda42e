import { describe, expect, it } from 'vitest';
import { PerSecondRing } from '../../main/engine/hits/per-second-ring.js';

const T0 = 1_800_000_000_000; // an epoch ms on a whole second

describe('PerSecondRing', () => {
  it('counts hits into the second they happened in', () => {
    const ring = new PerSecondRing(10);
    ring.add(T0);
    ring.add(T0 + 999);
    ring.add(T0 + 1000);
    const s = T0 / 1000;
    expect(ring.at(s)).toBe(2);
    expect(ring.at(s + 1)).toBe(1);
    expect(ring.at(s + 2)).toBe(0);
    expect(ring.total).toBe(3);
  });

  it('gives a series oldest first, zero where nothing happened', () => {
    const ring = new PerSecondRing(10);
    const s = T0 / 1000;
    ring.add(T0, 3);
    ring.add(T0 + 2000, 5);
    expect(ring.series(s + 2, 4)).toEqual([0, 3, 0, 5]);
    expect(ring.sum(s + 2, 4)).toBe(8);
  });

  it('forgets seconds older than its capacity: a slot of an earlier lap reads as zero', () => {
    const ring = new PerSecondRing(5);
    const s = T0 / 1000;
    ring.add(T0, 7);
    // Five seconds later the same slot holds a new second.
    ring.add(T0 + 5000, 1);
    expect(ring.at(s)).toBe(0);
    expect(ring.at(s + 5)).toBe(1);
    // Another lap later, reading the old second still gives zero, not stale data.
    expect(ring.at(s + 10)).toBe(0);
    expect(ring.total).toBe(8);
  });

  it('keeps a fixed size however many hits and seconds go by', () => {
    const ring = new PerSecondRing(300);
    for (let i = 0; i < 3000; i++) ring.add(T0 + i * 250);
    const last = Math.floor((T0 + 2999 * 250) / 1000);
    expect(ring.series(last, 300).every((n) => n === 4)).toBe(true);
    expect(ring.sum(last, 301)).toBe(1200);
    expect(ring.total).toBe(3000);
  });

  it('counts a hit older than the window in the total only', () => {
    const ring = new PerSecondRing(5);
    ring.add(T0 + 10_000);
    ring.add(T0);
    expect(ring.total).toBe(2);
    expect(ring.sum(T0 / 1000 + 10, 11)).toBe(1);
  });
});
