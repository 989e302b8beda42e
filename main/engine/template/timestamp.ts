/**
 * Go's time.Format for consul-template's `timestamp`, which always works in
 * UTC. Layouts are written with Go's reference time, Mon Jan 2 15:04:05 MST 2006.
 */

const LONG_MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const LONG_DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

export const RFC3339 = '2006-01-02T15:04:05Z07:00';

function pad(n: number, width: number, char = '0'): string {
  return String(n).padStart(width, char);
}

function startsWithLowerCase(s: string): boolean {
  const c = s[0];
  return c !== undefined && c >= 'a' && c <= 'z';
}

/** Longest-first, in the order Go's nextStdChunk tries them. */
const ZONES = [
  'Z07:00:00',
  '-07:00:00',
  'Z070000',
  '-070000',
  'Z0700',
  '-0700',
  'Z07:00',
  '-07:00',
  'Z07',
  '-07',
];

function dayOfYear(date: Date): number {
  return Math.floor((date.getTime() - Date.UTC(date.getUTCFullYear(), 0, 1)) / 86_400_000) + 1;
}

/** The layout chunk at `i`, as [text to output, length consumed], or undefined for a literal character. */
function stdChunk(layout: string, i: number, date: Date): [string, number] | undefined {
  const rest = layout.slice(i);
  const month = date.getUTCMonth();
  const hour = date.getUTCHours();
  const hour12 = hour % 12 === 0 ? 12 : hour % 12;
  switch (layout[i]) {
    case 'J':
      if (rest.startsWith('January')) return [LONG_MONTHS[month] ?? '', 7];
      if (rest.startsWith('Jan') && !startsWithLowerCase(rest.slice(3)))
        return [(LONG_MONTHS[month] ?? '').slice(0, 3), 3];
      return undefined;
    case 'M':
      if (rest.startsWith('Monday')) return [LONG_DAYS[date.getUTCDay()] ?? '', 6];
      if (rest.startsWith('Mon') && !startsWithLowerCase(rest.slice(3)))
        return [(LONG_DAYS[date.getUTCDay()] ?? '').slice(0, 3), 3];
      if (rest.startsWith('MST')) return ['UTC', 3];
      return undefined;
    case '0':
      switch (rest[1]) {
        case '1':
          return [pad(month + 1, 2), 2];
        case '2':
          return [pad(date.getUTCDate(), 2), 2];
        case '3':
          return [pad(hour12, 2), 2];
        case '4':
          return [pad(date.getUTCMinutes(), 2), 2];
        case '5':
          return [pad(date.getUTCSeconds(), 2), 2];
        case '6':
          return [pad(date.getUTCFullYear() % 100, 2), 2];
      }
      if (rest.startsWith('002')) return [pad(dayOfYear(date), 3), 3];
      return undefined;
    case '1':
      if (rest[1] === '5') return [pad(hour, 2), 2];
      return [String(month + 1), 1];
    case '2':
      if (rest.startsWith('2006')) return [pad(date.getUTCFullYear(), 4), 4];
      return [String(date.getUTCDate()), 1];
    case '_':
      if (rest[1] === '2' && !rest.startsWith('_2006')) return [pad(date.getUTCDate(), 2, ' '), 2];
      if (rest.startsWith('__2')) return [pad(dayOfYear(date), 3, ' '), 3];
      return undefined;
    case '3':
      return [String(hour12), 1];
    case '4':
      return [String(date.getUTCMinutes()), 1];
    case '5':
      return [String(date.getUTCSeconds()), 1];
    case 'P':
      return rest[1] === 'M' ? [hour >= 12 ? 'PM' : 'AM', 2] : undefined;
    case 'p':
      return rest[1] === 'm' ? [hour >= 12 ? 'pm' : 'am', 2] : undefined;
    case '-':
    case 'Z': {
      const zone = ZONES.find((z) => z[0] === layout[i] && rest.startsWith(z));
      if (!zone) return undefined;
      if (zone[0] === 'Z') return ['Z', zone.length];
      return [zone.replace(/07|00/g, '00').replace('-', '+'), zone.length];
    }
    case '.':
    case ',': {
      const digit = rest[1];
      if (digit !== '0' && digit !== '9') return undefined;
      let j = 1;
      while (rest[j] === digit) j++;
      if (rest[j] !== undefined && rest[j]! >= '0' && rest[j]! <= '9') return undefined;
      const digits = j - 1;
      const fraction = pad(date.getUTCMilliseconds(), 3).padEnd(digits, '0').slice(0, digits);
      if (digit === '0') return [`${rest[0]}${fraction}`, j];
      const trimmed = fraction.replace(/0+$/, '');
      return [trimmed === '' ? '' : `${rest[0]}${trimmed}`, j];
    }
    default:
      return undefined;
  }
}

export function formatGoTime(date: Date, layout: string): string {
  let out = '';
  for (let i = 0; i < layout.length;) {
    const chunk = stdChunk(layout, i, date);
    if (chunk) {
      out += chunk[0];
      i += chunk[1];
    } else {
      out += layout[i];
      i++;
    }
  }
  return out;
}
