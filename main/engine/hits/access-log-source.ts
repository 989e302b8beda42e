/**
 * Hits from the LB's access log ($upstream_addr, see ACCESS_LOG_FORMAT): the
 * source that works with any web image, including ones that log nothing per
 * request. Lines of the supervisor's replies share the stream and are skipped.
 */
import type Dockerode from 'dockerode';
import { parseAccessLogLine, type AccessLogEntry } from './log-formats.js';
import type { LogPosition } from './log-position.js';
import { ResumingLogStream } from './resuming-log-stream.js';

export class AccessLogSource {
  private stream: ResumingLogStream | undefined;
  private stopped = false;

  constructor(
    private lb: Dockerode.Container,
    private readonly onHit: (entry: AccessLogEntry) => void,
  ) {}

  /**
   * Follows another LB container (the stack's LB was recreated): counting goes on from now. The
   * same one again (its stream gave up): from its last line.
   */
  repoint(lb: Dockerode.Container): void {
    if (this.stopped || (lb.id === this.lb.id && this.stream?.open)) return;
    this.stream?.close();
    const position = lb.id === this.lb.id ? this.stream?.position : undefined;
    this.lb = lb;
    this.start(position);
  }

  start(position?: LogPosition): void {
    this.stream = new ResumingLogStream(
      this.lb,
      (line) => {
        const entry = parseAccessLogLine(line.text);
        if (entry) this.onHit(entry);
      },
      {
        // The LB is long-lived: keep trying through a longer Docker hiccup.
        maxRetries: 50,
        retryDelayMs: 500,
        ...(position ? { position } : {}),
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
