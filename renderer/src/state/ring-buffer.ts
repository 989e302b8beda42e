/** A fixed-capacity buffer of numbers: pushing past capacity overwrites the oldest value. */
export class RingBuffer {
  private readonly values: Float64Array;
  private start = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    this.values = new Float64Array(capacity);
  }

  get length(): number {
    return this.count;
  }

  push(value: number): void {
    const end = (this.start + this.count) % this.capacity;
    this.values[end] = value;
    if (this.count < this.capacity) this.count++;
    else this.start = (this.start + 1) % this.capacity;
  }

  /** Overwrites the newest value (no-op when empty). */
  replaceLast(value: number): void {
    if (this.count === 0) return;
    this.values[(this.start + this.count - 1) % this.capacity] = value;
  }

  /** The i-th value, oldest first. */
  at(index: number): number {
    return this.values[(this.start + index) % this.capacity] ?? 0;
  }

  /** Oldest first. */
  toArray(): number[] {
    return Array.from({ length: this.count }, (_, i) => this.at(i));
  }

  clear(): void {
    this.start = 0;
    this.count = 0;
  }
}
