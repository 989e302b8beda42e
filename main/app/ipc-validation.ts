/**
 * Checks every argument that arrives over IPC against the contract (preload/api.ts,
 * LIMITS) before anything reaches the engine: the renderer is not trusted.
 */
import { LIMITS, type ScaleRequest, type TrafficRequest } from '../../preload/api.js';
import { UserError } from '../engine/errors.js';
import type { ExternalTarget } from './external-links.js';

/** The services the app can scale. */
export const SCALABLE_SERVICES = ['web'] as const;

export class BadRequestError extends UserError {
  constructor(message: string) {
    super(message, 'bad-request');
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function integerIn(value: unknown, min: number, max: number, what: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
    throw new BadRequestError(
      `${what} must be a whole number from ${min} to ${max}; got ${JSON.stringify(value)}.`,
    );
  return value;
}

export function expectArgs(args: unknown[], max: number, call: string): void {
  if (args.length > max)
    throw new BadRequestError(
      `${call} takes ${max === 0 ? 'no arguments' : `at most ${max} argument${max === 1 ? '' : 's'}`}; got ${args.length}.`,
    );
}

export function parseScaleRequest(value: unknown): ScaleRequest {
  if (!isRecord(value)) throw new BadRequestError('scale needs {service, count}.');
  const { service, count } = value;
  if (typeof service !== 'string' || !(SCALABLE_SERVICES as readonly string[]).includes(service))
    throw new BadRequestError(
      `Only ${SCALABLE_SERVICES.join(', ')} can be scaled; got ${JSON.stringify(service)}.`,
    );
  return { service, count: integerIn(count, 0, LIMITS.maxWebInstances, 'count') };
}

export function parseTrafficRequest(value: unknown): TrafficRequest {
  if (!isRecord(value)) throw new BadRequestError('startTraffic needs {ratePerSecond, durationSeconds}.');
  const { minRate, maxRate, minSeconds, maxSeconds } = LIMITS.traffic;
  const rate = value.ratePerSecond;
  if (typeof rate !== 'number' || !Number.isFinite(rate) || rate < minRate || rate > maxRate)
    throw new BadRequestError(
      `ratePerSecond must be from ${minRate} to ${maxRate} requests per second; got ${JSON.stringify(rate)}.`,
    );
  return {
    ratePerSecond: rate,
    durationSeconds: integerIn(value.durationSeconds, minSeconds, maxSeconds, 'durationSeconds'),
  };
}

export function parseAfterSeq(value: unknown): number {
  if (value === undefined) return 0;
  return integerIn(value, 0, Number.MAX_SAFE_INTEGER, 'afterSeq');
}

export function parseTemplateSource(value: unknown): string {
  if (typeof value !== 'string')
    throw new BadRequestError('setTemplate needs the template text as a string.');
  if (value.trim() === '') throw new BadRequestError('The template is empty.');
  const bytes = Buffer.byteLength(value, 'utf8');
  if (bytes > LIMITS.maxTemplateBytes)
    throw new BadRequestError(`The template is ${bytes} bytes; the limit is ${LIMITS.maxTemplateBytes}.`);
  return value;
}

export function parseExternalTarget(value: unknown): ExternalTarget {
  if (value !== 'lb' && value !== 'consul-ui')
    throw new BadRequestError(`openExternal opens "lb" or "consul-ui" only; got ${JSON.stringify(value)}.`);
  return value;
}
