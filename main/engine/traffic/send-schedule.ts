/**
 * When each request of a steady rate is due, on an absolute schedule
 * (start + i / rate), so timer lateness never accumulates into drift. A
 * request that is badly overdue (the process stalled) is skipped and counted
 * rather than sent in a burst with the others.
 */
export interface DueRequests {
  /** How many to send now. */
  send: number;
  /** How many are too late to send without bursting. */
  skip: number;
  /** When the next one is due (ms, same clock as `now`). */
  nextDueAt: number;
}

export class SendSchedule {
  private sentOrSkipped = 0;

  constructor(
    private readonly startMs: number,
    private readonly ratePerSecond: number,
    private readonly endMs: number,
    /** A request later than this is skipped. */
    private readonly maxLatenessMs = 250,
  ) {}

  private dueAt(index: number): number {
    return this.startMs + (index * 1000) / this.ratePerSecond;
  }

  /** Requests due at `now` that have not been handed out yet. */
  take(now: number): DueRequests {
    let send = 0;
    let skip = 0;
    while (this.dueAt(this.sentOrSkipped) <= now && this.dueAt(this.sentOrSkipped) < this.endMs) {
      if (now - this.dueAt(this.sentOrSkipped) > this.maxLatenessMs) skip++;
      else send++;
      this.sentOrSkipped++;
    }
    return { send, skip, nextDueAt: this.dueAt(this.sentOrSkipped) };
  }

  /** True once every request before the end has been handed out. */
  finished(now: number): boolean {
    return now >= this.endMs || this.dueAt(this.sentOrSkipped) >= this.endMs;
  }
}
