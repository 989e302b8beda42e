/**
 * One container's log, followed for as long as the container runs: a stream
 * that breaks while the container still runs is reopened from where it was
 * (the owner's dedupe drops the replayed lines); a stream that ends because
 * the container went, or that the owner closes, stays closed. `open` says
 * whether an HTTP stream is open right now, so leaks can be counted.
 */
import type Dockerode from 'dockerode';
import { delay } from '../backoff.js';
import { followLogs, type LogFollower, type LogLine } from '../docker/log-lines.js';

export interface ResumingLogStreamOptions {
  /** Epoch seconds of the first line wanted (default: now). */
  sinceSeconds?: number;
  /** Epoch seconds to resume from after a break (default: when the break happened). */
  resumeSinceSeconds?: () => number | undefined;
  /** Told before a reopened stream delivers lines again (the replay starts). */
  onResume?: () => void;
  retryDelayMs?: number;
  /** Gives up after this many breaks in a row without a single line in between. */
  maxRetries?: number;
}

export class ResumingLogStream {
  private follower: LogFollower | undefined;
  private closed = false;
  private readonly abort = new AbortController();
  /** Resolves once the stream is closed for good. */
  readonly done: Promise<void>;

  constructor(
    private readonly container: Dockerode.Container,
    private readonly onLine: (line: LogLine) => void,
    private readonly options: ResumingLogStreamOptions = {},
  ) {
    this.done = this.run();
  }

  get open(): boolean {
    return this.follower !== undefined;
  }

  close(): void {
    this.closed = true;
    this.abort.abort();
    this.follower?.close();
  }

  private async run(): Promise<void> {
    let since = this.options.sinceSeconds ?? Math.floor(Date.now() / 1000);
    let failures = 0;
    const maxRetries = this.options.maxRetries ?? 5;
    for (let attempt = 0; !this.closed; attempt++) {
      let sawLine = false;
      try {
        if (attempt > 0) this.options.onResume?.();
        const follower = await followLogs(
          this.container,
          (line) => {
            sawLine = true;
            this.onLine(line);
          },
          { sinceSeconds: since },
        );
        if (this.closed) {
          follower.close();
          return;
        }
        this.follower = follower;
        await follower.ended;
      } catch {
        // The container is gone, or Docker is away: decided below.
      } finally {
        this.follower = undefined;
      }
      if (this.closed || !(await this.stillRunning())) return;
      failures = sawLine ? 0 : failures + 1;
      if (failures > maxRetries) return;
      since = this.options.resumeSinceSeconds?.() ?? Math.floor(Date.now() / 1000);
      await delay(this.options.retryDelayMs ?? 200, this.abort.signal).catch(() => undefined);
    }
  }

  private async stillRunning(): Promise<boolean> {
    try {
      return (await this.container.inspect()).State.Running === true;
    } catch {
      return false;
    }
  }
}
