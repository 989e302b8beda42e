/**
 * Go's string escapers, byte-for-byte where it matters: strconv.Quote for %q,
 * and text/template's html, js and urlquery functions.
 */

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

/** Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
export function isPrintRune(codePoint: number): boolean {
  if (codePoint >= 0xd800 && codePoint <= 0xdfff) return false;
  return PRINTABLE.test(String.fromCodePoint(codePoint));
}

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0');
}

function escapeRune(codePoint: number, quote: string, asciiOnly: boolean): string {
  const char = String.fromCodePoint(codePoint);
  if (char === quote || char === '\\') return `\\${char}`;
  if (asciiOnly ? codePoint < 0x80 && isPrintRune(codePoint) : isPrintRune(codePoint)) return char;
  switch (char) {
    case '\x07':
      return '\\a';
    case '\b':
      return '\\b';
    case '\f':
      return '\\f';
    case '\n':
      return '\\n';
    case '\r':
      return '\\r';
    case '\t':
      return '\\t';
    case '\v':
      return '\\v';
  }
  if (codePoint < 0x20 || codePoint === 0x7f) return `\\x${hex(codePoint, 2)}`;
  // A lone surrogate has no UTF-8 form; Go would see U+FFFD in its place.
  if (codePoint >= 0xd800 && codePoint <= 0xdfff) return '\\ufffd';
  if (codePoint < 0x10000) return `\\u${hex(codePoint, 4)}`;
  return `\\U${hex(codePoint, 8)}`;
}

/** strconv.Quote (or QuoteToASCII). */
export function goQuote(s: string, asciiOnly = false): string {
  let out = '"';
  for (const char of s) out += escapeRune(char.codePointAt(0) ?? 0, '"', asciiOnly);
  return `${out}"`;
}

/** strconv.QuoteRune (or QuoteRuneToASCII). */
export function goQuoteRune(codePoint: number, asciiOnly = false): string {
  const valid = codePoint >= 0 && codePoint <= 0x10ffff && !(codePoint >= 0xd800 && codePoint <= 0xdfff);
  return `'${escapeRune(valid ? codePoint : 0xfffd, "'", asciiOnly)}'`;
}

/** strconv.CanBackquote. */
export function canBackquote(s: string): boolean {
  for (const char of s) {
    const c = char.codePointAt(0) ?? 0;
    if (char === '`' || c === 0xfeff || c === 0x7f || (c < 0x20 && char !== '\t')) return false;
    if (c >= 0xd800 && c <= 0xdfff) return false;
  }
  return true;
}

const HTML_ESCAPES: Record<string, string> = {
  '"': '&#34;',
  "'": '&#39;',
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '\0': '\uFFFD',
};

/** template.HTMLEscapeString. */
export function htmlEscape(s: string): string {
  return s.replace(/["'&<>\0]/g, (c) => HTML_ESCAPES[c] ?? c);
}

const JS_ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  "'": "\\'",
  '"': '\\"',
  '<': '\\u003C',
  '>': '\\u003E',
  '&': '\\u0026',
  '=': '\\u003D',
};

/** template.JSEscapeString. */
export function jsEscape(s: string): string {
  let out = '';
  for (const char of s) {
    const c = char.codePointAt(0) ?? 0;
    const fixed = JS_ESCAPES[char];
    if (fixed !== undefined) out += fixed;
    else if (c < 0x20) out += `\\u00${hex(c, 2).toUpperCase()}`;
    else if (c < 0x80 || isPrintRune(c)) out += char;
    else out += `\\u${hex(c >= 0xd800 && c <= 0xdfff ? 0xfffd : c, 4).toUpperCase()}`;
  }
  return out;
}

/** url.QueryEscape: the UTF-8 bytes, unreserved characters kept and spaces as '+'. */
export function urlQueryEscape(s: string): string {
  let out = '';
  for (const byte of Buffer.from(s, 'utf8')) {
    const unreserved =
      (byte >= 0x30 && byte <= 0x39) ||
      (byte >= 0x41 && byte <= 0x5a) ||
      (byte >= 0x61 && byte <= 0x7a) ||
      byte === 0x2d ||
      byte === 0x2e ||
      byte === 0x5f ||
      byte === 0x7e;
    if (unreserved) out += String.fromCharCode(byte);
    else if (byte === 0x20) out += '+';
    else out += `%${hex(byte, 2).toUpperCase()}`;
  }
  return out;
}

/** %#U: "U+0041 'A'". */
export function describeRune(codePoint: number): string {
  const code = `U+${hex(codePoint, 4).toUpperCase()}`;
  return isPrintRune(codePoint) ? `${code} '${String.fromCodePoint(codePoint)}'` : code;
}
