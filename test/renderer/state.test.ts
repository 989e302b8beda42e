import { describe, expect, it } from 'vitest';
import { BackendColors, PALETTE } from '../../renderer/src/state/colors';
import { HitsSeries } from '../../renderer/src/state/hits-series';
import { diffLines } from '../../renderer/src/state/line-diff';
import { RingBuffer } from '../../renderer/src/state/ring-buffer';
import { backendHits, hitsSnapshot } from '../../renderer/src/test/api-stub';

describe('ring buffer', () => {
  it('keeps the newest `capacity` values, oldest first', () => {
    const ring = new RingBuffer(3);
    for (const v of [1, 2, 3, 4, 5]) ring.push(v);
    expect(ring.toArray()).toEqual([3, 4, 5]);
    ring.replaceLast(9);
    expect(ring.toArray()).toEqual([3, 4, 9]);
    expect(ring.length).toBe(3);
  });
});

describe('hits series', () => {
  const T0 = 1_800_000_000_000;
  it('seeds 60 points from the first snapshot and appends the seconds since the last one', () => {
    const series = new HitsSeries();
    series.apply(hitsSnapshot(T0, [backendHits('a:80', [1, 2])]));
    expect(series.buffers.get('a:80')!.toArray()).toHaveLength(60);
    series.apply(hitsSnapshot(T0 + 3000, [backendHits('a:80', [1, 2, 3, 4, 5])]));
    expect(series.buffers.get('a:80')!.toArray().slice(-5)).toEqual([1, 2, 3, 4, 5]);
    expect(series.buffers.get('a:80')!.length).toBe(60);
    // The same second again refreshes the newest value only.
    series.apply(hitsSnapshot(T0 + 3500, [backendHits('a:80', [1, 2, 3, 4, 7])]));
    expect(series.buffers.get('a:80')!.toArray().slice(-2)).toEqual([4, 7]);
  });
  it('drops a backend once it has left the window', () => {
    const series = new HitsSeries();
    series.apply(hitsSnapshot(T0, [backendHits('a:80', [1])]));
    series.apply(hitsSnapshot(T0 + 1000, []));
    expect(series.buffers.has('a:80')).toBe(true);
    series.apply(hitsSnapshot(T0 + 100_000, []));
    expect(series.buffers.has('a:80')).toBe(false);
  });
});

describe('backend colours', () => {
  it('are stable per address and distinct for up to the palette size', () => {
    const colors = new BackendColors();
    const addresses = Array.from({ length: PALETTE.length }, (_, i) => `172.18.0.${i + 2}:80`);
    const assigned = addresses.map((a) => colors.colorOf(a));
    expect(new Set(assigned).size).toBe(PALETTE.length);
    expect(addresses.map((a) => colors.colorOf(a))).toEqual(assigned);
  });
});

describe('line diff', () => {
  it('finds added and removed lines', () => {
    expect(diffLines('a\nb\nc', 'a\nc\nd')).toEqual([
      { kind: 'same', text: 'a' },
      { kind: 'removed', text: 'b' },
      { kind: 'same', text: 'c' },
      { kind: 'added', text: 'd' },
    ]);
  });
});
