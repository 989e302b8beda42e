/**
 * Values that come from outside (container names, tags, warnings, errors from
 * Docker and Consul) are printed to a terminal: an ESC in a container name
 * could clear the screen, move the cursor or retitle the window, and a
 * newline or a bidi override could forge a line of its own. `printable` shows
 * each such character as a visible escape instead; the formatters add their
 * own newlines around the values.
 */

/** C0 controls, DEL, C1 controls, and the Unicode line separators and bidi overrides. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what this finds
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function visible(character: string): string {
  const named = NAMED[character];
  if (named) return named;
  const code = character.charCodeAt(0);
  return code <= 0xff
    ? `\\x${code.toString(16).padStart(2, '0')}`
    : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** The text with every control character shown as an escape (`\x1b`, `\n`, `\u202e`). */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, visible);
}
