/**
 * Sends requests through the LB on 127.0.0.1 at a chosen rate, for a bounded
 * time, and reports what came back: successes, failures, latency percentiles
 * and which backend answered each request (from X-Served-By or the page line).
 * Requests go out on an absolute schedule with a cap on requests in flight:
 * when the LB cannot keep up, requests are skipped and counted, never queued
 * up and sent in a burst.
 */
import { Emitter, type TrafficRequest, type TrafficStatus } from '../../../contract/index.js';
import { BackendCounts } from './backend-counts.js';
import { probe, type ProbeResult } from './http-probe.js';
import { LatencyWindow } from './latency-stats.js';
import { SendSchedule } from './send-schedule.js';

/**
 * Enough for the top rate (200/s) at over a second of latency, or 50/s at five: a slow backend
 * (a busy machine, `?delay=`) is a thing to show, not a reason to skip; past this the LB is overloaded.
 */
export const DEFAULT_MAX_IN_FLIGHT = 256;

export interface TrafficGeneratorOptions {
  /** At most this many requests in flight; more are skipped. */
  maxInFlight?: number;
  timeoutMs?: number;
}

interface Run {
  request: TrafficRequest;
  startedAt: number;
  endsAt: number;
  schedule: SendSchedule;
  timer: NodeJS.Timeout | undefined;
  running: boolean;
  sent: number;
  succeeded: number;
  failed: number;
  skipped: number;
  inFlight: number;
  latencies: LatencyWindow;
  byBackend: BackendCounts;
  lastError?: string;
  finished: Promise<void>;
  finish: () => void;
}

export class TrafficGenerator {
  private run: Run | undefined;
  private readonly changed = new Emitter<void>();

  constructor(
    private readonly targetUrl: () => string,
    private readonly options: TrafficGeneratorOptions = {},
  ) {}

  onChange(listener: () => void): () => void {
    return this.changed.on(listener);
  }

  /** Starts sending (a run in progress is replaced); the request arrives validated (contract/requests.ts). */
  start(valid: TrafficRequest): TrafficStatus {
    const url = this.targetUrl();
    this.stopScheduling();
    const startedAt = Date.now();
    const clockStart = performance.now();
    let finish = (): void => undefined;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    const run: Run = {
      request: valid,
      startedAt,
      endsAt: startedAt + valid.durationSeconds * 1000,
      schedule: new SendSchedule(clockStart, valid.ratePerSecond, clockStart + valid.durationSeconds * 1000),
      timer: undefined,
      running: true,
      sent: 0,
      succeeded: 0,
      failed: 0,
      skipped: 0,
      inFlight: 0,
      latencies: new LatencyWindow(),
      byBackend: new BackendCounts(),
      finished,
      finish,
    };
    this.run = run;
    this.tick(run, url);
    this.emit();
    return this.status();
  }

  stop(): TrafficStatus {
    if (this.run?.running) {
      this.stopScheduling();
      this.emit();
    }
    return this.status();
  }

  /** Resolves when the current run has stopped sending and its last requests are back. */
  async idle(): Promise<void> {
    await this.run?.finished;
  }

  status(): TrafficStatus {
    const run = this.run;
    if (!run) return { running: false, sent: 0, succeeded: 0, failed: 0, byBackend: {} };
    const latencyMs = run.latencies.percentiles();
    return {
      running: run.running,
      ratePerSecond: run.request.ratePerSecond,
      startedAt: run.startedAt,
      endsAt: run.endsAt,
      sent: run.sent,
      succeeded: run.succeeded,
      failed: run.failed,
      skipped: run.skipped,
      ...(latencyMs ? { latencyMs } : {}),
      byBackend: run.byBackend.toRecord(),
      ...(run.lastError ? { lastError: run.lastError } : {}),
    };
  }

  private tick(run: Run, url: string): void {
    if (!run.running) return;
    const now = performance.now();
    const due = run.schedule.take(now);
    run.skipped += due.skip;
    const maxInFlight = this.options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT;
    for (let i = 0; i < due.send; i++) {
      if (run.inFlight >= maxInFlight) run.skipped++;
      else this.send(run, url);
    }
    if (run.schedule.finished(now)) {
      this.end(run);
      return;
    }
    run.timer = setTimeout(() => this.tick(run, url), Math.max(0, due.nextDueAt - now));
  }

  private send(run: Run, url: string): void {
    run.sent++;
    run.inFlight++;
    void probe(url, 'get', { timeoutMs: this.options.timeoutMs ?? 5000 }).then((result: ProbeResult) => {
      run.inFlight--;
      run.latencies.add(result.latencyMs);
      if (result.ok) {
        run.succeeded++;
        if (result.backend) run.byBackend.add(result.backend);
      } else {
        run.failed++;
        run.lastError = result.error ?? `HTTP ${result.status}`;
      }
      if (!run.running && run.inFlight === 0) run.finish();
    });
  }

  private end(run: Run): void {
    if (!run.running) return;
    run.running = false;
    clearTimeout(run.timer);
    if (run.inFlight === 0) run.finish();
    if (run === this.run) this.emit();
  }

  private stopScheduling(): void {
    if (this.run) this.end(this.run);
  }

  private emit(): void {
    this.changed.emit();
  }
}
