/**
 * Every error code a front end can receive, each with its HTTP status and the CLI's exit code,
 * declared once: the control server, the IPC handlers and the CLI all read this table, so a
 * code means the same thing on every transport.
 */

import type { PortOffer } from './settings.js';

/** Exit codes scripts can rely on. */
export const EXIT = { ok: 0, failure: 1, usage: 2, noEngine: 3 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

interface ErrorCodeSpec {
  http: number;
  exit: ExitCode;
  /** What the code means, for docs/ARCHITECTURE.md and the tests. */
  meaning: string;
}

export const ERROR_CODES = {
  // The caller sent something that can never be right: nothing changed.
  'bad-request': { http: 400, exit: EXIT.usage, meaning: 'a request that can never be right' },
  'bad-template': { http: 400, exit: EXIT.failure, meaning: 'the template does not compile' },
  'bad-consul-address': { http: 400, exit: EXIT.usage, meaning: 'a Consul address that cannot be parsed' },
  // The engine cannot do it now; the message says what to do first.
  'not-ready': { http: 409, exit: EXIT.failure, meaning: 'the demo is not running (yet)' },
  'start-failed': { http: 409, exit: EXIT.failure, meaning: 'the demo did not start' },
  'engine-running': { http: 409, exit: EXIT.failure, meaning: 'another engine already runs' },
  'port-in-use': { http: 409, exit: EXIT.failure, meaning: 'a port the stack needs is taken' },
  'network-conflict': { http: 409, exit: EXIT.failure, meaning: 'a Docker network of that name is not ours' },
  'name-conflict': { http: 409, exit: EXIT.failure, meaning: 'a container of that name is not ours' },
  'not-scalable': {
    http: 409,
    exit: EXIT.failure,
    meaning:
      'the engine cannot add replicas of that service now (none runs to copy, or a fixed host port, address or name)',
  },
  'stack-damaged': {
    http: 409,
    exit: EXIT.failure,
    meaning: 'a stack container is not as the engine made it',
  },
  'not-available': { http: 501, exit: EXIT.failure, meaning: 'this transport does not offer the call' },
  // Something outside the engine is missing or refuses.
  'docker-unavailable': { http: 503, exit: EXIT.failure, meaning: 'no Docker engine answers' },
  'docker-unsupported': { http: 503, exit: EXIT.failure, meaning: "the Docker engine's API is too old" },
  'consul-unavailable': { http: 503, exit: EXIT.failure, meaning: 'Consul does not answer' },
  'consul-untrusted': {
    http: 503,
    exit: EXIT.failure,
    meaning: "the user's https Consul presents a certificate that does not verify (wrong or missing CA)",
  },
  'bad-consul-ca': {
    http: 400,
    exit: EXIT.failure,
    meaning: 'the Consul CA file cannot be read or holds no certificate',
  },
  'image-unavailable': { http: 503, exit: EXIT.failure, meaning: 'an image can be neither found nor pulled' },
  'state-unwritable': { http: 500, exit: EXIT.failure, meaning: 'the state folder cannot be written' },
  'folder-insecure': {
    http: 500,
    exit: EXIT.failure,
    meaning: 'the state folder is not private (another user owns it, or others may write to it)',
  },
  'forbidden-url': { http: 403, exit: EXIT.failure, meaning: 'a URL that is not on this machine' },
  // Transport-level refusals.
  unauthorized: { http: 401, exit: EXIT.failure, meaning: 'missing or wrong API token' },
  forbidden: {
    http: 403,
    exit: EXIT.failure,
    meaning: 'a caller that may not call (IPC sender, Host, Origin)',
  },
  'not-found': { http: 404, exit: EXIT.usage, meaning: 'no such operation' },
  'method-not-allowed': { http: 405, exit: EXIT.usage, meaning: 'the operation exists with another method' },
  'too-large': { http: 413, exit: EXIT.usage, meaning: 'the request body is over the limit' },
  'too-many-clients': { http: 503, exit: EXIT.failure, meaning: 'too many open event streams' },
  // Client-side: the engine could not be reached or answered nonsense.
  unreachable: { http: 503, exit: EXIT.noEngine, meaning: 'the engine does not answer' },
  'bad-response': { http: 502, exit: EXIT.failure, meaning: 'the engine answered in an unknown format' },
  'no-token': { http: 401, exit: EXIT.failure, meaning: 'the page has no API token' },
  internal: { http: 500, exit: EXIT.failure, meaning: 'a bug: the message says what failed' },
} as const satisfies Record<string, ErrorCodeSpec>;

export type ErrorCode = keyof typeof ERROR_CODES;

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_CODES, value);
}

/** The body of every failed call, whatever carried it. */
export interface ApiError {
  message: string;
  code: ErrorCode;
  /** port-in-use: the setting, the port that is taken and the next free one (one click takes it). */
  offer?: PortOffer;
}

/** Every call returns a result or a readable error, never a thrown Electron/HTTP error. */
export type ApiResult<T> = { result: T } | { error: ApiError };

export function httpStatusOf(code: ErrorCode): number {
  return ERROR_CODES[code].http;
}

export function exitCodeOf(code: ErrorCode): ExitCode {
  return ERROR_CODES[code].exit;
}
