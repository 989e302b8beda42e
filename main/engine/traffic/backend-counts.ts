/**
 * Requests per backend, keyed by what the answer says served it (a response
 * header a backend writes itself). A hostile backend could name a new, long
 * backend on every answer, so keys are capped in length and in number: a key
 * too long, or one past the first MAX_BACKEND_KEYS, is counted as "other".
 */

/** An address is at most 47 characters ([IPv6]:port); anything longer is not one. */
export const MAX_BACKEND_KEY_CHARS = 64;
/** More than the demo ever runs (LIMITS.maxWebInstances is 100), "other" included. */
export const MAX_BACKEND_KEYS = 128;
export const OTHER_BACKENDS = 'other';

export class BackendCounts {
  // A Map: a key such as "__proto__" is data here, not a prototype.
  private readonly counts = new Map<string, number>();

  add(backend: string): void {
    const known = this.counts.has(backend);
    const room = this.counts.size < MAX_BACKEND_KEYS - (this.counts.has(OTHER_BACKENDS) ? 0 : 1);
    const key = backend.length <= MAX_BACKEND_KEY_CHARS && (known || room) ? backend : OTHER_BACKENDS;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  toRecord(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }
}
