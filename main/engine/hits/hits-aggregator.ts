/**
 * Counts hits per backend (ip:port, and its Docker host when it is not the local one: backend-key.ts) and turns them into one HitsSnapshot:
 * per-second series, totals, shares and the round-robin order of the last
 * requests. Pure: the caller says what time it is, so it is tested without
 * waiting for the clock.
 */
import type { BackendHits, HitsSnapshot } from '../../../contract/index.js';
import { backendKey, type KeyedBackend } from './backend-key.js';
import { PerSecondRing, WINDOW_SECONDS } from './per-second-ring.js';

export const SERIES_SECONDS = 60;
export const RECENT_LENGTH = 50;

export interface BackendIdentity {
  address: string;
  /** The Docker host it runs on (several engines), as the status names it. */
  host?: string;
  containerId?: string;
  containerName?: string;
}

interface Entry {
  ring: PerSecondRing;
  address: string;
  host?: string;
  containerId?: string;
  containerName?: string;
}

export class HitsAggregator {
  private readonly entries = new Map<string, Entry>();
  private readonly recentRing: string[] = [];
  private changes = 0;
  /** The latest second any hit was counted in (PerSecondRing.newestSecond over every backend, gone ones too). */
  private newestSecond = Number.NEGATIVE_INFINITY;

  /** Grows with every hit: lets the publisher tell whether anything happened. */
  get version(): number {
    return this.changes;
  }

  record(backend: BackendIdentity, atMs: number): void {
    const key = backendKey(backend);
    let entry = this.entries.get(key);
    // Docker hands a freed IP to the next container: a new container at an old address starts from zero.
    if (entry && backend.containerId && entry.containerId && entry.containerId !== backend.containerId)
      entry = undefined;
    if (!entry) {
      entry = { ring: new PerSecondRing(WINDOW_SECONDS), address: backend.address };
      if (backend.host !== undefined) entry.host = backend.host;
      this.entries.set(key, entry);
    }
    if (backend.containerId) entry.containerId = backend.containerId;
    if (backend.containerName) entry.containerName = backend.containerName;
    entry.ring.add(atMs);
    this.newestSecond = Math.max(this.newestSecond, entry.ring.newestSecond);
    this.recentRing.push(backend.address);
    if (this.recentRing.length > RECENT_LENGTH) this.recentRing.shift();
    this.changes++;
  }

  /** Total hits of one backend so far (0 when unknown). */
  total(backend: string | KeyedBackend): number {
    const key = typeof backend === 'string' ? backend : backendKey(backend);
    return this.entries.get(key)?.ring.total ?? 0;
  }

  /**
   * True when no hit of any backend lies inside any window at `nowMs`: every
   * series is zero and every gone backend is forgotten by the next snapshot,
   * so until the next hit (a new `version`) the snapshot no longer changes
   * with the clock, only with the `known` backends.
   */
  quietAt(nowMs: number): boolean {
    return this.newestSecond <= Math.floor(nowMs / 1000) - 1 - WINDOW_SECONDS;
  }

  /**
   * The snapshot at `nowMs`: every backend with hits in the window, plus the
   * `known` ones (registered now) even with no hits yet, sorted by address.
   * Runs every second for every backend: a backend quiet for the whole window
   * or series costs no slot reads (PerSecondRing.newestSecond).
   */
  snapshot(
    nowMs: number,
    source: HitsSnapshot['source'],
    known: readonly BackendIdentity[] = [],
  ): HitsSnapshot {
    const lastComplete = Math.floor(nowMs / 1000) - 1;
    const knownByKey = new Map(known.map((k) => [backendKey(k), k]));
    for (const [key, entry] of this.entries) {
      // Forget a backend that is gone and has had no hit for the whole window (up to this second).
      if (!knownByKey.has(key) && entry.ring.newestSecond <= lastComplete - WINDOW_SECONDS)
        this.entries.delete(key);
    }
    const keys = new Set([...this.entries.keys(), ...knownByKey.keys()]);
    const rows = [...keys].map((key) => {
      const entry = this.entries.get(key);
      const known = knownByKey.get(key);
      const address = entry?.address ?? known!.address;
      const host = known?.host ?? entry?.host;
      const series =
        entry && entry.ring.newestSecond > lastComplete - SERIES_SECONDS
          ? entry.ring.series(lastComplete, SERIES_SECONDS)
          : new Array<number>(SERIES_SECONDS).fill(0);
      const sum = series.reduce((a, b) => a + b, 0);
      return { key, address, host, known, entry, series, sum, order: addressKey(address) };
    });
    const all = rows.reduce((a, r) => a + r.sum, 0);
    const backends: BackendHits[] = rows
      .sort((a, b) => compareKeys(a.order, b.order) || a.key.localeCompare(b.key))
      .map(({ address, host, known, entry, series, sum }) => {
        const name = known?.containerName ?? entry?.containerName;
        return {
          address,
          ...(host !== undefined ? { host } : {}),
          ...(name ? { containerName: name } : {}),
          total: entry?.ring.total ?? 0,
          perSecond: series[series.length - 1] ?? 0,
          share: all > 0 ? sum / all : 0,
          series,
        };
      });
    return { at: nowMs, source, backends, recent: [...this.recentRing] };
  }
}

/** 172.18.0.10 after 172.18.0.9: numeric order, so the table does not jump around. Parsed once per row, not per comparison. */
function addressKey(address: string): number[] {
  return address.split(/[.:]/).map((p) => Number.parseInt(p, 10) || 0);
}

function compareKeys(ka: readonly number[], kb: readonly number[]): number {
  for (let i = 0; i < Math.max(ka.length, kb.length); i++) {
    const d = (ka[i] ?? 0) - (kb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
