/**
 * Probes sent before a backend reaches the render. The engine holds its own web containers until
 * they listen (web-readiness.ts), and knows their address then; their registration still has to go
 * to Consul and come back through the watch (~10–25 ms on a 2-core machine) before the render asks
 * the LB whether it reaches them. Sending the probe the moment a container listens takes it off
 * that path. Only an answer from the same LB container, and only a recent one, is used; a failed
 * or missing early answer changes nothing (the render probes as before).
 */
import { errorMessage } from '../errors.js';
import type { Timeline } from '../timeline.js';
import { isProbeable, targetKey, type ProbeResults, type ProbeTarget } from './lb-probe.js';

/** An early answer older than this is not used (the backend may have gone since). */
export const EARLY_PROBE_FRESH_MS = 5000;

interface EarlyProbe {
  sentAt: number;
  lb: string;
  /** undefined: connected; else why not. Known once settled. */
  verdict?: string | undefined;
  settled: boolean;
  answer: Promise<string | undefined>;
}

/** What an early probe says about a target when the render wants to know. */
export type EarlyAnswer = { reached: true } | { pending: Promise<string | undefined> } | undefined;

export class EarlyProbes {
  private readonly probes = new Map<string, EarlyProbe>();

  constructor(
    private readonly probe: (targets: readonly string[]) => Promise<ProbeResults>,
    private readonly lbId: () => string,
    private readonly timeline: Timeline,
  ) {}

  /** Probes `target` now, from the LB's side, in the background. */
  send(target: ProbeTarget): void {
    if (!isProbeable(target)) return;
    this.forgetStale();
    const key = targetKey(target);
    this.timeline.mark('probe-sent', key);
    const entry: EarlyProbe = {
      sentAt: Date.now(),
      lb: this.lbId(),
      settled: false,
      answer: this.probe([key]).then(
        (results) => (results.has(key) ? results.get(key) : 'not probed'),
        (error: unknown) => `the probe failed: ${errorMessage(error)}`,
      ),
    };
    void entry.answer.then((verdict) => {
      entry.verdict = verdict;
      entry.settled = true;
    });
    this.probes.set(key, entry);
  }

  /** The early probe of `key` (address:port), used once: reached, still out, or none worth using. */
  take(key: string): EarlyAnswer {
    const entry = this.probes.get(key);
    this.probes.delete(key);
    if (!entry || entry.lb !== this.lbId() || Date.now() - entry.sentAt > EARLY_PROBE_FRESH_MS)
      return undefined;
    if (!entry.settled) return { pending: entry.answer };
    return entry.verdict === undefined ? { reached: true } : undefined;
  }

  /** Early probes of containers that never got to a render (a registration refused) do not pile up. */
  private forgetStale(): void {
    const now = Date.now();
    for (const [key, entry] of this.probes)
      if (now - entry.sentAt > EARLY_PROBE_FRESH_MS) this.probes.delete(key);
  }
}

/**
 * The first "connected" of an early probe still out and the render's own probe; when neither
 * connects, the render's probe's reason (it is the newer look).
 */
export function firstReached(
  early: Promise<string | undefined>,
  own: Promise<string | undefined>,
): Promise<string | undefined> {
  return new Promise((resolve) => {
    void early.then((verdict) => {
      if (verdict === undefined) resolve(undefined);
    });
    void own.then(async (verdict) => {
      if (verdict === undefined) resolve(undefined);
      else resolve((await early) === undefined ? undefined : verdict);
    });
  });
}
