/**
 * One container's log, followed for as long as the container runs: a stream
 * that breaks while the container still runs is reopened from where it was,
 * and delivers each line once; a stream that ends because the container went,
 * or that the owner closes, stays closed. `open` says whether an HTTP stream
 * is open right now, so leaks can be counted.
 *
 * "Where it was" is the last delivered line by Docker's own line times
 * (log-position.ts), not when the engine got it: under load the lines reach the
 * engine a while after they are logged, and the lines still on their way when
 * the stream broke must be asked for again. A position can be handed to a new
 * stream (a followed host that is back), which then goes on from there.
 */
import type Dockerode from 'dockerode';
import { delay } from '../backoff.js';
import { followLogs, type LogFollower, type LogLine } from '../docker/log-lines.js';
import { LogPosition } from './log-position.js';

export interface ResumingLogStreamOptions {
  /** Epoch seconds of the first line wanted (default: now), unless `position` says where to go on from. */
  sinceSeconds?: number;
  /** Where an earlier stream of this container stopped: go on from there. */
  position?: LogPosition;
  /** Told when a stream was reopened after a break. */
  onResumed?: () => void;
  retryDelayMs?: number;
  /** Gives up after this many breaks in a row without a single line in between. */
  maxRetries?: number;
}

export class ResumingLogStream {
  /** The last line delivered; final once closed (no line is delivered after close()). */
  readonly position: LogPosition;
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
    this.position = options.position ?? new LogPosition();
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
    const handedOver = this.options.position !== undefined;
    let since =
      (handedOver ? this.position.resumeSinceSeconds() : undefined) ??
      this.options.sinceSeconds ??
      Math.floor(Date.now() / 1000);
    let failures = 0;
    const maxRetries = this.options.maxRetries ?? 5;
    for (let attempt = 0; !this.closed; attempt++) {
      let sawLine = false;
      const reopening = attempt > 0 || handedOver;
      try {
        if (reopening) this.position.resumed();
        const follower = await followLogs(
          this.container,
          (line) => {
            // Closed: not delivered, so the position stays at the last line that was.
            if (this.closed) return;
            sawLine = true;
            if (this.position.accept(line)) this.onLine(line);
          },
          { sinceSeconds: since, timestamps: true },
        );
        if (this.closed) {
          follower.close();
          return;
        }
        this.follower = follower;
        if (attempt > 0) this.options.onResumed?.();
        await follower.ended;
      } catch {
        // The container is gone, or Docker is away: decided below.
      } finally {
        this.follower = undefined;
      }
      if (this.closed || !(await this.stillRunning())) return;
      failures = sawLine ? 0 : failures + 1;
      if (failures > maxRetries) return;
      // From just before the last line (log-position.ts; the position drops the repeats); with no
      // line yet, from the same start again: lines may have been logged meanwhile.
      since = this.position.resumeSinceSeconds() ?? since;
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
