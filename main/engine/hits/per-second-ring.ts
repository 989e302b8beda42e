/**
 * Hits per second over a fixed window (300 s by default), in a fixed-size
 * ring: memory stays the same however long the engine runs and however many
 * requests arrive. Each slot remembers which second it holds, so a slot left
 * over from an earlier lap of the ring reads as zero instead of as stale data.
 */
export const WINDOW_SECONDS = 300;

export class PerSecondRing {
  private readonly counts: Float64Array;
  private readonly seconds: Float64Array;
  private totalCount = 0;
  private newest = Number.NEGATIVE_INFINITY;

  constructor(readonly capacity = WINDOW_SECONDS) {
    this.counts = new Float64Array(capacity);
    this.seconds = new Float64Array(capacity).fill(-1);
  }

  /** Counts `n` hits in the second that contains `atMs` (epoch milliseconds). */
  add(atMs: number, n = 1): void {
    const second = Math.floor(atMs / 1000);
    const slot = second % this.capacity;
    if (this.seconds[slot] !== second) {
      // A hit older than the window has no slot of its own any more: it still counts in the total.
      if (this.seconds[slot]! > second) {
        this.totalCount += n;
        return;
      }
      this.seconds[slot] = second;
      this.counts[slot] = 0;
    }
    this.counts[slot]! += n;
    if (second > this.newest) this.newest = second;
    this.totalCount += n;
  }

  /** Hits in one second (epoch seconds); zero outside the window. */
  at(second: number): number {
    const slot = second % this.capacity;
    return this.seconds[slot] === second ? this.counts[slot]! : 0;
  }

  /** `length` seconds ending with `lastSecond` (included), oldest first. */
  series(lastSecond: number, length: number): number[] {
    const out: number[] = [];
    for (let s = lastSecond - length + 1; s <= lastSecond; s++) out.push(this.at(s));
    return out;
  }

  /** Sum over `length` seconds ending with `lastSecond`. */
  sum(lastSecond: number, length: number): number {
    let sum = 0;
    for (let s = lastSecond - length + 1; s <= lastSecond; s++) sum += this.at(s);
    return sum;
  }

  /**
   * The latest second a hit was counted in a slot (-Infinity before the first):
   * a series or sum that starts after it is all zero, known without reading the
   * slots (the hits snapshot asks this of every backend every second).
   */
  get newestSecond(): number {
    return this.newest;
  }

  get total(): number {
    return this.totalCount;
  }
}
