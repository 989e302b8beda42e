import { describe, expect, it } from 'vitest';
import { HitsAggregator, RECENT_LENGTH, SERIES_SECONDS } from '../../main/engine/hits/hits-aggregator.js';

const T0 = 1_800_000_000_000;
const A = { address: '172.18.0.5:80', containerId: 'a', containerName: 'web-1' };
const B = { address: '172.18.0.6:80', containerId: 'b', containerName: 'web-2' };

describe('HitsAggregator', () => {
  it('reports totals, the last complete second, shares over 60 s and a 60-entry series', () => {
    const agg = new HitsAggregator();
    for (let i = 0; i < 30; i++) agg.record(A, T0 + i * 100); // 10/s for 3 s
    for (let i = 0; i < 10; i++) agg.record(B, T0 + 2000 + i * 100); // 10 in the third second
    const snap = agg.snapshot(T0 + 3500, 'web-logs');
    expect(snap.source).toBe('web-logs');
    const [a, b] = snap.backends;
    expect(a).toMatchObject({ address: A.address, containerName: 'web-1', total: 30, perSecond: 10 });
    expect(b).toMatchObject({ address: B.address, total: 10, perSecond: 10 });
    expect(a!.share).toBeCloseTo(0.75);
    expect(b!.share).toBeCloseTo(0.25);
    expect(a!.series).toHaveLength(SERIES_SECONDS);
    expect(a!.series.slice(-3)).toEqual([10, 10, 10]);
    expect(b!.series.slice(-3)).toEqual([0, 0, 10]);
  });

  it('drops to zero per second once a backend stops serving, and keeps its total', () => {
    const agg = new HitsAggregator();
    for (let i = 0; i < 5; i++) agg.record(A, T0 + i * 100);
    const later = agg.snapshot(T0 + 10_000, 'web-logs').backends[0];
    expect(later).toMatchObject({ perSecond: 0, total: 5 });
  });

  it('keeps the last 50 backends in the order they served, oldest first', () => {
    const agg = new HitsAggregator();
    for (let i = 0; i < 60; i++) agg.record(i % 2 === 0 ? A : B, T0 + i);
    const { recent } = agg.snapshot(T0 + 1000, 'web-logs');
    expect(recent).toHaveLength(RECENT_LENGTH);
    expect(recent[0]).toBe(A.address); // hit #10
    expect(recent[recent.length - 1]).toBe(B.address); // hit #59
    expect(recent.slice(0, 4)).toEqual([A.address, B.address, A.address, B.address]);
  });

  it('lists registered backends with no hits yet, and forgets gone ones after the window', () => {
    const agg = new HitsAggregator();
    agg.record(A, T0);
    const snap = agg.snapshot(T0 + 2000, 'lb-access-log', [B]);
    expect(snap.backends.map((b) => b.address)).toEqual([A.address, B.address]);
    expect(snap.backends[1]).toMatchObject({ total: 0, perSecond: 0, share: 0, containerName: 'web-2' });
    // A is not registered any more and has had no hit for over 300 s: gone.
    expect(agg.snapshot(T0 + 302_000, 'lb-access-log', [B]).backends.map((b) => b.address)).toEqual([
      B.address,
    ]);
  });

  it('starts from zero when a new container gets an old container’s address', () => {
    const agg = new HitsAggregator();
    agg.record(A, T0);
    agg.record(A, T0 + 1);
    agg.record({ ...A, containerId: 'a2', containerName: 'web-3' }, T0 + 2);
    expect(agg.total(A.address)).toBe(1);
    expect(agg.snapshot(T0 + 1000, 'web-logs').backends[0]?.containerName).toBe('web-3');
  });

  it('sorts addresses numerically', () => {
    const agg = new HitsAggregator();
    agg.record({ address: '172.18.0.10:80' }, T0);
    agg.record({ address: '172.18.0.9:80' }, T0);
    expect(agg.snapshot(T0 + 1000, 'web-logs').backends.map((b) => b.address)).toEqual([
      '172.18.0.9:80',
      '172.18.0.10:80',
    ]);
  });
});

describe('HitsAggregator when quiet', () => {
  const window = 300_000; // WINDOW_SECONDS in ms

  it('is quiet only once no hit lies inside any window, and then keeps the same snapshot', () => {
    const agg = new HitsAggregator();
    expect(agg.quietAt(T0)).toBe(true);
    agg.record(A, T0);
    agg.record(B, T0 + 10);
    expect(agg.quietAt(T0 + 61_000)).toBe(false); // outside the series, still in the forget window
    expect(agg.quietAt(T0 + window)).toBe(false);
    expect(agg.quietAt(T0 + window + 1000)).toBe(true);
    const first = agg.snapshot(T0 + window + 1000, 'web-logs', [B]);
    const later = agg.snapshot(T0 + window + 50_000, 'web-logs', [B]);
    expect(later.backends).toEqual(first.backends);
    expect(first.backends.map((b) => b.address)).toEqual([B.address]); // A is gone and forgotten
    expect(first.backends[0]).toMatchObject({ total: 1, perSecond: 0, share: 0 });
    agg.record(A, T0 + window + 60_000);
    expect(agg.quietAt(T0 + window + 61_000)).toBe(false);
  });

  it('gives the snapshot the full reading of every slot gives, at any time after any hits', () => {
    // The old snapshot read all 300 slots of every backend every second; the new one skips
    // backends quiet for the window or the series. Same hits, same answers, around every edge.
    const agg = new HitsAggregator();
    let seed = 7;
    const random = (): number => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const backends = Array.from({ length: 12 }, (_, i) => ({ address: `172.18.0.${i + 2}:80` }));
    // 400 hits over 400 s (sparser after 200 s), in time order as the logs deliver them.
    const hits = Array.from({ length: 400 }, () => ({
      address: backends[Math.floor(random() * backends.length)]!.address,
      s: T0 / 1000 + Math.floor(random() * 400),
    }))
      .filter((h) => h.s < T0 / 1000 + 200 || random() < 0.5)
      .sort((a, b) => a.s - b.s);
    const known = backends.slice(0, 4);
    let recorded = 0;
    let busySeries = 0;
    let forgotten = 0;
    for (let now = T0 + 500; now < T0 + 800_000; now += 7_000) {
      for (; recorded < hits.length && hits[recorded]!.s * 1000 < now - 1000; recorded++)
        agg.record({ address: hits[recorded]!.address }, hits[recorded]!.s * 1000);
      const lastComplete = Math.floor(now / 1000) - 1;
      const count = (address: string, from: number, to: number): number =>
        hits.slice(0, recorded).filter((h) => h.address === address && h.s >= from && h.s <= to).length;
      const snap = agg.snapshot(now, 'web-logs', known);
      for (const row of snap.backends) {
        const first = lastComplete - SERIES_SECONDS + 1;
        const expected = Array.from({ length: SERIES_SECONDS }, (_, i) =>
          count(row.address, first + i, first + i),
        );
        expect(row.series).toEqual(expected);
        if (expected.some((n) => n > 0)) busySeries++;
      }
      const listed = new Set(snap.backends.map((b) => b.address));
      for (const { address } of backends) {
        const isKnown = known.some((k) => k.address === address);
        // The old rule: gone backends stay while the 300 slots up to this second hold a hit.
        const inWindow = count(address, lastComplete - 299, lastComplete + 1) > 0;
        const everHit = count(address, 0, lastComplete + 1) > 0;
        expect(listed.has(address), `${address} at +${now - T0} ms`).toBe(isKnown || inWindow);
        if (!isKnown && everHit && !inWindow) forgotten++;
      }
    }
    // Both edges were crossed: series with hits, and gone backends forgotten.
    expect(busySeries).toBeGreaterThan(20);
    expect(forgotten).toBeGreaterThan(10);
  });
});
