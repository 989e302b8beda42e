/**
 * Hits from the LB's access log ($upstream_addr, see ACCESS_LOG_FORMAT): the
 * source that works with any web image, including ones that log nothing per
 * request. Lines of the supervisor's replies share the stream and are skipped.
 */
import type Dockerode from 'dockerode';
import { parseAccessLogLine, type AccessLogEntry } from './log-formats.js';
import { TimeOrderDedupe } from './resume-dedupe.js';
import { ResumingLogStream } from './resuming-log-stream.js';

export class AccessLogSource {
  private stream: ResumingLogStream | undefined;
  private stopped = false;

  constructor(
    private lb: Dockerode.Container,
    private readonly onHit: (entry: AccessLogEntry) => void,
  ) {}

  /** Follows another LB container (the stack's LB was recreated); counting goes on from now. */
  repoint(lb: Dockerode.Container): void {
    if (this.stopped || (lb.id === this.lb.id && this.stream?.open)) return;
    this.stream?.close();
    this.lb = lb;
    this.start();
  }

  start(): void {
    const dedupe = new TimeOrderDedupe();
    this.stream = new ResumingLogStream(
      this.lb,
      (line) => {
        const entry = parseAccessLogLine(line.text);
        if (entry && dedupe.accept(entry.atMs)) this.onHit(entry);
      },
      {
        onResume: () => dedupe.resumed(),
        // The LB is long-lived: keep trying through a longer Docker hiccup.
        maxRetries: 50,
        retryDelayMs: 500,
      },
    );
  }

  get open(): boolean {
    return this.stream?.open ?? false;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.stream?.close();
    await this.stream?.done;
  }
}
