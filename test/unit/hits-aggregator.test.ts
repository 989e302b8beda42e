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
