/**
 * A bounded load through the LB: at most `total` requests, `concurrency` at a
 * time, and never past `deadlineMs`. The mix cycles GET, POST (never retried
 * by nginx) and slow GETs (in flight for a while), or any other mix of kinds
 * (slow POSTs: in flight and never retried), because a plain GET load hides
 * dropped requests behind nginx's own retries.
 */
import { probe, type ProbeResult, type RequestKind } from './http-probe.js';

export interface LoadOptions {
  url: string;
  total: number;
  concurrency: number;
  deadlineMs: number;
  mix?: readonly RequestKind[];
  slowDelayMs?: number;
  /** Stop early when this resolves (e.g. the scaling under test is done). */
  until?: Promise<unknown>;
}

export interface LoadReport {
  sent: number;
  failed: number;
  failures: { kind: RequestKind; status: number; error: string }[];
  byBackend: Record<string, number>;
  byKind: Record<RequestKind, number>;
  latenciesMs: number[];
}

export async function runLoad(options: LoadOptions): Promise<LoadReport> {
  const mix = options.mix ?? ['get', 'post', 'slow'];
  const deadline = Date.now() + options.deadlineMs;
  const report: LoadReport = {
    sent: 0,
    failed: 0,
    failures: [],
    byBackend: {},
    byKind: { get: 0, post: 0, slow: 0, 'slow-post': 0 },
    latenciesMs: [],
  };
  let stop = false;
  void options.until?.then(() => (stop = true));
  let next = 0;
  const worker = async (): Promise<void> => {
    while (!stop && next < options.total && Date.now() < deadline) {
      const kind = mix[next++ % mix.length]!;
      report.sent++;
      report.byKind[kind]++;
      const result: ProbeResult = await probe(
        options.url,
        kind,
        options.slowDelayMs ? { slowDelayMs: options.slowDelayMs } : {},
      );
      report.latenciesMs.push(result.latencyMs);
      if (result.ok) {
        if (result.backend) report.byBackend[result.backend] = (report.byBackend[result.backend] ?? 0) + 1;
      } else {
        report.failed++;
        report.failures.push({ kind, status: result.status, error: result.error ?? 'failed' });
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  return report;
}
