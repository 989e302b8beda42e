/**
 * Latency percentiles over the most recent requests: a fixed-size ring, so a
 * generator running for an hour at 200/s keeps 10,000 numbers, not 720,000.
 */
export class LatencyWindow {
  private readonly values: number[] = [];
  private next = 0;

  constructor(private readonly capacity = 10_000) {}

  add(ms: number): void {
    if (this.values.length < this.capacity) this.values.push(ms);
    else this.values[this.next] = ms;
    this.next = (this.next + 1) % this.capacity;
  }

  get size(): number {
    return this.values.length;
  }

  /** p50/p95/p99 (nearest rank), rounded to 0.1 ms; undefined before the first request. */
  percentiles(): { p50: number; p95: number; p99: number } | undefined {
    if (this.values.length === 0) return undefined;
    const sorted = [...this.values].sort((a, b) => a - b);
    const rank = (p: number): number => {
      const value =
        sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
      return Math.round(value * 10) / 10;
    };
    return { p50: rank(50), p95: rank(95), p99: rank(99) };
  }
}
