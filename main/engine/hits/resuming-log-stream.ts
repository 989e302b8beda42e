/**
 * One container's log, followed for as long as the container runs: a stream
 * that breaks while the container still runs is reopened from where it was
 * (the owner's dedupe drops the replayed lines); a stream that ends because
 * the container went, or that the owner closes, stays closed. `open` says
 * whether an HTTP stream is open right now, so leaks can be counted.
 *
 * "Where it was" is the second Docker logged the last line delivered, from
 * Docker's own line times: under load the lines reach the engine a while after
 * they are logged, and resuming from when the engine got the last one would
 * skip the lines logged before then that were still on their way.
 */
import type Dockerode from 'dockerode';
import { delay } from '../backoff.js';
import { followLogs, type LogFollower, type LogLine } from '../docker/log-lines.js';

export interface ResumingLogStreamOptions {
  /** Epoch seconds of the first line wanted (default: now). */
  sinceSeconds?: number;
  /** Told before a reopened stream delivers lines again (the replay starts). */
  onResume?: () => void;
  retryDelayMs?: number;
  /** Gives up after this many breaks in a row without a single line in between. */
  maxRetries?: number;
}

export class ResumingLogStream {
  private follower: LogFollower | undefined;
  private closed = false;
  private resumeCount = 0;
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

  /** Times the stream broke and was reopened. */
  get resumes(): number {
    return this.resumeCount;
  }

  close(): void {
    this.closed = true;
    this.abort.abort();
    this.follower?.close();
  }

  private async run(): Promise<void> {
    let since = this.options.sinceSeconds ?? Math.floor(Date.now() / 1000);
    let lastLoggedMs: number | undefined;
    let failures = 0;
    const maxRetries = this.options.maxRetries ?? 5;
    for (let attempt = 0; !this.closed; attempt++) {
      let sawLine = false;
      try {
        if (attempt > 0) {
          this.resumeCount++;
          this.options.onResume?.();
        }
        const follower = await followLogs(
          this.container,
          (line) => {
            sawLine = true;
            if (line.loggedAtMs !== undefined) lastLoggedMs = line.loggedAtMs;
            this.onLine(line);
          },
          { sinceSeconds: since, timestamps: true },
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
      // From the last line's second (Docker's `since` is inclusive, the dedupe drops the repeats);
      // with no line yet, from the same start again: lines may have been logged meanwhile.
      if (lastLoggedMs !== undefined) since = Math.floor(lastLoggedMs / 1000);
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
