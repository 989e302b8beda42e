/**
 * How the table travels: IPC channel names, the global the preload exposes, the event-stream
 * path, and how a GET carries its request in the query string. Derived from the names in the
 * table, never listed by hand.
 */
import type { OperationName } from './operations.js';
import type { TopicName } from './topics.js';

/** The global name the preload exposes the API under: `window.discoveryTray`. */
export const BRIDGE_KEY = 'discoveryTray';

const IPC_PREFIX = 'discovery-tray';

export function ipcChannel(name: OperationName): string {
  return `${IPC_PREFIX}:${name}`;
}

export function pushChannel(topic: TopicName): string {
  return `${IPC_PREFIX}:push:${topic}`;
}

/** Server-Sent Events of every topic; `?after=SEQ` resumes the timeline, `?token=` authenticates. */
export const EVENTS_PATH = '/api/events';

/**
 * A GET's request as query parameters, each value JSON (so `after=3` is the number 3 and
 * `after="3"` the string, which the validator refuses as it would in a body).
 */
export function encodeQuery(request: unknown): string {
  if (request === undefined) return '';
  if (typeof request !== 'object' || request === null || Array.isArray(request))
    throw new TypeError('A GET request must be an object of fields.');
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(request as Record<string, unknown>))
    if (value !== undefined) params.set(key, JSON.stringify(value));
  const query = params.toString();
  return query ? `?${query}` : '';
}

/** The inverse of encodeQuery; a value that is not JSON stays a string (and is judged by the validator). */
export function decodeQuery(params: URLSearchParams, ignore: readonly string[] = []): unknown {
  const fields: Record<string, unknown> = {};
  let any = false;
  for (const [key, raw] of params) {
    if (ignore.includes(key)) continue;
    any = true;
    try {
      fields[key] = JSON.parse(raw) as unknown;
    } catch {
      fields[key] = raw;
    }
  }
  return any ? fields : undefined;
}
