/** Exponential backoff with a ceiling, for reconnecting to Docker and Consul. */
export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  factor?: number;
}

export class Backoff {
  private attempt = 0;

  constructor(private readonly options: BackoffOptions) {}

  /** The delay before the next attempt; each call grows it until the ceiling. */
  next(): number {
    const factor = this.options.factor ?? 2;
    const delay = Math.min(this.options.maxMs, this.options.initialMs * factor ** this.attempt);
    this.attempt++;
    return delay;
  }

  reset(): void {
    this.attempt = 0;
  }
}

export function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
