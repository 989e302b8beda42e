/**
 * The one validator of every request, whatever carries it (IPC, HTTP, the CLI before it sends):
 * zod schemas whose messages say what is allowed and what was given. The types of the requests
 * are inferred from them, so a rule and its type cannot drift apart.
 */
import * as z from 'zod';
import { settingsPatchShape } from './settings.js';

// The dashboard's CSP forbids eval: zod must not try to compile its parsers with `new Function`.
z.config({ jitless: true });

/** Limits every side validates against. */
export const LIMITS = {
  maxWebInstances: 20,
  traffic: { minRate: 1, maxRate: 200, minSeconds: 1, maxSeconds: 3600 },
  maxTemplateBytes: 64 * 1024,
} as const;

/** The services the engine scales (its own demo `web`). */
export const SCALABLE_SERVICES = ['web'] as const;

const shown = (value: unknown): string => (value === undefined ? 'nothing' : JSON.stringify(value));

/** A whole number in [min, max], one message for every way of missing it. */
function wholeNumber(name: string, min: number, max: number): z.ZodNumber {
  const error = (issue: { input?: unknown }): string =>
    `${name} must be a whole number from ${min} to ${max}; got ${shown(issue.input)}.`;
  return z.number({ error }).int({ error }).min(min, { error }).max(max, { error });
}

/**
 * An object with exactly these keys; anything else, or no object at all, is named. (The messages
 * leave out the operation: dispatch puts its name in front.)
 */
function request<T extends z.ZodRawShape>(shape: T): z.ZodObject<T, z.core.$strict> {
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `does not take ${issue.keys.map((key) => JSON.stringify(key)).join(', ')}.`
        : `needs ${describeShape(shape)}; got ${shown(issue.input)}.`,
  });
}

function describeShape(shape: z.ZodRawShape): string {
  return `{${Object.keys(shape).join(', ')}}`;
}

/** For operations that take nothing. */
export const noRequest = z.undefined({ error: (issue) => `takes no arguments; got ${shown(issue.input)}.` });

export const scaleRequest = request({
  service: z.enum(SCALABLE_SERVICES, {
    error: (issue) => `Only ${SCALABLE_SERVICES.join(', ')} can be scaled; got ${shown(issue.input)}.`,
  }),
  count: wholeNumber('count', 0, LIMITS.maxWebInstances),
});

const rateError = (issue: { input?: unknown }): string =>
  `ratePerSecond must be from ${LIMITS.traffic.minRate} to ${LIMITS.traffic.maxRate} requests per second; got ${shown(issue.input)}.`;

export const trafficRequest = request({
  ratePerSecond: z
    .number({ error: rateError })
    .min(LIMITS.traffic.minRate, { error: rateError })
    .max(LIMITS.traffic.maxRate, { error: rateError }),
  durationSeconds: wholeNumber('durationSeconds', LIMITS.traffic.minSeconds, LIMITS.traffic.maxSeconds),
});

export const timelineRequest = request({
  after: wholeNumber('after', 0, Number.MAX_SAFE_INTEGER),
}).optional();

const encoder = new TextEncoder();

export const templateRequest = request({
  source: z
    .string({ error: (issue) => `source must be the template text; got ${shown(issue.input)}.` })
    .refine((text) => text.trim() !== '', { error: 'The template is empty.' })
    .refine((text) => encoder.encode(text).length <= LIMITS.maxTemplateBytes, {
      error: (issue) =>
        `The template is ${encoder.encode(String(issue.input)).length} bytes; the limit is ${LIMITS.maxTemplateBytes}.`,
    }),
});

export const EXTERNAL_TARGETS = ['lb', 'consul-ui'] as const;

export const externalRequest = request({
  target: z.enum(EXTERNAL_TARGETS, {
    error: (issue) => `target must be "lb" or "consul-ui"; got ${shown(issue.input)}.`,
  }),
});

export type ScaleRequest = z.infer<typeof scaleRequest>;
export type TrafficRequest = z.infer<typeof trafficRequest>;
export type TimelineRequest = z.infer<typeof timelineRequest>;
export type TemplateRequest = z.infer<typeof templateRequest>;
export type ExternalTarget = (typeof EXTERNAL_TARGETS)[number];
export type ExternalRequest = z.infer<typeof externalRequest>;

/** A partial patch of the settings: only the fields given change. */
export const settingsRequest = request(settingsPatchShape);
export type SettingsRequest = z.infer<typeof settingsRequest>;
