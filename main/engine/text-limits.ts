/**
 * Values from outside (a container's SERVICE_* settings, a Consul tag) end up
 * quoted in warnings and timeline events that the engine keeps for the whole
 * session. A hostile value can be megabytes, so what is kept is a short head
 * of it with its original length, copied: a JavaScript slice of a long string
 * may keep the whole long string alive.
 */

/** How much of an outside value a message quotes. */
export const QUOTED_VALUE_MAX_CHARS = 60;

/**
 * A copy that shares no memory with `text` (V8 keeps the parent of a slice
 * alive; a string built from bytes is new).
 */
export function detachedCopy(text: string): string {
  return Buffer.from(text, 'utf16le').toString('utf16le');
}

/** `text` if it is at most `maxChars` long, else its head, an ellipsis and the original length. */
export function clipText(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const suffix = `… (${text.length} characters)`;
  return detachedCopy(text.slice(0, Math.max(0, maxChars - suffix.length))) + suffix;
}

/** `value` as a JSON string, cut to its head when long: `"abc…" (102400 characters)`. */
export function quoteValue(value: string, maxChars = QUOTED_VALUE_MAX_CHARS): string {
  if (value.length <= maxChars) return JSON.stringify(value);
  return `${JSON.stringify(`${value.slice(0, maxChars)}…`)} (${value.length} characters)`;
}
