/**
 * Numbers and times for the views, formatted with Intl in the active formatting locale (the
 * system's own tag when it speaks the app's language: en-GB keeps its 24-hour clock). One set of
 * Intl formatters per locale, made once.
 */

export interface Formatters {
  /** A wall-clock time with seconds ("9:17:31 AM", "09:17:31"); "—" when unknown. */
  time(this: void, epochMs: number | undefined): string;
  /** A step's length: "0.42 ms", "12 ms", "1.25 s"; empty when unknown. */
  duration(this: void, ms: number | undefined): string;
  /** A share as a whole percentage ("33%"); "—" when unknown. */
  percent(this: void, share: number | undefined): string;
  /** A count with the locale's grouping ("1,234"). */
  count(this: void, n: number): string;
  /** An axis label for `seconds` before now ("now", "10s ago", "10秒前"). */
  secondsAgo(this: void, seconds: number): string;
}

const cache = new Map<string, Formatters>();

/**
 * Remembers what `format` made of each value (up to `max` values, then starts over). Intl's
 * format calls are slow next to a Map lookup, and the live views format the same few values
 * every second: the chart's axis labels (chart.js asks for them on every redraw), rates, counts.
 */
function remembered<T>(format: (value: T) => string, max = 1000): (value: T) => string {
  const made = new Map<T, string>();
  return (value) => {
    let text = made.get(value);
    if (text === undefined) {
      text = format(value);
      if (made.size >= max) made.clear();
      made.set(value, text);
    }
    return text;
  };
}

function create(tag: string): Formatters {
  const time = new Intl.DateTimeFormat(tag, { hour: 'numeric', minute: '2-digit', second: '2-digit' });
  const unit = (name: 'millisecond' | 'second', digits: number): Intl.NumberFormat =>
    new Intl.NumberFormat(tag, {
      style: 'unit',
      unit: name,
      unitDisplay: 'short',
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    });
  const subMs = unit('millisecond', 2);
  const ms = unit('millisecond', 0);
  const seconds2 = unit('second', 2);
  const seconds1 = unit('second', 1);
  const percent = new Intl.NumberFormat(tag, { style: 'percent', maximumFractionDigits: 0 });
  const count = new Intl.NumberFormat(tag, { maximumFractionDigits: 0 });
  const relative = new Intl.RelativeTimeFormat(tag, { numeric: 'auto', style: 'narrow' });
  return {
    time: (epochMs) => (epochMs ? time.format(epochMs) : '—'),
    duration(value) {
      if (value === undefined || !Number.isFinite(value)) return '';
      // Steps recorded from different sources can be a hair out of order: that is "at once".
      if (value < 0) return ms.format(0);
      if (value < 1) return subMs.format(value);
      if (value < 1000) return ms.format(Math.round(value));
      return (value < 10_000 ? seconds2 : seconds1).format(value / 1000);
    },
    percent: (share) => (share === undefined || !Number.isFinite(share) ? '—' : percent.format(share)),
    count: remembered((n: number) => count.format(n)),
    secondsAgo: remembered((value: number) => relative.format(-Math.abs(value), 'second')),
  };
}

export function formatters(tag: string): Formatters {
  let made = cache.get(tag);
  if (!made) {
    try {
      made = create(tag);
    } catch {
      // A tag Intl does not take (a browser may report anything): the language's own formats.
      made = create(tag.split('-')[0] || 'en');
    }
    cache.set(tag, made);
  }
  return made;
}

/** The last part of an IPv4 address (".5" for 172.18.0.5:80), for compact labels. */
export function shortAddress(address: string): string {
  const host = address.replace(/:\d+$/, '');
  const last = host.split('.').pop();
  return last && host.includes('.') ? `.${last}` : host;
}
