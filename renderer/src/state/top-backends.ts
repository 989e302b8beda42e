/**
 * Which backends the hits chart draws a line for. At 100 backends, 100 lines and a 100-item
 * legend are neither legible nor cheap to redraw every second; the busiest few get a line each
 * and the rest share one "others" line (their sum), as monitoring dashboards do.
 */
import type { BackendHits } from '../../../contract/index';

/** Lines drawn one per backend; the rest are summed into one. */
export const MAX_CHART_SERIES = 10;

export interface TopBackends {
  /** The busiest (per second, then in total, then by address), in the snapshot's order so lines and legend do not jump. */
  shown: BackendHits[];
  others: BackendHits[];
}

export function topBackends(backends: readonly BackendHits[], max = MAX_CHART_SERIES): TopBackends {
  // Never an "others" line standing for one backend: that one is drawn itself.
  if (backends.length <= max + 1) return { shown: [...backends], others: [] };
  const ranked = [...backends].sort(
    (a, b) => b.perSecond - a.perSecond || b.total - a.total || a.address.localeCompare(b.address),
  );
  const top = new Set(ranked.slice(0, max).map((b) => b.address));
  return {
    shown: backends.filter((b) => top.has(b.address)),
    others: backends.filter((b) => !top.has(b.address)),
  };
}
