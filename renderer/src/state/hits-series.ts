/**
 * Per-backend hits per second over the last WINDOW seconds, in ring buffers fed from the
 * engine's snapshots. A snapshot carries the last 60 s per backend, so a missed push (or a
 * slow tab) is filled from it instead of leaving a hole.
 */
import type { HitsSnapshot } from '../../../contract/index';
import { RingBuffer } from './ring-buffer';

export const WINDOW_SECONDS = 60;

export class HitsSeries {
  readonly buffers = new Map<string, RingBuffer>();
  private lastSecond: number | undefined;

  /** Returns true when anything changed. */
  apply(snapshot: HitsSnapshot): boolean {
    const second = Math.floor(snapshot.at / 1000);
    if (this.lastSecond !== undefined && second <= this.lastSecond) {
      // Same second again (or out of order): refresh the newest value only.
      return this.refreshLatest(snapshot);
    }
    const gap =
      this.lastSecond === undefined ? WINDOW_SECONDS : Math.min(second - this.lastSecond, WINDOW_SECONDS);
    this.lastSecond = second;
    const present = new Set<string>();
    for (const backend of snapshot.backends) {
      present.add(backend.address);
      let buffer = this.buffers.get(backend.address);
      const fresh = !buffer;
      if (!buffer) {
        buffer = new RingBuffer(WINDOW_SECONDS);
        this.buffers.set(backend.address, buffer);
      }
      // A new backend gets its whole window; a known one the seconds since the last snapshot.
      const take = fresh ? WINDOW_SECONDS : gap;
      const series = backend.series;
      if (fresh) for (let i = series.length; i < WINDOW_SECONDS; i++) buffer.push(0);
      for (let i = Math.max(0, series.length - take); i < series.length; i++) buffer.push(series[i] ?? 0);
    }
    for (const [address, buffer] of this.buffers) {
      if (present.has(address)) continue;
      // Gone from the snapshot (its last hit left the window): show zeros, then drop it.
      for (let i = 0; i < gap; i++) buffer.push(0);
      if (buffer.toArray().every((v) => v === 0)) this.buffers.delete(address);
    }
    return true;
  }

  private refreshLatest(snapshot: HitsSnapshot): boolean {
    let changed = false;
    for (const backend of snapshot.backends) {
      const buffer = this.buffers.get(backend.address);
      const latest = backend.series[backend.series.length - 1];
      if (!buffer || latest === undefined || buffer.length === 0) continue;
      if (buffer.at(buffer.length - 1) !== latest) {
        buffer.replaceLast(latest);
        changed = true;
      }
    }
    return changed;
  }
}
