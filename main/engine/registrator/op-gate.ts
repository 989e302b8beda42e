/**
 * Ordering for registrator work: operations on one container run in order
 * (a start never overtakes the stop before it), operations on different
 * containers run in parallel, and a full resync runs alone, so that it never
 * removes a registration that a concurrent start has just made.
 */
export class OpGate {
  private readonly chains = new Map<string, Promise<void>>();
  private exclusive: Promise<void> | undefined;
  private active = 0;
  private drained: (() => void) | undefined;

  /** Runs `work` after earlier work for the same key, never during a resync. */
  forKey(key: string, work: () => Promise<void>): Promise<void> {
    const previous = this.chains.get(key) ?? Promise.resolve();
    const next = previous.then(async () => {
      while (this.exclusive) await this.exclusive;
      this.active++;
      try {
        await work();
      } finally {
        this.active--;
        if (this.active === 0) this.drained?.();
      }
    });
    const settled = next.catch(() => undefined);
    this.chains.set(key, settled);
    void settled.then(() => {
      if (this.chains.get(key) === settled) this.chains.delete(key);
    });
    return next;
  }

  /** Runs `work` once every running keyed operation is done, holding new ones back. */
  async alone<T>(work: () => Promise<T>): Promise<T> {
    while (this.exclusive) await this.exclusive;
    let release!: () => void;
    this.exclusive = new Promise<void>((resolve) => (release = resolve));
    try {
      if (this.active > 0) await new Promise<void>((resolve) => (this.drained = resolve));
      this.drained = undefined;
      return await work();
    } finally {
      this.exclusive = undefined;
      release();
    }
  }

  /** Resolves when all queued work has finished. */
  async idle(): Promise<void> {
    while (this.chains.size > 0 || this.exclusive) {
      await Promise.all([...this.chains.values(), this.exclusive]);
    }
  }
}
