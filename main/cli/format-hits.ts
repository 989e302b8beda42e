/** The human-readable `hits` and `traffic status`. Every value read from a backend goes through `printable`. */
import type { HitsSnapshot, TrafficStatus } from '../../contract/index.js';
import { printable as p } from './terminal-text.js';

const SOURCE_TEXT: Record<HitsSnapshot['source'], string> = {
  'web-logs': "the web containers' own logs",
  'lb-access-log': "nginx's access log ($upstream_addr): the web image logs nothing per request",
};

export function formatHits(hits: HitsSnapshot): string {
  const lines: string[] = [];
  lines.push(`hits from ${SOURCE_TEXT[hits.source]}`);
  if (hits.backends.length === 0) {
    lines.push('no backends yet');
    return lines.join('\n');
  }
  // Several engines: a HOST column, only when the backends run on more than one host.
  const withHost = hostsIn(hits) > 1;
  const host = (name: string): string => (withHost ? `${name.padEnd(12)} ` : '');
  lines.push(
    `${host('HOST')}${'BACKEND'.padEnd(22)} ${'CONTAINER'.padEnd(28)} ${'TOTAL'.padStart(8)} ${'PER S'.padStart(6)} ${'SHARE'.padStart(6)}  LAST 60 s`,
  );
  for (const b of hits.backends) {
    lines.push(
      `${host(p(b.host ?? '-'))}${p(b.address).padEnd(22)} ${p(b.containerName ?? '-').padEnd(28)} ${String(b.total).padStart(8)} ${String(b.perSecond).padStart(6)} ${`${Math.round(b.share * 100)}%`.padStart(6)}  ${sparkline(b.series.slice(-30))}`,
    );
  }
  if (hits.recent.length > 0) {
    // The last octet is enough to see the rotation: .5 .6 .7 .5 .6 .7
    const short = hits.recent.slice(-20).map((a) => `.${p(a.split(':')[0]?.split('.').pop() ?? a)}`);
    lines.push(`last requests (oldest first): ${short.join(' ')}`);
  }
  return lines.join('\n');
}

/** How many Docker hosts the backends run on (a backend without a host counts as one more). */
export function hostsIn(hits: HitsSnapshot): number {
  return new Set(hits.backends.map((b) => b.host)).size;
}

const BARS = ' ▁▂▃▄▅▆▇█';

function sparkline(values: number[]): string {
  const max = Math.max(1, ...values);
  return values.map((v) => BARS[Math.round((v / max) * (BARS.length - 1))]).join('');
}

export function formatTraffic(traffic: TrafficStatus): string {
  const lines: string[] = [];
  if (traffic.startedAt === undefined)
    return 'no traffic sent yet (discovery-tray traffic start --rate N --duration S)';
  const until = traffic.endsAt !== undefined ? new Date(traffic.endsAt).toLocaleTimeString() : '?';
  lines.push(
    traffic.running
      ? `sending ${traffic.ratePerSecond} requests/s until ${until}`
      : `stopped (was ${traffic.ratePerSecond} requests/s)`,
  );
  lines.push(
    `sent ${traffic.sent}  ok ${traffic.succeeded}  failed ${traffic.failed}${traffic.skipped ? `  skipped ${traffic.skipped}` : ''}`,
  );
  if (traffic.latencyMs)
    lines.push(
      `latency p50 ${traffic.latencyMs.p50} ms  p95 ${traffic.latencyMs.p95} ms  p99 ${traffic.latencyMs.p99} ms`,
    );
  for (const [backend, count] of Object.entries(traffic.byBackend).sort(([a], [b]) => a.localeCompare(b)))
    lines.push(`  ${p(backend).padEnd(20)} ${count}`);
  if (traffic.lastError) lines.push(`last error: ${p(traffic.lastError)}`);
  return lines.join('\n');
}
