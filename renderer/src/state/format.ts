/** Small formatters shared by the views. */

export function formatTime(epochMs: number | undefined): string {
  if (!epochMs) return '—';
  const d = new Date(epochMs);
  const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '';
  // Steps recorded from different sources can be a hair out of order: that is "at once".
  if (ms < 0) return '0 ms';
  if (ms < 1) return `${ms.toFixed(2)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

export function formatPercent(share: number | undefined): string {
  if (share === undefined || !Number.isFinite(share)) return '—';
  return `${Math.round(share * 100)} %`;
}

/** The last part of an IPv4 address (".5" for 172.18.0.5:80), for compact labels. */
export function shortAddress(address: string): string {
  const host = address.replace(/:\d+$/, '');
  const last = host.split('.').pop();
  return last && host.includes('.') ? `.${last}` : host;
}
