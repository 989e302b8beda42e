/**
 * Go literal syntax for strings, character constants and numbers, as the
 * template parser reads them (strconv.Unquote and strconv.ParseInt/ParseFloat
 * with base prefixes and underscores).
 */
import { GoFloat } from './values.js';

export class LiteralError extends Error {
  constructor(
    message: string,
    /** Offset inside the literal's text where the problem starts. */
    readonly offset: number,
  ) {
    super(message);
  }
}

const SIMPLE_ESCAPES: Record<string, number> = {
  a: 0x07,
  b: 0x08,
  f: 0x0c,
  n: 0x0a,
  r: 0x0d,
  t: 0x09,
  v: 0x0b,
  '\\': 0x5c,
};

function pushUtf8(bytes: number[], codePoint: number): void {
  for (const b of Buffer.from(String.fromCodePoint(codePoint), 'utf8')) bytes.push(b);
}

/**
 * The body of a quoted literal. \x and octal escapes are bytes, as in Go, so
 * "\xc3\xa9" is "é"; the bytes are decoded as UTF-8 at the end.
 */
function unescape(text: string, quote: string): string {
  const bytes: number[] = [];
  const body = text.slice(1, -1);
  for (let i = 0; i < body.length;) {
    const cp = body.codePointAt(i) ?? 0;
    const char = String.fromCodePoint(cp);
    if (char !== '\\') {
      if (char === quote) throw new LiteralError(`unescaped ${quote} in literal`, i + 1);
      pushUtf8(bytes, cp);
      i += char.length;
      continue;
    }
    const at = i + 1;
    const e = body[i + 1] ?? '';
    const simple = SIMPLE_ESCAPES[e];
    const bad = (): never => {
      throw new LiteralError(`invalid escape sequence \\${e} in literal`, at);
    };
    if (simple !== undefined) {
      bytes.push(simple);
      i += 2;
    } else if (e === quote) {
      bytes.push(quote.charCodeAt(0));
      i += 2;
    } else if (e === 'x' || e === 'u' || e === 'U') {
      const n = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      const digits = body.slice(i + 2, i + 2 + n);
      if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(digits)) bad();
      const value = parseInt(digits, 16);
      if (e === 'x') bytes.push(value);
      else if (value > 0x10ffff || (value >= 0xd800 && value <= 0xdfff)) bad();
      else pushUtf8(bytes, value);
      i += 2 + n;
    } else if (e >= '0' && e <= '7') {
      const digits = body.slice(i + 1, i + 4);
      if (!/^[0-7]{3}$/.test(digits) || parseInt(digits, 8) > 255) bad();
      bytes.push(parseInt(digits, 8));
      i += 4;
    } else {
      bad();
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** A "..." or `...` literal's value. */
export function unquoteString(text: string): string {
  // Go drops carriage returns from raw strings so that CRLF files read the same.
  if (text.startsWith('`')) return text.slice(1, -1).replaceAll('\r', '');
  return unescape(text, '"');
}

/** A '...' literal's code point. */
export function unquoteChar(text: string): number {
  const value = unescape(text, "'");
  const chars = [...value];
  if (chars.length !== 1) throw new LiteralError(`malformed character constant: ${text}`, 0);
  return chars[0]!.codePointAt(0) ?? 0;
}

const INT64_MAX = 2n ** 63n - 1n;
const DECIMAL_DIGITS = /^[0-9]+(_[0-9]+)*$/;
const FLOAT = /^(?:[0-9]+(?:_[0-9]+)*)?(?:\.(?:[0-9]+(?:_[0-9]+)*)?)?(?:[eE][+-]?[0-9]+(?:_[0-9]+)*)?$/;

function parseInteger(text: string): bigint | undefined {
  const prefixes: [RegExp, string][] = [
    [/^0[xX]_?[0-9a-fA-F]+(_[0-9a-fA-F]+)*$/, '0x'],
    [/^0[oO]_?[0-7]+(_[0-7]+)*$/, '0o'],
    [/^0[bB]_?[01]+(_[01]+)*$/, '0b'],
  ];
  for (const [pattern, prefix] of prefixes) {
    if (pattern.test(text)) return BigInt(prefix + text.slice(2).replaceAll('_', ''));
  }
  if (/^0_?[0-7]+(_[0-7]+)*$/.test(text)) return BigInt('0o' + text.slice(1).replaceAll('_', ''));
  // Go reads "08" as a float that is an integer, which templates treat as the int 8.
  if (DECIMAL_DIGITS.test(text)) return BigInt(text.replaceAll('_', ''));
  return undefined;
}

/**
 * A number literal's value: an int when the text is an integer, else a
 * float64 (Go's idealConstant). Throws for text that is neither.
 */
export function parseNumber(text: string): number | GoFloat {
  const negative = text.startsWith('-');
  const unsigned = text.startsWith('-') || text.startsWith('+') ? text.slice(1) : text;
  const int = parseInteger(unsigned);
  if (int !== undefined) {
    const value = negative ? -int : int;
    if (value > INT64_MAX || value < -INT64_MAX - 1n) throw new LiteralError(`${text} overflows int`, 0);
    return Number(value);
  }
  if (/[0-9]/.test(unsigned) && FLOAT.test(unsigned)) {
    const value = Number(unsigned.replaceAll('_', ''));
    if (Number.isFinite(value)) return new GoFloat(negative ? -value : value);
  }
  throw new LiteralError(`illegal number syntax: ${JSON.stringify(text)}`, 0);
}
